// SPDX-License-Identifier: GPL-3.0-or-later
// Runs a built-in method the way the runtime does: job variables, task outputs addressable by
// {"task": TASKID, "variable": V} operands, and a fixed clock.
#pragma once

#include "engine/tasks/BuiltinMethod.h"

#include <QByteArray>
#include <QTest>

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

struct MethodHarness
{
    nlohmann::json jobVariables = nlohmann::json::object();
    nlohmann::json taskOutputs = nlohmann::json::object(); ///< task id → {outVar: value}
    std::int64_t nowMs = 1700000000123;                    ///< 2023-11-14T22:13:20.123Z, a Tuesday

    flowdeck::tasks::MethodResult run(std::string_view name, const nlohmann::json &incoming) const
    {
        const auto method = flowdeck::tasks::findBuiltinMethod(name);
        if (!method)
            return flowdeck::tasks::MethodResult::error("test: no method " + std::string(name));
        const flowdeck::tasks::MethodContext ctx{
            incoming, jobVariables, nowMs,
            [this](const nlohmann::json &operand) -> std::optional<nlohmann::json> {
                const std::string task = operand.at("task").get<std::string>();
                const auto variable = operand.find("variable");
                if (variable == operand.end())
                    return std::nullopt;
                if (task == "static")
                    return *variable;
                if (!variable->is_string())
                    return std::nullopt;
                const nlohmann::json *source = &jobVariables;
                if (task != "job") {
                    const auto outputs = taskOutputs.find(task);
                    if (outputs == taskOutputs.end())
                        return std::nullopt;
                    source = &*outputs;
                }
                const auto it = source->find(variable->get<std::string>());
                if (it == source->end())
                    return std::nullopt;
                return *it;
            }};
        return method(ctx);
    }
};

/// A JSON literal from a test table; "undefined" stands for an absent value.
inline std::optional<nlohmann::json> tableValue(const QByteArray &text)
{
    if (text == "undefined")
        return std::nullopt;
    return nlohmann::json::parse(text.toStdString());
}

/// incoming[key] = value unless the table says undefined.
inline void setIncoming(nlohmann::json &incoming, const char *key, const QByteArray &text)
{
    if (const auto v = tableValue(text))
        incoming[key] = *v;
}

#define VERIFY_FINISH(result, state)                                                               \
    QCOMPARE(QString::fromStdString((result).finishState), QString::fromUtf8(state))

/// The method finished "error" with a message containing `fragment`.
#define VERIFY_ERROR(result, fragment)                                                             \
    do {                                                                                           \
        const auto &fdResult_ = (result);                                                          \
        VERIFY_FINISH(fdResult_, "error");                                                         \
        QVERIFY2(fdResult_.errorMessage.find(fragment) != std::string::npos,                       \
                 fdResult_.errorMessage.c_str());                                                  \
    } while (false)
