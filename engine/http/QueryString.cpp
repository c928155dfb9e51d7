// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/http/QueryString.h"

#include "engine/api/RoutePattern.h"
#include "engine/model/JsonParse.h"

namespace flowdeck::http {

Result<std::multimap<std::string, std::string>> parseQuery(const QByteArray &rawQuery)
{
    std::multimap<std::string, std::string> out;
    if (rawQuery.isEmpty())
        return out;
    for (QByteArray pair : rawQuery.split('&')) {
        if (pair.isEmpty())
            continue;
        pair.replace('+', ' ');
        const qsizetype eq = pair.indexOf('=');
        const std::string rawKey = (eq < 0 ? pair : pair.left(eq)).toStdString();
        const std::string rawValue = eq < 0 ? std::string() : pair.mid(eq + 1).toStdString();
        auto key = api::percentDecode(rawKey);
        auto value = api::percentDecode(rawValue);
        if (!key || !value)
            return Error::invalid("query parameter \"" + rawKey + "\" has a malformed %-escape",
                                  {{"parameter", rawKey}});
        // One rule on every route: a parameter given twice is a mistake (or a probe of which
        // copy wins), never silently resolved.
        if (out.count(*key) > 0)
            return Error::invalid("query parameter \"" + validUtf8(*key) +
                                      "\" is given more than once; give it once",
                                  {{"parameter", validUtf8(*key)}});
        out.emplace(std::move(*key), std::move(*value));
    }
    return out;
}

} // namespace flowdeck::http
