// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/FieldPairQuery.h"

#include <charconv>

namespace flowdeck::api {
namespace {

using nlohmann::json;

constexpr int kMaxLimit = 1000;

struct Pair
{
    const char *value;
    const char *field;
    store::FieldMatch match;
};

constexpr Pair kPairs[] = {{"equals", "equalsField", store::FieldMatch::Equals},
                           {"contains", "containsField", store::FieldMatch::Contains},
                           {"startsWith", "startsWithField", store::FieldMatch::StartsWith}};

Error badParameter(const std::string &parameter, const std::string &message, json allowed = {})
{
    json details = {{"parameter", parameter}};
    if (!allowed.is_null())
        details["allowed"] = std::move(allowed);
    return Error::invalid(message, std::move(details));
}

Result<int> wholeNumber(const std::string &key, const std::string &value, int max)
{
    int parsed = 0;
    auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), parsed);
    if (ec != std::errc() || end != value.data() + value.size() || parsed < 0 || parsed > max)
        return badParameter(key, "query parameter \"" + key +
                                     "\" must be a whole number from 0 to " + std::to_string(max) +
                                     ", not \"" + value + "\"");
    return parsed;
}

Result<bool> boolean(const std::string &key, const std::string &value)
{
    if (value == "true")
        return true;
    if (value == "false")
        return false;
    return badParameter(key, "query parameter \"" + key + "\" must be true or false, not \"" +
                                 value + "\"");
}

} // namespace

FieldPairQuery::FieldPairQuery(std::set<std::string> fields, bool enabledFilter)
    : m_fields(std::move(fields)), m_enabledFilter(enabledFilter)
{}

Result<store::FieldQuery>
FieldPairQuery::parse(const std::multimap<std::string, std::string> &query) const
{
    std::set<std::string> known = {"limit", "skip", "sort", "order"};
    for (const auto &pair : kPairs) {
        known.insert(pair.value);
        known.insert(pair.field);
    }
    if (m_enabledFilter)
        known.insert("enabled");

    for (const auto &[key, value] : query) {
        if (key.find('[') != std::string::npos)
            return badParameter(key, "\"" + key +
                                         "\" is the bracket syntax of the jobs and tasks "
                                         "listings; here filter with equals=<value>&equalsField="
                                         "<field> (or contains / startsWith)");
        if (!known.count(key))
            return badParameter(key, "unknown query parameter \"" + key + "\"", known);
        if (query.count(key) > 1)
            return badParameter(key, "query parameter \"" + key + "\" is given more than once");
    }

    const json fieldList = m_fields;
    store::FieldQuery out;
    auto value = [&](const std::string &key) -> std::optional<std::string> {
        auto it = query.find(key);
        if (it == query.end())
            return std::nullopt;
        return it->second;
    };
    auto field = [&](const std::string &key, const std::string &name) -> Result<std::string> {
        if (m_enabledFilter && name == "enabled")
            return name;
        if (!m_fields.count(name))
            return badParameter(key, "unknown field \"" + name + "\" in " + key, fieldList);
        return name;
    };

    for (const auto &pair : kPairs) {
        auto v = value(pair.value);
        auto f = value(pair.field);
        if (v && !f)
            return badParameter(pair.value, std::string(pair.value) + " needs " + pair.field +
                                                " to name the field it applies to");
        if (f && !v)
            return badParameter(pair.field, std::string(pair.field) + " needs " + pair.value +
                                                " to give the value to match");
        if (!v)
            continue;
        auto name = field(pair.field, *f);
        if (!name)
            return name.error();
        if (*name == "enabled") {
            // enabled is a column of its own, not a document string: match it as a boolean.
            if (pair.match != store::FieldMatch::Equals)
                return badParameter(pair.field, "enabled can only be matched with equals");
            auto b = boolean(pair.value, *v);
            if (!b)
                return b.error();
            out.enabled = *b;
            continue;
        }
        out.filters.push_back({*name, pair.match, *v});
    }

    if (auto e = value("enabled")) {
        auto b = boolean("enabled", *e);
        if (!b)
            return b.error();
        if (out.enabled && *out.enabled != *b)
            return badParameter("enabled", "enabled and equalsField=enabled disagree");
        out.enabled = *b;
    }
    if (auto l = value("limit")) {
        auto n = wholeNumber("limit", *l, kMaxLimit);
        if (!n)
            return n.error();
        out.limit = *n;
    }
    if (auto s = value("skip")) {
        auto n = wholeNumber("skip", *s, 1'000'000'000);
        if (!n)
            return n.error();
        out.skip = *n;
    }
    if (auto s = value("sort")) {
        auto name = field("sort", *s);
        if (!name || *name == "enabled")
            return badParameter("sort", "cannot sort on \"" + *s + "\"", fieldList);
        out.sort = *name;
    }
    if (auto o = value("order")) {
        if (*o == "1")
            out.descending = false;
        else if (*o == "-1")
            out.descending = true;
        else
            return badParameter("order", "order must be 1 (ascending) or -1 (descending), not \"" +
                                             *o + "\"");
    }
    return out;
}

} // namespace flowdeck::api
