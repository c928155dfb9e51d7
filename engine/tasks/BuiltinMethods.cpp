// SPDX-License-Identifier: GPL-3.0-or-later
// The name → function table. Dispatch is on the task's "name" (never canvasName): arrayPush
// and push both display as "push" on the canvas but are different methods.

#include "engine/tasks/BuiltinMethod.h"

#include "engine/tasks/MethodSupport.h"

#include <algorithm>
#include <array>
#include <utility>

namespace flowdeck::tasks {

namespace {

constexpr std::array<std::pair<std::string_view, MethodFunction>, 24> kMethods = {{
    {"arrayIncludes", detail::arrayIncludes},
    {"arrayIndexOf", detail::arrayIndexOf},
    {"arrayLength", detail::arrayLength},
    {"arrayPush", detail::arrayPush},
    {"calculateTimeDiff", detail::calculateTimeDiff},
    {"deepmerge", detail::deepmerge},
    {"evaluation", detail::evaluation},
    {"getTime", detail::getTime},
    {"isArray", detail::isArray},
    {"join", detail::join},
    {"makeData", detail::makeData},
    {"merge", detail::merge},
    {"modify", detail::modify},
    {"newVariable", detail::newVariable},
    {"numberToString", detail::numberToString},
    {"parse", detail::parse},
    {"push", detail::push},
    {"query", detail::query},
    {"setObjectKey", detail::setObjectKey},
    {"split", detail::split},
    {"stringConcat", detail::stringConcat},
    {"stringLength", detail::stringLength},
    {"stub", detail::stub},
    {"substring", detail::substring},
}};

} // namespace

MethodFunction findBuiltinMethod(std::string_view name)
{
    for (const auto &[methodName, function] : kMethods) {
        if (methodName == name)
            return function;
    }
    return nullptr;
}

std::vector<std::string> builtinMethodNames()
{
    std::vector<std::string> names;
    for (const auto &entry : kMethods) {
        if (entry.second != nullptr)
            names.emplace_back(entry.first);
    }
    std::sort(names.begin(), names.end());
    return names;
}

} // namespace flowdeck::tasks
