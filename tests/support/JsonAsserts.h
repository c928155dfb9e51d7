// SPDX-License-Identifier: GPL-3.0-or-later
// QCOMPARE cannot take nlohmann::json (its conversions collide with QTest's overloads);
// this compares as JSON and prints both documents when they differ.
#pragma once

#include <QTest>

#include <nlohmann/json.hpp>

#include <string>

#define QCOMPARE_JSON(actual, expected)                                                            \
    do {                                                                                           \
        const nlohmann::json fdActual_ = (actual);                                                 \
        const nlohmann::json fdExpected_ = (expected);                                             \
        if (!(fdActual_ == fdExpected_)) {                                                         \
            const std::string fdMessage_ = "JSON differs\n   Actual: " + fdActual_.dump() +        \
                                           "\n Expected: " + fdExpected_.dump();                   \
            QFAIL(fdMessage_.c_str());                                                             \
        }                                                                                          \
    } while (false)
