// SPDX-License-Identifier: GPL-3.0-or-later
#include "app/JsonArgument.h"

#include "engine/model/JsonParse.h"

#include <fstream>
#include <sstream>

namespace flowdeck::app {

Result<nlohmann::json> jsonArgument(const QString &value, const char *what)
{
    std::string text = value.toStdString();
    if (text[0] == '@') {
        std::ifstream in(text.substr(1), std::ios::binary);
        if (!in)
            return Error::invalid(std::string(what) + ": cannot read " + text.substr(1));
        std::stringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
    }
    auto parsed = parseJson(text);
    if (!parsed)
        return Error::invalid(std::string(what) + " is not valid JSON: " + parsed.error().message,
                              parsed.error().details);
    return parsed;
}

Result<nlohmann::json> jsonObjectArgument(const QString &value, const char *what)
{
    if (value.isEmpty())
        return nlohmann::json::object();
    auto parsed = jsonArgument(value, what);
    if (!parsed)
        return parsed;
    if (!parsed->is_object())
        return Error::invalid(std::string(what) + " must be a JSON object");
    return parsed;
}

} // namespace flowdeck::app
