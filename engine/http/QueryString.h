// SPDX-License-Identifier: GPL-3.0-or-later
// A URL's query string (and a form body, which has the same shape) as the API's parameters.
// Apart from HttpBridge so the fuzzer (fuzz/JobQueryFuzz) reaches it without the server.
#pragma once

#include "engine/model/Error.h"

#include <QByteArray>

#include <map>
#include <string>

namespace flowdeck::http {

/// Decodes "a=1&b=x+y&c=%2F": '+' is a space, %XX escapes are decoded. Invalid naming the
/// parameter for a malformed escape, or one given twice.
Result<std::multimap<std::string, std::string>> parseQuery(const QByteArray &rawQuery);

} // namespace flowdeck::http
