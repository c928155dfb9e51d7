// SPDX-License-Identifier: GPL-3.0-or-later
// The libFuzzer targets, one function each. fuzz/FuzzMain.cpp makes each a fuzzer (the fuzz
// preset: clang, libFuzzer, address and undefined-behaviour sanitizers); the normal test suite
// calls the same functions on every seed and on every input a fuzzer ever crashed on
// (fuzz/regressions/<target>/), so a fixed crash stays fixed in every build.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace flowdeck::fuzz {

/// A workflow document as text: the validator, the model, and the importer into a store.
int workflow(const std::uint8_t *data, std::size_t size);
/// A JST document as text (or {document, incoming} as in tests/data/jst/*.cases.json): the
/// validator, then the evaluator.
int jst(const std::uint8_t *data, std::size_t size);
/// A jobs query string (what follows "?" in GET /operations-manager/jobs): the decoder and
/// JobQueryParser.
int jobQuery(const std::uint8_t *data, std::size_t size);
/// Bytes of one HTTP connection: RequestScanner, fed whole and in pieces, must agree.
int requestScanner(const std::uint8_t *data, std::size_t size);
/// An event-log entry and its job document as they come back from the store: the messages
/// the event stream and GET /events send.
int eventStream(const std::uint8_t *data, std::size_t size);

/// The target called `name` ("workflow", "jst", "job-query", "request-scanner",
/// "event-stream"), or nullptr.
using Target = int (*)(const std::uint8_t *, std::size_t);
Target targetNamed(std::string_view name);

} // namespace flowdeck::fuzz
