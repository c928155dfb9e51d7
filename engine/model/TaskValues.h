// SPDX-License-Identifier: GPL-3.0-or-later
// What a task's incoming value can refer to. A top-level string "$var.<source>.<name>" (with
// an optional "#<JSON pointer>" into the value) names a job variable (source "job") or an
// outgoing value of another task (source its key); anything else is a literal. The runtime
// resolves references with this reading; the editor offers what a task may refer to: the
// tasks upstream of it and the job's variables. No Qt.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace flowdeck::model {

struct ValueReference
{
    std::string source;  ///< "job", or the key of the task whose outgoing value it is
    std::string name;    ///< the job variable or outgoing value
    std::string pointer; ///< into that value ("" for all of it), without the '#'
    friend bool operator==(const ValueReference &, const ValueReference &) = default;
};

/// The reference a value makes, or nullopt for a literal (a non-string, a string that does
/// not start with "$var.", or "$var.x" with no second dot).
std::optional<ValueReference> parseReference(const nlohmann::json &value);

/// "$var.<source>.<name>[#pointer]".
std::string referenceText(const ValueReference &reference);

/// The tasks a job passes through before `key` on some path (along transitions of any
/// state, revert transitions excluded), nearest first; Start and End left out. These are the
/// tasks whose outgoing values `key` can read.
std::vector<std::string> upstreamTasks(const nlohmann::json &doc, const std::string &key);

/// The job variables a workflow knows of, sorted: its input schema's properties, the names
/// newVariable and push tasks set, and the job variables outgoing values are saved to.
std::vector<std::string> jobVariableNames(const nlohmann::json &doc);

} // namespace flowdeck::model
