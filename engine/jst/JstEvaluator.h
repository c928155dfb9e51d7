// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a JST document: the dataflow model of shared/reference/jst.md §4. Nodes run in
// dependency order (the steps array order does not matter); a node's argument slots start
// from its static literals and are overwritten by the assigns wired into them; outgoing
// variables are written by JSON pointer. Values follow JavaScript (undefined distinct from
// null, loose equality, truthiness). docs/jst.md records the decisions on open questions.
//
// This is the API the `transformation` task builds on:
//     auto doc = JstDocument::parse(json);            // once, when the JST is loaded
//     auto out = run(*doc, incomingValues, options);  // per task run; thread-safe
// or, to run one document many times, JstEvaluator evaluator(*doc); evaluator.run(…).
#pragma once

#include "engine/jst/JstDocument.h"
#include "engine/model/Error.h"

#include <nlohmann/json.hpp>

#include <memory>

namespace flowdeck::jst {

/// The transformation task's `options`.
struct JstOptions
{
    /// With exactly one outgoing schema, answer that variable's value instead of the object
    /// {<$id>: value} (undefined becomes null). Ignored with zero or several outgoing schemas.
    bool extractOutput = false;
    /// Check every provided incoming value against its schema before evaluating; the error
    /// (Invalid) lists each violation and carries them all as ValidationIssue JSON in details.
    bool validateIncoming = false;
    /// Use schema `default`s: for an incoming variable that is missing, for missing properties
    /// of provided objects (recursively), and for an outgoing variable that receives nothing.
    bool revertToDefaultValue = false;

    /// From the task's options object; anything that is not an object (the corpus has "")
    /// gives the defaults, and a key that is not a boolean counts as false.
    static JstOptions fromJson(const nlohmann::json &options);
};

/// Runs `document` on `incoming` (an object keyed by the incoming schemas' $ids; other keys are
/// ignored) and answers the outgoing object keyed by the outgoing $ids, variables that end
/// undefined being absent. Errors (all ErrorCode::Invalid): a method outside the catalogue
/// (named), a link to a missing node, a cycle, a method that throws (its JavaScript-style
/// message, prefixed by where it happened; details.instancePath points at the failing step).
Result<nlohmann::json> run(const JstDocument &document, const nlohmann::json &incoming,
                           const JstOptions &options = {});

class Plans;

/// A document ready to run many times: its evaluation plans (dependency order, resolved methods
/// and pointers) are built once, here, instead of on every run(). Immutable once built, so
/// run() may be called from several threads at once; copies share the plans.
class JstEvaluator
{
public:
    explicit JstEvaluator(JstDocument document);
    ~JstEvaluator();
    JstEvaluator(const JstEvaluator &) = default;
    JstEvaluator &operator=(const JstEvaluator &) = default;

    /// Same contract as the free run().
    Result<nlohmann::json> run(const nlohmann::json &incoming, const JstOptions &options) const;
    const JstDocument &document() const { return *m_document; }

private:
    // Plans point into the document's graphs, so the document must not move: both live on
    // the heap.
    std::shared_ptr<const JstDocument> m_document;
    std::shared_ptr<const Plans> m_plans;
};

} // namespace flowdeck::jst
