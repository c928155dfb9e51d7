// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/runtime/ValueLimits.h"

#include "engine/model/JsonParse.h"

#include <cstdio>

namespace flowdeck::runtime {
namespace {

std::string inWords(std::size_t bytes)
{
    char text[32];
    if (bytes >= 1024 * 1024)
        std::snprintf(text, sizeof text, "%.1f MiB", double(bytes) / (1024.0 * 1024.0));
    else
        std::snprintf(text, sizeof text, "%.0f KiB", double(bytes) / 1024.0);
    return text;
}

} // namespace

Result<void> checkValueLimits(const nlohmann::json &value, const std::string &what)
{
    const JsonShape shape = jsonShape(value);
    if (shape.depth > kMaxJsonDepth)
        return Error::invalid(what + " nest arrays and objects " + std::to_string(shape.depth) +
                                  " levels deep; the limit is " + std::to_string(kMaxJsonDepth),
                              {{"limit", kMaxJsonDepth}, {"depth", shape.depth}});
    if (shape.bytes > kMaxValueBytes)
        return Error::invalid(what + " take " + inWords(shape.bytes) + "; the limit is " +
                                  inWords(kMaxValueBytes) +
                                  " (keep large documents outside the job and pass a reference)",
                              {{"limit", kMaxValueBytes}, {"bytes", shape.bytes}});
    return {};
}

} // namespace flowdeck::runtime
