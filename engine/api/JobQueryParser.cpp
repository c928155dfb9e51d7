// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/api/JobQueryParser.h"

#include "engine/model/JsonParse.h"

#include <QDateTime>
#include <QString>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <utility>

namespace flowdeck::api {
namespace {

using nlohmann::json;
using store::FilterExpr;
using store::FilterOp;
using store::SearchField;
using store::SearchFieldType;

constexpr std::array<std::pair<const char *, FilterOp>, 11> kOperators{{
    {"equals", FilterOp::Equals},
    {"contains", FilterOp::Contains},
    {"starts-with", FilterOp::StartsWith},
    {"ends-with", FilterOp::EndsWith},
    {"in", FilterOp::In},
    {"not-in", FilterOp::NotIn},
    {"gt", FilterOp::Gt},
    {"gte", FilterOp::Gte},
    {"lt", FilterOp::Lt},
    {"lte", FilterOp::Lte},
    {"exists", FilterOp::Exists},
}};

std::optional<FilterOp> operatorNamed(const std::string &name)
{
    for (const auto &[n, op] : kOperators)
        if (name == n)
            return op;
    return std::nullopt;
}

std::vector<std::string> fieldNames(const SearchSchema &schema)
{
    std::vector<std::string> names;
    for (const auto &f : schema.fields)
        names.emplace_back(f.name);
    return names;
}

Result<const SearchField *> fieldNamed(const SearchSchema &schema, const std::string &name,
                                       const std::string &where)
{
    for (const auto &f : schema.fields)
        if (name == f.name)
            return &f;
    return Error::invalid(where + ": unknown field \"" + name + "\"",
                          {{"where", where}, {"field", name}, {"allowed", fieldNames(schema)}});
}

std::vector<std::string> splitList(const std::string &text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (true) {
        const auto comma = text.find(',', start);
        out.push_back(text.substr(start, comma - start));
        if (comma == std::string::npos)
            break;
        start = comma + 1;
    }
    return out;
}

std::optional<double> parseNumber(const std::string &text)
{
    double value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(value))
        return std::nullopt;
    return value;
}

json numberJson(double value)
{
    if (value == std::floor(value) && std::fabs(value) < 9.0e15)
        return json(std::int64_t(value));
    return json(value);
}

/// A value from the query string, typed for its field.
Result<json> typedText(const SearchField &field, FilterOp op, const std::string &text,
                       const std::string &where)
{
    if (op == FilterOp::Exists) {
        if (text == "true")
            return json(true);
        if (text == "false")
            return json(false);
        return Error::invalid(where + " must be true or false, not \"" + text + "\"",
                              {{"where", where}});
    }
    if (field.type != SearchFieldType::Number)
        return json(text);
    if (auto n = parseNumber(text))
        return numberJson(*n);
    if (auto t = parseTimeValue(text))
        return json(*t);
    return Error::invalid(where + ": \"" + field.name +
                              "\" takes a number or an ISO 8601 date-time, not \"" + text + "\"",
                          {{"where", where}, {"field", field.name}});
}

/// A value from q's JSON, typed for its field.
Result<json> typedJson(const SearchField &field, FilterOp op, const json &value,
                       const std::string &where)
{
    if (op == FilterOp::Exists) {
        if (!value.is_boolean())
            return Error::invalid(where + " must be true or false", {{"where", where}});
        return value;
    }
    if (field.type == SearchFieldType::Number) {
        if (value.is_number())
            return value;
        if (value.is_string())
            return typedText(field, op, value.get<std::string>(), where);
    } else if (value.is_string()) {
        return value;
    }
    return Error::invalid(where + ": \"" + field.name + "\" takes " +
                              (field.type == SearchFieldType::Number
                                   ? "a number or an ISO 8601 date-time"
                                   : "a string"),
                          {{"where", where}, {"field", field.name}});
}

Result<void> checkOperatorFits(const SearchField &field, FilterOp op, const std::string &where)
{
    const bool text =
        op == FilterOp::Contains || op == FilterOp::StartsWith || op == FilterOp::EndsWith;
    const bool range =
        op == FilterOp::Gt || op == FilterOp::Gte || op == FilterOp::Lt || op == FilterOp::Lte;
    if (text && field.type == SearchFieldType::Number)
        return Error::invalid(where + ": \"" + field.name + "\" is a number; use equals, in, " +
                                  "gt, gte, lt or lte",
                              {{"where", where}, {"field", field.name}});
    if (range && field.type == SearchFieldType::List)
        return Error::invalid(where + ": \"" + field.name + "\" is a list; it has no order",
                              {{"where", where}, {"field", field.name}});
    return {};
}

/// The longest text a filter may match on. SQLite refuses LIKE patterns past 50,000 bytes
/// with an error of its own; nobody searches jobs for a paragraph, so the bound is far lower.
constexpr std::size_t kMaxFilterText = 1024;

/// The filter of `field` by `op` on `values`; Invalid, naming `where`, for a text too long.
Result<FilterExpr> leaf(const SearchField &field, FilterOp op, std::vector<json> values,
                        const std::string &where)
{
    for (const json &v : values)
        if (v.is_string() && v.get_ref<const std::string &>().size() > kMaxFilterText)
            return Error::invalid(where + ": the value is " +
                                      std::to_string(v.get_ref<const std::string &>().size()) +
                                      " characters long; a filter value has at most " +
                                      std::to_string(kMaxFilterText),
                                  {{"where", where}, {"limit", kMaxFilterText}});
    FilterExpr e;
    e.kind = FilterExpr::Kind::Leaf;
    e.field = field.name;
    e.op = op;
    e.values = std::move(values);
    return e;
}

/// One bracket parameter, e.g. key "in[status]" with value "error,paused".
Result<FilterExpr> bracketFilter(const SearchSchema &schema, FilterOp op,
                                 const std::string &fieldName, const std::string &value,
                                 const std::string &key)
{
    auto field = fieldNamed(schema, fieldName, key);
    if (!field)
        return field.error();
    if (auto r = checkOperatorFits(**field, op, key); !r)
        return r.error();
    std::vector<json> values;
    if (op == FilterOp::In || op == FilterOp::NotIn) {
        for (const auto &item : splitList(value)) {
            auto v = typedText(**field, op, item, key);
            if (!v)
                return v.error();
            values.push_back(std::move(*v));
        }
    } else {
        auto v = typedText(**field, op, value, key);
        if (!v)
            return v.error();
        values.push_back(std::move(*v));
    }
    return leaf(**field, op, std::move(values), key);
}

std::string escapePointer(const std::string &token)
{
    std::string out;
    for (char c : token) {
        if (c == '~')
            out += "~0";
        else if (c == '/')
            out += "~1";
        else
            out += c;
    }
    return out;
}

/// A q expression object: every key is ANDed. `where` is "q" plus a JSON pointer.
Result<FilterExpr> expression(const SearchSchema &schema, const json &q, const std::string &where,
                              int depth)
{
    // Deep enough for any real filter, shallow enough that a hostile q cannot exhaust the stack.
    if (depth > 16)
        return Error::invalid(where + ": the expression nests too deeply", {{"where", where}});
    if (!q.is_object())
        return Error::invalid(where + " must be an object of operators", {{"where", where}});
    FilterExpr all;
    for (const auto &[key, value] : q.items()) {
        const std::string at = where + "/" + escapePointer(key);
        if (key == "and" || key == "or") {
            if (!value.is_array())
                return Error::invalid(at + " must be an array of expressions", {{"where", at}});
            FilterExpr group;
            group.kind = key == "and" ? FilterExpr::Kind::And : FilterExpr::Kind::Or;
            for (std::size_t i = 0; i < value.size(); ++i) {
                auto child = expression(schema, value[i], at + "/" + std::to_string(i), depth + 1);
                if (!child)
                    return child;
                group.children.push_back(std::move(*child));
            }
            all.children.push_back(std::move(group));
            continue;
        }
        if (key == "not") {
            auto child = expression(schema, value, at, depth + 1);
            if (!child)
                return child;
            FilterExpr negated;
            negated.kind = FilterExpr::Kind::Not;
            negated.children.push_back(std::move(*child));
            all.children.push_back(std::move(negated));
            continue;
        }
        auto op = operatorNamed(key);
        if (!op)
            return Error::invalid(at + ": unknown operator \"" + key + "\"",
                                  {{"where", at}, {"operator", key}});
        if (!value.is_object())
            return Error::invalid(at + " must be an object of {field: value}", {{"where", at}});
        for (const auto &[fieldName, operand] : value.items()) {
            const std::string fieldAt = at + "/" + escapePointer(fieldName);
            auto field = fieldNamed(schema, fieldName, fieldAt);
            if (!field)
                return field.error();
            if (auto r = checkOperatorFits(**field, *op, fieldAt); !r)
                return r.error();
            std::vector<json> values;
            if (*op == FilterOp::In || *op == FilterOp::NotIn) {
                if (!operand.is_array() || operand.empty())
                    return Error::invalid(fieldAt + " must be a non-empty array",
                                          {{"where", fieldAt}});
                for (std::size_t i = 0; i < operand.size(); ++i) {
                    auto v = typedJson(**field, *op, operand[i], fieldAt + "/" + std::to_string(i));
                    if (!v)
                        return v.error();
                    values.push_back(std::move(*v));
                }
            } else {
                auto v = typedJson(**field, *op, operand, fieldAt);
                if (!v)
                    return v.error();
                values.push_back(std::move(*v));
            }
            auto filter = leaf(**field, *op, std::move(values), fieldAt);
            if (!filter)
                return filter.error();
            all.children.push_back(std::move(*filter));
        }
    }
    return all;
}

Result<int> wholeNumber(const std::string &key, const std::string &text, int min)
{
    long long value = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc() || end != text.data() + text.size() || value < min)
        return Error::invalid("query parameter \"" + key +
                                  "\" must be a whole number of at least " + std::to_string(min) +
                                  ", not \"" + text + "\"",
                              {{"parameter", key}});
    return int(std::min<long long>(value, 1'000'000'000));
}

Result<std::vector<std::string>> pathList(const std::string &key, const std::string &text)
{
    std::vector<std::string> out;
    for (const auto &item : splitList(text)) {
        bool ok = !item.empty() && item.front() != '.' && item.back() != '.' &&
                  item.find("..") == std::string::npos;
        for (char c : item)
            ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' ||
                        c == '-' || c == '$');
        if (!ok)
            return Error::invalid("query parameter \"" + key + "\": \"" + item +
                                      "\" is not a field path (letters, digits, _ - $ and dots)",
                                  {{"parameter", key}, {"field", item}});
        out.push_back(item);
    }
    return out;
}

/// Splits "op[field]" into its parts.
std::optional<std::pair<std::string, std::string>> bracketKey(const std::string &key)
{
    const auto open = key.find('[');
    if (open == std::string::npos || open == 0 || key.size() < open + 3 || key.back() != ']')
        return std::nullopt;
    return std::pair{key.substr(0, open), key.substr(open + 1, key.size() - open - 2)};
}

Result<Projection> projectionOf(const ApiRequest &request, const SearchSchema &schema)
{
    Projection p;
    for (const char *key : {"include", "exclude", "dereference"}) {
        auto value = request.queryValue(key);
        if (!value)
            continue;
        auto paths = pathList(key, *value);
        if (!paths)
            return paths.error();
        if (std::string(key) == "include")
            p.include = std::move(*paths);
        else if (std::string(key) == "exclude")
            p.exclude = std::move(*paths);
        else
            p.dereference = std::move(*paths);
    }
    if (!p.include.empty() && !p.exclude.empty() &&
        !(p.exclude.size() == 1 && p.exclude.front() == "_id"))
        return Error::invalid("include and exclude may only be combined as exclude=_id",
                              {{"parameter", "exclude"}});
    for (const auto &d : p.dereference)
        if (std::find(schema.dereferenceable.begin(), schema.dereferenceable.end(), d) ==
            schema.dereferenceable.end())
            return Error::invalid(
                "query parameter \"dereference\": cannot expand \"" + d + "\"",
                {{"parameter", "dereference"}, {"field", d}, {"allowed", schema.dereferenceable}});
    return p;
}

std::vector<std::string> splitPath(const std::string &path)
{
    std::vector<std::string> parts;
    std::size_t start = 0;
    while (true) {
        const auto dot = path.find('.', start);
        parts.push_back(path.substr(start, dot - start));
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return parts;
}

} // namespace

std::optional<std::int64_t> parseTimeValue(const std::string &text)
{
    if (auto n = parseNumber(text))
        return std::int64_t(*n);
    QDateTime t = QDateTime::fromString(QString::fromStdString(text), Qt::ISODateWithMs);
    if (!t.isValid())
        return std::nullopt;
    // Without a zone Qt reads local time; Itential's examples mean UTC.
    if (t.timeSpec() == Qt::LocalTime)
        t.setTimeSpec(Qt::UTC);
    return t.toMSecsSinceEpoch();
}

Result<SearchQuery> parseSearchQuery(const ApiRequest &request, const SearchSchema &schema)
{
    SearchQuery out;
    auto projection = projectionOf(request, schema);
    if (!projection)
        return projection.error();
    out.projection = std::move(*projection);
    for (const auto &[key, value] : request.query) {
        if (key == "include" || key == "exclude" || key == "dereference")
            continue;
        if (key == "limit") {
            auto n = wholeNumber(key, value, 0);
            if (!n)
                return n.error();
            out.limit = *n;
            if (out.limit > kMaxListLimit) {
                out.hints.push_back("limit " + value + " was reduced to the maximum, " +
                                    std::to_string(kMaxListLimit));
                out.limit = kMaxListLimit;
            }
        } else if (key == "skip") {
            auto n = wholeNumber(key, value, 0);
            if (!n)
                return n.error();
            out.skip = *n;
        } else if (key == "order") {
            if (value != "1" && value != "-1")
                return Error::invalid("query parameter \"order\" must be 1 or -1, not \"" + value +
                                          "\"",
                                      {{"parameter", "order"}});
            out.descending = value == "-1";
        } else if (key == "sort") {
            auto field = fieldNamed(schema, value, "sort");
            if (!field)
                return field.error();
            if (!(*field)->sortable)
                return Error::invalid("sort: cannot sort on \"" + value + "\"",
                                      {{"parameter", "sort"}, {"field", value}});
            out.sortField = value;
        } else if (key == "q") {
            auto q = parseJson(value);
            if (!q)
                return Error::invalid("query parameter \"q\" is not valid JSON: " +
                                          q.error().message,
                                      {{"parameter", "q"}});
            auto e = expression(schema, *q, "q", 0);
            if (!e)
                return e.error();
            out.filter.children.push_back(std::move(*e));
        } else if (auto parts = bracketKey(key); parts && operatorNamed(parts->first)) {
            auto e = bracketFilter(schema, *operatorNamed(parts->first), parts->second, value, key);
            if (!e)
                return e.error();
            out.filter.children.push_back(std::move(*e));
        } else {
            return Error::invalid("unknown query parameter \"" + key + "\"", {{"parameter", key}});
        }
    }
    return out;
}

Result<Projection> parseProjection(const ApiRequest &request, const SearchSchema &schema)
{
    for (const auto &[key, value] : request.query)
        if (key != "include" && key != "exclude" && key != "dereference")
            return Error::invalid("unknown query parameter \"" + key +
                                      "\"; a single document takes include, exclude and "
                                      "dereference",
                                  {{"parameter", key}});
    return projectionOf(request, schema);
}

json project(const json &document, const Projection &projection)
{
    if (!document.is_object())
        return document;
    json out;
    if (projection.include.empty()) {
        out = document;
    } else {
        out = json::object();
        if (document.contains("_id"))
            out["_id"] = document["_id"];
        for (const auto &path : projection.include) {
            const auto parts = splitPath(path);
            const json *from = &document;
            for (const auto &p : parts) {
                if (!from->is_object() || !from->contains(p)) {
                    from = nullptr;
                    break;
                }
                from = &(*from)[p];
            }
            if (!from)
                continue;
            json *to = &out;
            for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
                if (!to->contains(parts[i]) || !(*to)[parts[i]].is_object())
                    (*to)[parts[i]] = json::object();
                to = &(*to)[parts[i]];
            }
            (*to)[parts.back()] = *from;
        }
    }
    for (const auto &path : projection.exclude) {
        const auto parts = splitPath(path);
        json *at = &out;
        for (std::size_t i = 0; at && i + 1 < parts.size(); ++i)
            at = at->is_object() && at->contains(parts[i]) ? &(*at)[parts[i]] : nullptr;
        if (at && at->is_object())
            at->erase(parts.back());
    }
    return out;
}

} // namespace flowdeck::api
