// SPDX-License-Identifier: GPL-3.0-or-later
// A re-implementation of json-query's tokenizer and evaluator (lib/tokenize.js, index.js).
// The tokenizer splits the path at depth 0 on '.', ':', '|', '[', '(' exactly as json-query
// does, so odd but accepted paths ("a[0]b", "a..b", ".a") mean what they mean there; the
// evaluator follows json-query's handleToken, with undefined standing in for its null.

#include "engine/tasks/JsonQuery.h"

#include "engine/tasks/JsValue.h"

#include <QString>

#include <cmath>
#include <memory>
#include <regex>
#include <string>
#include <vector>

namespace flowdeck::tasks {

using nlohmann::json;

namespace {

struct Query;

/// A key or value inside brackets: literal text, or a {sub-query} evaluated on the root.
struct Operand
{
    std::string text;
    std::shared_ptr<Query> sub;
};

struct Condition
{
    Operand key;
    std::string op; ///< = ~ < > <= >=
    bool negate = false;
    Operand value;
    std::optional<std::regex> regex;
    char booleanOp = 0; ///< 0 for the first condition, then '&' or '|'
};

struct Step
{
    enum class Kind { Get, Values, Select, Helper };
    Kind kind = Kind::Get;
    Operand key;           ///< Get: the key; Helper: the name in key.text
    bool deep = false;     ///< Values: [**]
    bool multiple = false; ///< Select: [*k=v]
    std::vector<Condition> conditions;
    std::vector<std::string> args;
    std::size_t pos = 0;
};

struct Query
{
    std::vector<std::vector<Step>> alternatives;
};

std::string_view trim(std::string_view s)
{
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return {};
    const auto last = s.find_last_not_of(" \t\r\n");
    return s.substr(first, last - first + 1);
}

Error syntaxError(std::string_view path, std::size_t pos, const std::string &what)
{
    return Error::invalid("json-query: " + what + " at position " + std::to_string(pos) + " in \"" +
                          std::string(path) + "\"");
}

Result<Query> parseQuery(std::string_view path, std::size_t offset, std::string_view whole);

class Parser
{
public:
    Parser(std::string_view text, std::size_t offset, std::string_view whole)
        : m_text(text), m_offset(offset), m_whole(whole)
    {}

    Result<Query> parse()
    {
        m_query.alternatives.emplace_back();
        std::size_t depth = 0;
        std::vector<std::size_t> opens;
        std::size_t partStart = 0;
        for (std::size_t i = 0; i < m_text.size(); ++i) {
            const char c = m_text[i];
            if (depth == 0) {
                if (i == partStart && c == '.' && i + 1 < m_text.size() && m_text[i + 1] == '.')
                    return syntaxError(m_whole, at(i), "the parent query '..' is not supported");
                switch (c) {
                case '.':
                case ':':
                case '|':
                case '[':
                case '(':
                    if (auto r = flush(i); !r.ok())
                        return r.error();
                    m_bufferStart = i + 1;
                    if (c == '.') {
                        m_mode = Mode::Get;
                    } else if (c == ':') {
                        m_mode = Mode::Helper;
                        m_modePos = i;
                    } else if (c == '|') {
                        m_mode = Mode::Get;
                        m_query.alternatives.emplace_back();
                        partStart = i + 1;
                    } else {
                        m_mode = c == '[' ? Mode::Select : Mode::Args;
                        m_modePos = i;
                        depth = 1;
                        opens.assign(1, i);
                    }
                    continue;
                case '{':
                    return syntaxError(m_whole, at(i), "unexpected '{'");
                case ']':
                case ')':
                case '}':
                    return syntaxError(m_whole, at(i), std::string("unexpected '") + c + "'");
                default:
                    continue;
                }
            }
            if (c == '[' || c == '(' || c == '{') {
                ++depth;
                opens.push_back(i);
            } else if (c == ']' || c == ')' || c == '}') {
                --depth;
                opens.pop_back();
                if (depth == 0) {
                    if (auto r = flush(i); !r.ok())
                        return r.error();
                    m_mode = Mode::Get;
                    m_bufferStart = i + 1;
                }
            }
        }
        if (depth > 0)
            return syntaxError(m_whole, at(opens.front()),
                               std::string("unclosed '") + m_text[opens.front()] + "'");
        if (auto r = flush(m_text.size()); !r.ok())
            return r.error();
        return std::move(m_query);
    }

private:
    enum class Mode { Get, Helper, Select, Args };

    std::size_t at(std::size_t i) const { return m_offset + i; }
    std::vector<Step> &steps() { return m_query.alternatives.back(); }

    Result<void> flush(std::size_t end)
    {
        const std::string_view buffer = m_text.substr(m_bufferStart, end - m_bufferStart);
        switch (m_mode) {
        case Mode::Get: {
            const auto key = trim(buffer);
            if (!key.empty()) {
                Step step;
                step.key.text = std::string(key);
                step.pos = at(m_bufferStart);
                steps().push_back(std::move(step));
            }
            return {};
        }
        case Mode::Helper: {
            const auto name = trim(buffer);
            if (name.empty())
                return syntaxError(m_whole, at(m_modePos), "missing helper name after ':'");
            if (name != "get")
                return syntaxError(m_whole, at(m_modePos),
                                   "unknown helper ':" + std::string(name) +
                                       "' (only :get(key) is available)");
            Step step;
            step.kind = Step::Kind::Helper;
            step.key.text = std::string(name);
            step.pos = at(m_modePos);
            steps().push_back(std::move(step));
            return {};
        }
        case Mode::Args: {
            if (steps().empty() || steps().back().kind != Step::Kind::Helper ||
                !steps().back().args.empty())
                return syntaxError(m_whole, at(m_modePos), "'(' must follow a :helper");
            const auto arg = trim(buffer);
            if (arg.empty())
                return syntaxError(m_whole, at(m_modePos), ":get() needs a key");
            steps().back().args.emplace_back(arg);
            return {};
        }
        case Mode::Select:
            return parseSelect(buffer, m_bufferStart);
        }
        return {};
    }

    Result<Operand> operand(std::string_view text, std::size_t pos)
    {
        Operand result;
        if (text.size() >= 2 && text.front() == '{' && text.back() == '}') {
            auto sub = parseQuery(text.substr(1, text.size() - 2), at(pos) + 1, m_whole);
            if (!sub.ok())
                return sub.error();
            result.sub = std::make_shared<Query>(std::move(sub.value()));
        }
        result.text = std::string(text);
        return result;
    }

    Result<void> parseSelect(std::string_view text, std::size_t pos)
    {
        if (text.empty())
            return syntaxError(m_whole, at(m_modePos),
                               "empty brackets (deep query) are not supported");
        Step step;
        step.pos = at(m_modePos);
        if (text == "*" || text == "**") {
            step.kind = Step::Kind::Values;
            step.deep = text == "**";
            steps().push_back(std::move(step));
            return {};
        }
        if (text.front() == '*') {
            step.multiple = true;
            text.remove_prefix(1);
            ++pos;
        }
        const auto parts = splitBoolean(text);
        for (std::size_t i = 0; i < parts.size(); ++i) {
            const auto &[start, length, op] = parts[i];
            auto condition = parseCondition(text.substr(start, length), pos + start);
            if (!condition.ok())
                return condition.error();
            if (!condition.value()) {
                if (parts.size() == 1) {
                    // No operator: "[key]" is a plain key lookup ("[*key]" too, as in json-query).
                    auto key = operand(trim(text), pos);
                    if (!key.ok())
                        return key.error();
                    Step get;
                    get.key = std::move(key.value());
                    get.pos = at(pos);
                    steps().push_back(std::move(get));
                    return {};
                }
                return syntaxError(m_whole, at(pos + start),
                                   "condition \"" + std::string(trim(text.substr(start, length))) +
                                       "\" has no operator");
            }
            condition.value()->booleanOp = op;
            step.conditions.push_back(std::move(*condition.value()));
        }
        step.kind = Step::Kind::Select;
        steps().push_back(std::move(step));
        return {};
    }

    struct Part
    {
        std::size_t start;
        std::size_t length;
        char op;
    };

    // json-query's depthSplit on /&|\|/, except that a /regex/ after '~' is kept whole.
    static std::vector<Part> splitBoolean(std::string_view text)
    {
        std::vector<Part> parts;
        std::size_t depth = 0;
        std::size_t start = 0;
        char pendingOp = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '[' || c == '(' || c == '{') {
                ++depth;
            } else if ((c == ']' || c == ')' || c == '}') && depth > 0) {
                --depth;
            } else if (depth == 0 && c == '~') {
                std::size_t j = i + 1;
                while (j < text.size() && text[j] == ' ')
                    ++j;
                if (j < text.size() && text[j] == '/')
                    i = skipRegex(text, j);
            } else if (depth == 0 && (c == '&' || c == '|')) {
                parts.push_back({start, i - start, pendingOp});
                pendingOp = c;
                start = i + 1;
            }
        }
        parts.push_back({start, text.size() - start, pendingOp});
        return parts;
    }

    // Index of the closing '/' of a regex literal opening at `open`, or the last index.
    static std::size_t skipRegex(std::string_view text, std::size_t open)
    {
        bool inClass = false;
        for (std::size_t i = open + 1; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '\\') {
                ++i;
            } else if (c == '[') {
                inClass = true;
            } else if (c == ']') {
                inClass = false;
            } else if (c == '/' && !inClass) {
                return i;
            }
        }
        return text.size() - 1;
    }

    // json-query's getSelectPart: split at the first /(!)?(=|~|:|<=|>=|<|>)/ at depth 0.
    Result<std::optional<Condition>> parseCondition(std::string_view text, std::size_t pos)
    {
        std::size_t depth = 0;
        for (std::size_t i = 0; i < text.size(); ++i) {
            const char c = text[i];
            if (c == '[' || c == '(' || c == '{') {
                ++depth;
                continue;
            }
            if ((c == ']' || c == ')' || c == '}') && depth > 0) {
                --depth;
                continue;
            }
            if (depth > 0)
                continue;
            bool negate = false;
            std::size_t opStart = i;
            if (c == '!' && i + 1 < text.size() && opLength(text, i + 1) > 0) {
                negate = true;
                opStart = i + 1;
            }
            const std::size_t length = opLength(text, opStart);
            if (length == 0)
                continue;
            Condition condition;
            condition.negate = negate;
            condition.op = std::string(text.substr(opStart, length));
            if (condition.op == ":")
                return syntaxError(m_whole, at(pos + opStart),
                                   "helpers inside brackets are not supported");
            const std::size_t valueStart = opStart + length;
            auto key = operand(trim(text.substr(0, i)), pos);
            if (!key.ok())
                return key.error();
            condition.key = std::move(key.value());
            const auto valueText = trim(text.substr(valueStart));
            auto value = operand(valueText, pos + valueStart);
            if (!value.ok())
                return value.error();
            condition.value = std::move(value.value());
            if (condition.op == "~" && !condition.value.sub) {
                auto regex = compileRegex(valueText, pos + valueStart);
                if (!regex.ok())
                    return regex.error();
                condition.regex = std::move(regex.value());
            }
            return std::optional<Condition>(std::move(condition));
        }
        return std::optional<Condition>();
    }

    static std::size_t opLength(std::string_view text, std::size_t i)
    {
        if (i >= text.size())
            return 0;
        const char c = text[i];
        if (c == '=' || c == '~' || c == ':')
            return 1;
        if (c == '<' || c == '>')
            return i + 1 < text.size() && text[i + 1] == '=' ? 2 : 1;
        return 0;
    }

    // json-query recognises /^\/(.*)\/([a-z]?)$/ as a regular expression, else a substring.
    Result<std::optional<std::regex>> compileRegex(std::string_view text, std::size_t pos)
    {
        if (text.size() < 2 || text.front() != '/')
            return std::optional<std::regex>();
        std::size_t close = text.size() - 1;
        std::string flag;
        if (text.back() != '/') {
            if (text.size() < 3 || text[text.size() - 2] != '/' || text.back() < 'a' ||
                text.back() > 'z')
                return std::optional<std::regex>();
            close = text.size() - 2;
            flag = std::string(1, text.back());
        }
        if (close == 0)
            return std::optional<std::regex>();
        auto flags = std::regex::ECMAScript;
        if (flag == "i")
            flags |= std::regex::icase;
        else if (flag == "m")
            flags |= std::regex::multiline;
        else if (!flag.empty() && flag != "g")
            return syntaxError(m_whole, at(pos),
                               "unsupported regular expression flag '" + flag +
                                   "' (i, g and m are supported)");
        try {
            return std::optional<std::regex>(
                std::regex(std::string(text.substr(1, close - 1)), flags));
        } catch (const std::regex_error &e) {
            return syntaxError(m_whole, at(pos),
                               std::string("invalid regular expression: ") + e.what());
        }
    }

    std::string_view m_text;
    std::size_t m_offset;
    std::string_view m_whole;
    Query m_query;
    Mode m_mode = Mode::Get;
    std::size_t m_modePos = 0;
    std::size_t m_bufferStart = 0;
};

Result<Query> parseQuery(std::string_view path, std::size_t offset, std::string_view whole)
{
    return Parser(path, offset, whole).parse();
}

// ---- evaluation -----------------------------------------------------------------------------

bool isArrayIndex(std::string_view key)
{
    if (key.empty() || key.size() > 10 || (key.size() > 1 && key.front() == '0'))
        return false;
    for (char c : key) {
        if (c < '0' || c > '9')
            return false;
    }
    return std::stoull(std::string(key)) < 4294967295ULL;
}

double jsParseInt(std::string_view s)
{
    s = trim(s);
    double sign = 1;
    if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
        sign = s.front() == '-' ? -1 : 1;
        s.remove_prefix(1);
    }
    int radix = 10;
    if (s.size() >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        radix = 16;
        s.remove_prefix(2);
    }
    double value = 0;
    std::size_t digits = 0;
    for (char c : s) {
        int d = -1;
        if (c >= '0' && c <= '9')
            d = c - '0';
        else if (radix == 16 && c >= 'a' && c <= 'f')
            d = c - 'a' + 10;
        else if (radix == 16 && c >= 'A' && c <= 'F')
            d = c - 'A' + 10;
        if (d < 0)
            break;
        value = value * radix + d;
        ++digits;
    }
    return digits == 0 ? std::nan("") : sign * value;
}

// json-query's isDeepAccessor: `parseInt(key) != key` — on an array, any key that is not a
// number plucks the key from every element.
bool isDeepAccessor(const std::string &key)
{
    const double n = jsParseInt(key);
    return std::isnan(n) || n != jsStringToNumber(key);
}

/// JavaScript's item[key] for JSON values.
JsValue property(const JsValue &item, const std::string &key)
{
    if (!item)
        return std::nullopt;
    if (item->is_object()) {
        const auto it = item->find(key);
        if (it == item->end())
            return std::nullopt;
        return *it;
    }
    if (item->is_array()) {
        if (key == "length")
            return json(item->size());
        if (isArrayIndex(key)) {
            const auto index = std::stoull(key);
            if (index < item->size())
                return (*item)[index];
        }
        return std::nullopt;
    }
    if (item->is_string()) {
        const QString s = QString::fromStdString(item->get<std::string>());
        if (key == "length")
            return json(s.size());
        if (isArrayIndex(key)) {
            const auto index = static_cast<qsizetype>(std::stoull(key));
            if (index < s.size())
                return json(QString(s.at(index)).toStdString());
        }
    }
    return std::nullopt;
}

class Evaluator
{
public:
    explicit Evaluator(const JsValue &root) : m_root(root) {}

    JsValue run(const Query &query) const
    {
        JsValue current = m_root;
        for (const auto &alternative : query.alternatives) {
            current = m_root;
            for (const Step &step : alternative)
                current = apply(step, current);
            if (jsTruthy(current))
                break;
        }
        return current;
    }

private:
    JsValue resolve(const Operand &operand) const
    {
        if (operand.sub)
            return run(*operand.sub);
        return json(operand.text);
    }

    std::string resolveKey(const Operand &operand) const
    {
        return operand.sub ? jsToString(run(*operand.sub)) : operand.text;
    }

    JsValue apply(const Step &step, const JsValue &current) const
    {
        switch (step.kind) {
        case Step::Kind::Get:
            return get(current, resolveKey(step.key));
        case Step::Kind::Values:
            return values(current, step.deep);
        case Step::Kind::Select:
            return select(current, step);
        case Step::Kind::Helper:
            return current && !current->is_null() ? property(current, step.args.at(0))
                                                  : std::nullopt;
        }
        return std::nullopt;
    }

    static JsValue get(const JsValue &current, const std::string &key)
    {
        if (!jsTruthy(current))
            return std::nullopt;
        if (current->is_array() && isDeepAccessor(key)) {
            json plucked = json::array();
            for (const auto &item : *current) {
                const JsValue value = property(item, key);
                if (!value)
                    continue;
                if (value->is_array()) {
                    for (const auto &element : *value)
                        plucked.push_back(element);
                } else {
                    plucked.push_back(*value);
                }
            }
            return plucked;
        }
        return property(current, key);
    }

    static JsValue values(const JsValue &current, bool deep)
    {
        json result = json::array();
        if (!jsTruthy(current))
            return result;
        auto add = [&](const json &value) {
            if (deep && value.is_array()) {
                for (const auto &element : value)
                    result.push_back(element);
            } else {
                result.push_back(value);
            }
        };
        if (current->is_object() || current->is_array()) {
            for (const auto &value : *current)
                add(value);
        } else if (current->is_string()) {
            const QString s = QString::fromStdString(current->get<std::string>());
            for (const QChar c : s)
                result.push_back(QString(c).toStdString());
        }
        return result;
    }

public:
    /// Indexes of the elements of `array` the filter step accepts (only the first if asked).
    std::vector<std::size_t> matchingIndexes(const json &array, const Step &step,
                                             bool firstOnly) const
    {
        struct Resolved
        {
            std::string key;
            JsValue value;
        };
        // json-query resolves the operands once per step, against the root.
        std::vector<Resolved> resolved;
        for (const auto &condition : step.conditions)
            resolved.push_back({resolveKey(condition.key), resolve(condition.value)});

        std::vector<std::size_t> indexes;
        for (std::size_t index = 0; index < array.size(); ++index) {
            bool result = false;
            for (std::size_t i = 0; i < step.conditions.size(); ++i) {
                const bool r = matchesCondition(array[index], step.conditions[i], resolved[i].key,
                                                resolved[i].value);
                const char op = step.conditions[i].booleanOp;
                result = op == '&' ? (result && r) : op == '|' ? (result || r) : r;
            }
            if (!result)
                continue;
            indexes.push_back(index);
            if (firstOnly)
                break;
        }
        return indexes;
    }

private:
    JsValue select(const JsValue &current, const Step &step) const
    {
        if (!current || !current->is_array())
            return std::nullopt;
        const auto indexes = matchingIndexes(*current, step, !step.multiple);
        if (!step.multiple) {
            if (indexes.empty())
                return std::nullopt;
            return (*current)[indexes.front()];
        }
        json matches = json::array();
        for (const auto index : indexes)
            matches.push_back((*current)[index]);
        return matches;
    }

    static bool matchesCondition(const json &item, const Condition &condition,
                                 const std::string &key, const JsValue &value)
    {
        const JsValue field = property(item, key);
        bool r = false;
        if (condition.op == "=") {
            if (field && field->is_boolean() && value && value->is_string())
                r = (field->get<bool>() && *value == "true") ||
                    (!field->get<bool>() && *value == "false") || jsLooseEquals(field, value);
            else
                r = jsLooseEquals(field, value);
        } else if (condition.op == "~") {
            if (!jsTruthy(field)) {
                r = false;
            } else if (condition.regex) {
                r = field->is_string() &&
                    std::regex_search(field->get_ref<const std::string &>(), *condition.regex);
            } else if (field->is_string()) {
                r = field->get_ref<const std::string &>().find(jsToString(value)) !=
                    std::string::npos;
            } else if (field->is_array()) {
                for (const auto &element : *field) {
                    if (jsStrictEquals(element, value)) {
                        r = true;
                        break;
                    }
                }
            }
        } else if (condition.op == "<") {
            r = jsCompare(field, value, JsRelation::Less);
        } else if (condition.op == ">") {
            r = jsCompare(field, value, JsRelation::Greater);
        } else if (condition.op == "<=") {
            r = jsCompare(field, value, JsRelation::LessOrEqual);
        } else if (condition.op == ">=") {
            r = jsCompare(field, value, JsRelation::GreaterOrEqual);
        }
        return condition.negate ? !r : r;
    }

    const JsValue &m_root;
};

} // namespace

Result<std::optional<json>> jsonQuery(const std::optional<json> &data, std::string_view path)
{
    auto query = parseQuery(path, 0, path);
    if (!query.ok())
        return query.error();
    return Evaluator(data).run(query.value());
}

Result<std::optional<json>> jsonQuery(const json &data, std::string_view path)
{
    return jsonQuery(std::optional<json>(data), path);
}

namespace {

constexpr std::size_t kMaxPaddedIndex = 1000000;

std::string withArticle(const std::string &noun)
{
    return (noun.front() == 'a' || noun.front() == 'o' || noun.front() == 'u' ? "an " : "a ") +
           noun;
}

} // namespace

Result<json> jsonQuerySet(json data, std::string_view path, json value)
{
    auto parsed = parseQuery(path, 0, path);
    if (!parsed.ok())
        return parsed.error();
    const Query &query = parsed.value();
    if (query.alternatives.size() > 1)
        return Error::invalid("json-query: cannot set through alternatives '|' in \"" +
                              std::string(path) + "\"");
    const auto &steps = query.alternatives.front();
    const std::optional<json> root = data;
    const Evaluator evaluator(root);

    json *current = &data;
    for (const Step &step : steps) {
        auto fail = [&](const std::string &what) {
            return syntaxError(path, step.pos, "cannot set " + what);
        };
        if (step.kind == Step::Kind::Values)
            return fail("through [*] or [**]");
        if (step.kind == Step::Kind::Select) {
            if (step.multiple)
                return fail("through a multiple-match filter [*…]");
            if (!current->is_array())
                return fail("through a filter on " + withArticle(jsTypeName(*current)));
            const auto found = evaluator.matchingIndexes(*current, step, true);
            if (found.empty())
                return fail("through a filter that matches no element");
            current = &(*current)[found.front()];
            continue;
        }
        const std::string key = step.kind == Step::Kind::Helper ? step.args.at(0)
                                : step.key.sub ? jsToString(evaluator.run(*step.key.sub))
                                               : step.key.text;
        if (current->is_null())
            *current = json::object();
        if (current->is_object()) {
            current = &(*current)[key];
        } else if (current->is_array() && isArrayIndex(key)) {
            const auto index = std::stoull(key);
            // Growing an array pads it with nulls; a runaway index would exhaust memory.
            if (index > kMaxPaddedIndex)
                return fail("index " + key + " (more than " + std::to_string(kMaxPaddedIndex) +
                            ")");
            while (current->size() <= index)
                current->push_back(nullptr);
            current = &(*current)[index];
        } else {
            return fail("key \"" + key + "\" on " + withArticle(jsTypeName(*current)));
        }
    }
    *current = std::move(value);
    return data;
}

} // namespace flowdeck::tasks
