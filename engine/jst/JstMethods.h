// SPDX-License-Identifier: GPL-3.0-or-later
// The method catalogue: one function per "Library.method" (declarations under their palette
// name, "Array.new Array"), registered by library into one table. A method gets its argument
// slots (undefined where nothing was given) and returns its value, or an Error whose message
// starts with the method's name, as a JavaScript exception would name it.
#pragma once

#include "engine/jst/JstDocument.h"
#include "engine/jst/JstValue.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace flowdeck::jst {

/// Runs the custom functions that map / filter / find / reduce call back.
class CallbackHost
{
public:
    virtual ~CallbackHost() = default;
    /// Calls function `id` with its incoming variables bound by position and returns the value
    /// of its first outgoing variable (the callback's result). The arguments are borrowed, not
    /// copied: map passes the whole array to every call, as JavaScript passes a reference.
    virtual Result<Value> callback(const std::string &id,
                                   const std::vector<const Value *> &args) = 0;
};

struct MethodContext
{
    const JstNode &node;
    std::vector<Value> &args;
    CallbackHost &host;

    /// Slot i, or undefined past the end.
    const Value &arg(std::size_t i) const;
    std::string name() const { return node.library + "." + node.method; }
    /// Error::invalid("<Library.method>: <message>").
    Error fail(const std::string &message) const;
};

using MethodFn = Result<Value> (*)(MethodContext &);
using MethodTable = std::unordered_map<std::string, MethodFn>;

/// The catalogue, built once from every library's registration below.
const MethodTable &methodTable();
/// nullptr when "library.method" is not in the catalogue.
MethodFn findMethod(const std::string &library, const std::string &method);

void registerObjectMethods(MethodTable &table);
void registerArrayMethods(MethodTable &table);
void registerStringMethods(MethodTable &table);
void registerNumberMethods(MethodTable &table);
void registerLogicMethods(MethodTable &table);
void registerDataMethods(MethodTable &table);
void registerDateMethods(MethodTable &table);

/// ToIntegerOrInfinity then clamping of a relative index to [0, length] (slice, splice, …).
std::size_t relativeIndex(const Value &v, std::size_t length, std::size_t fallback);

} // namespace flowdeck::jst
