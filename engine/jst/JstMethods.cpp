// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/jst/JstMethods.h"

#include <cmath>

namespace flowdeck::jst {

const Value &MethodContext::arg(std::size_t i) const
{
    static const Value kUndefined;
    return i < args.size() ? args[i] : kUndefined;
}

Error MethodContext::fail(const std::string &message) const
{
    return Error::invalid(name() + ": " + message);
}

const MethodTable &methodTable()
{
    static const MethodTable table = [] {
        MethodTable t;
        registerObjectMethods(t);
        registerArrayMethods(t);
        registerStringMethods(t);
        registerNumberMethods(t);
        registerLogicMethods(t);
        registerDataMethods(t);
        registerDateMethods(t);
        return t;
    }();
    return table;
}

MethodFn findMethod(const std::string &library, const std::string &method)
{
    const auto &table = methodTable();
    const auto it = table.find(library + "." + method);
    return it == table.end() ? nullptr : it->second;
}

std::size_t relativeIndex(const Value &v, std::size_t length, std::size_t fallback)
{
    if (v.isUndefined())
        return fallback;
    const double n = tasks::jsToIntegerOrInfinity(toNumber(v));
    const double len = static_cast<double>(length);
    if (n < 0)
        return static_cast<std::size_t>(std::max(0.0, len + n));
    return static_cast<std::size_t>(std::min(n, len));
}

} // namespace flowdeck::jst
