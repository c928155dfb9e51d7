// SPDX-License-Identifier: GPL-3.0-or-later
//
// JSON Schema draft-07, checked and validated on nlohmann::json.
//
// check() walks every subschema once, reporting malformed keywords, compiling the regular
// expressions it meets and resolving every $ref. compile() keeps what that walk produced
// (the compiled regexes and a map from each "$ref" schema object to its target) next to its
// own copy of the schema, so validation never parses a pattern or a pointer again.
//
// Issue conventions:
//  - check(): keyword is the schema keyword that is wrong; instancePath points at the bad
//    value inside the schema (prefixed by basePointer); schemaPath is "#/meta/<keyword>",
//    naming the rule of the draft-07 meta-schema that failed (the user's schema is not the
//    meta-schema, so its paths would mislead); params is {<keyword>: <offending value>}.
//  - validate(): keyword, params and messages follow Ajv; after a $ref the schemaPath
//    continues from the target ("#/definitions/node/type"), as Ajv reports it.
//
// Regular expressions are PCRE2 in UTF mode, set up to read ECMAScript syntax (see
// compileRegex()): workflow exports use lookbehind, \p{…} and named groups, which std::regex
// lacks, and std::regex recursed once per character, overflowing the stack on long values.
// Matching is bounded, so a pattern that backtracks catastrophically reports an issue rather
// than hanging a validation.
// "$ref" resolves inside the schema only: JSON pointers, "$id"-named subschemas and plain-name
// fragments ("#node"); remote documents are never fetched.

#include "engine/validate/JsonSchema.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>
#include <cctype>
#include <cfloat>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <set>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

namespace flowdeck::validate {

namespace {

using nlohmann::json;
using Issues = std::vector<ValidationIssue>;

constexpr std::string_view kTypeNames[] = {"array",  "boolean", "integer", "null",
                                           "number", "object",  "string"};
constexpr const char *kTypeList = "array, boolean, integer, null, number, object, string";

// Deep instances validated against a recursive schema recurse once per level; past this many
// nested $ref evaluations the stack, not the schema, would be the limit.
constexpr std::size_t kMaxRefDepth = 512;

// ---------------------------------------------------------------------------------------------
// Small helpers

std::string dumpValue(const json &value)
{
    std::string text = value.dump(-1, ' ', false, json::error_handler_t::replace);
    constexpr std::size_t kMax = 80;
    if (text.size() > kMax) {
        // Cut on a code point boundary: a split sequence would make the issue undumpable.
        std::size_t cut = kMax;
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0U) == 0x80U)
            --cut;
        text.resize(cut);
        text += "…";
    }
    return text;
}

const char *typeName(const json &value)
{
    switch (value.type()) {
    case json::value_t::null:
        return "null";
    case json::value_t::boolean:
        return "boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned:
        return "integer";
    case json::value_t::number_float:
        return "number";
    case json::value_t::string:
        return "string";
    case json::value_t::array:
        return "array";
    case json::value_t::object:
        return "object";
    default:
        return "value";
    }
}

// "string \"abc\"" — the kind and the value, for "got …" in check() messages.
std::string described(const json &value)
{
    return std::string(typeName(value)) + " " + dumpValue(value);
}

bool isSchema(const json &value)
{
    return value.is_object() || value.is_boolean();
}

bool isIntegral(const json &value)
{
    if (value.is_number_integer())
        return true;
    if (!value.is_number_float())
        return false;
    const double d = value.get<double>();
    return std::isfinite(d) && std::trunc(d) == d;
}

// long double holds every int64, uint64 and double exactly on the platforms we build for, so
// limits such as 9007199254740993 compare correctly against integer instances.
long double numberValue(const json &value)
{
    if (value.is_number_unsigned())
        return static_cast<long double>(value.get<std::uint64_t>());
    if (value.is_number_integer())
        return static_cast<long double>(value.get<std::int64_t>());
    return static_cast<long double>(value.get<double>());
}

std::size_t codePointCount(const std::string &text)
{
    std::size_t count = 0;
    for (const char c : text)
        if ((static_cast<unsigned char>(c) & 0xC0U) != 0x80U)
            ++count;
    return count;
}

// ---------------------------------------------------------------------------------------------
// Regular expressions

struct CodeFree
{
    void operator()(pcre2_code *code) const { pcre2_code_free(code); }
};
struct CompileContextFree
{
    void operator()(pcre2_compile_context *context) const { pcre2_compile_context_free(context); }
};
struct MatchDataFree
{
    void operator()(pcre2_match_data *data) const { pcre2_match_data_free(data); }
};
struct MatchContextFree
{
    void operator()(pcre2_match_context *context) const { pcre2_match_context_free(context); }
};
struct JitStackFree
{
    void operator()(pcre2_jit_stack *stack) const { pcre2_jit_stack_free(stack); }
};

using Regex = std::unique_ptr<pcre2_code, CodeFree>;

// Bounds on one match, so that a pattern such as "(a+)+$" fails fast on a long value instead of
// backtracking for hours. A million backtracking steps is far beyond what a linear pattern
// needs on any job variable; the depth and heap limits only bind the interpreter (used when
// PCRE2 has no JIT for this CPU) and keep its backtracking frames to tens of megabytes.
constexpr std::uint32_t kMatchLimit = 1'000'000;
constexpr std::uint32_t kDepthLimit = 100'000;
constexpr std::uint32_t kHeapLimitKiB = 64 * 1024;
// JIT code backtracks on its own stack; the default 32 KiB on the machine stack runs out at
// about 2,000 characters with patterns like "^(a|b)*$" (PCRE2 10.42). The stack is reserved
// up front but only committed as used.
constexpr std::size_t kJitStackStart = 32 * 1024;
constexpr std::size_t kJitStackMax = 4 * 1024 * 1024;

// PCRE2 reads Perl syntax; these options bring it to what draft-07 means by a regular
// expression (ECMA-262) as far as options can:
//  - UTF: pattern and value are UTF-8 and "." and "{n}" count code points, not bytes.
//  - no UCP: UCP would make \d, \w and \b match Unicode digits and letters, while ECMAScript
//    (and Ajv, which compiles with the "u" flag) keeps them ASCII; \p{…} works without it.
//    The price is that \s stays ASCII too, where ECMAScript would also match U+00A0 and the
//    other Unicode spaces.
//  - ALT_BSUX and EXTRA_ALT_BSUX: ECMAScript's \uXXXX and \u{…}; \x needs two hex digits.
//  - DOLLAR_ENDONLY: "$" matches at the end only, not also before a trailing newline.
//  - ALLOW_EMPTY_CLASS: "[]" matches nothing and "[^]" any character, as in ECMAScript.
//  - NEWLINE_ANYCRLF: "." matches neither \n nor \r (ECMAScript also excludes U+2028/9).
//  - MATCH_INVALID_UTF: a value built in code may hold invalid UTF-8 (parsed JSON cannot);
//    such bytes then match nothing instead of failing the whole match.
//  - NEVER_BACKSLASH_C: \C matches a single byte and could split a character.
// The search is unanchored: draft-07 patterns match anywhere unless they say "^…$".
Regex compileRegex(const std::string &pattern, std::string *error, bool jit)
{
    const std::unique_ptr<pcre2_compile_context, CompileContextFree> context(
        pcre2_compile_context_create(nullptr));
    if (!context) {
        if (error)
            *error = "out of memory";
        return nullptr;
    }
    pcre2_set_compile_extra_options(context.get(), PCRE2_EXTRA_ALT_BSUX);
    pcre2_set_newline(context.get(), PCRE2_NEWLINE_ANYCRLF);
    constexpr std::uint32_t kOptions = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY |
                                       PCRE2_ALLOW_EMPTY_CLASS | PCRE2_MATCH_INVALID_UTF |
                                       PCRE2_NEVER_BACKSLASH_C;
    int code = 0;
    PCRE2_SIZE offset = 0;
    Regex regex(pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                              kOptions, &code, &offset, context.get()));
    if (!regex) {
        if (error) {
            PCRE2_UCHAR message[256] = {};
            if (pcre2_get_error_message(code, message, sizeof message) < 0)
                *error = "error " + std::to_string(code);
            else
                *error = reinterpret_cast<const char *>(message);
            // PCRE2 counts bytes; people count characters, as JSON Schema does.
            const std::size_t at = codePointCount(pattern.substr(0, offset));
            *error += " at offset " + std::to_string(at);
        }
        return nullptr;
    }
    // Without JIT support (or with JIT memory exhausted) pcre2_match() interprets the pattern,
    // which is slower but gives the same answers, so the result is deliberately ignored.
    if (jit)
        static_cast<void>(pcre2_jit_compile(regex.get(), PCRE2_JIT_COMPLETE));
    return regex;
}

// What one pcre2_match() call needs besides the pattern. Match data and a JIT stack must not
// be used by two matches at once and validation runs on several threads, so each thread has
// its own; one ovector pair is enough since only "did it match" matters.
struct MatchScratch
{
    std::unique_ptr<pcre2_match_data, MatchDataFree> data{pcre2_match_data_create(1, nullptr)};
    std::unique_ptr<pcre2_match_context, MatchContextFree> context{
        pcre2_match_context_create(nullptr)};
    std::unique_ptr<pcre2_jit_stack, JitStackFree> stack{
        pcre2_jit_stack_create(kJitStackStart, kJitStackMax, nullptr)};

    MatchScratch()
    {
        if (!context)
            return;
        pcre2_set_match_limit(context.get(), kMatchLimit);
        pcre2_set_depth_limit(context.get(), kDepthLimit);
        pcre2_set_heap_limit(context.get(), kHeapLimitKiB);
        // Without a stack of our own JIT code uses 32 KiB of the machine stack.
        if (stack)
            pcre2_jit_stack_assign(context.get(), nullptr, stack.get());
    }
};

enum class Match { Yes, No, Error };

Match searchRegex(const pcre2_code *regex, const std::string &text)
{
    thread_local MatchScratch scratch;
    if (!scratch.data || !scratch.context)
        return Match::Error;
    const int rc = pcre2_match(regex, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(), 0, 0,
                               scratch.data.get(), scratch.context.get());
    // rc == 0 is a match whose groups did not fit the one-pair ovector.
    if (rc >= 0)
        return Match::Yes;
    if (rc == PCRE2_ERROR_NOMATCH)
        return Match::No;
    // A limit above (match, depth, heap, JIT stack) or memory ran out: the answer is unknown.
    return Match::Error;
}

// ---------------------------------------------------------------------------------------------
// URI references, as far as $ref inside one document needs them

bool hasScheme(std::string_view uri)
{
    if (uri.empty() || !std::isalpha(static_cast<unsigned char>(uri[0])))
        return false;
    for (std::size_t i = 1; i < uri.size(); ++i) {
        const char c = uri[i];
        if (c == ':')
            return true;
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.')
            return false;
    }
    return false;
}

std::string withoutFragment(const std::string &uri)
{
    const auto hash = uri.find('#');
    return hash == std::string::npos ? uri : uri.substr(0, hash);
}

// RFC 3986 §5.2 without dot-segment removal: enough to match "$id"s written in the schema.
std::string resolveUri(const std::string &base, const std::string &ref)
{
    if (hasScheme(ref))
        return ref;
    const std::string doc = withoutFragment(base);
    if (ref.empty() || ref[0] == '#')
        return doc + ref;
    const auto colon = hasScheme(doc) ? doc.find(':') : std::string::npos;
    if (ref.rfind("//", 0) == 0)
        return colon == std::string::npos ? ref : doc.substr(0, colon + 1) + ref;
    if (ref[0] == '/') {
        if (colon != std::string::npos && doc.compare(colon + 1, 2, "//") == 0) {
            const auto pathStart = doc.find('/', colon + 3);
            return (pathStart == std::string::npos ? doc : doc.substr(0, pathStart)) + ref;
        }
        return colon == std::string::npos ? ref : doc.substr(0, colon + 1) + ref;
    }
    const auto query = doc.find('?');
    const std::string path = query == std::string::npos ? doc : doc.substr(0, query);
    const auto slash = path.rfind('/');
    const auto minSlash = colon == std::string::npos ? 0 : colon + 3;
    if (slash == std::string::npos || (colon != std::string::npos && slash < minSlash)) {
        if (colon != std::string::npos && doc.compare(colon + 1, 2, "//") == 0)
            return path + "/" + ref;
        return colon == std::string::npos ? ref : doc.substr(0, colon + 1) + ref;
    }
    return path.substr(0, slash + 1) + ref;
}

int hexDigit(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::string percentDecode(const std::string &text)
{
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] == '%' && i + 2 < text.size()) {
            const int hi = hexDigit(text[i + 1]);
            const int lo = hexDigit(text[i + 2]);
            if (hi >= 0 && lo >= 0) {
                out += static_cast<char>(hi * 16 + lo);
                i += 2;
                continue;
            }
        }
        out += text[i];
    }
    return out;
}

// RFC 6901 evaluation that reports failure instead of throwing; `normalized` receives the
// pointer re-escaped from the decoded tokens.
const json *evaluatePointer(const json &root, const std::string &pointer, std::string &normalized)
{
    normalized.clear();
    if (pointer.empty())
        return &root;
    if (pointer[0] != '/')
        return nullptr;
    const json *node = &root;
    std::size_t start = 1;
    while (true) {
        const auto end = pointer.find('/', start);
        std::string raw = pointer.substr(start, end == std::string::npos ? end : end - start);
        std::string token;
        for (std::size_t i = 0; i < raw.size(); ++i) {
            if (raw[i] == '~' && i + 1 < raw.size() && (raw[i + 1] == '0' || raw[i + 1] == '1')) {
                token += raw[i + 1] == '0' ? '~' : '/';
                ++i;
            } else if (raw[i] == '~') {
                return nullptr;
            } else {
                token += raw[i];
            }
        }
        if (node->is_object()) {
            const auto it = node->find(token);
            if (it == node->end())
                return nullptr;
            node = &*it;
        } else if (node->is_array()) {
            if (token.empty() || token.size() > 9 || (token.size() > 1 && token[0] == '0') ||
                !std::all_of(token.begin(), token.end(),
                             [](char c) { return c >= '0' && c <= '9'; }))
                return nullptr;
            const auto index = static_cast<std::size_t>(std::stoul(token));
            if (index >= node->size())
                return nullptr;
            node = &(*node)[index];
        } else {
            return nullptr;
        }
        normalized = appendPointer(normalized, token);
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return node;
}

// ---------------------------------------------------------------------------------------------
// What compile() keeps

struct RefTarget
{
    const json *node = nullptr;
    std::string pointer; // from the document root, for schemaPath
};

struct CompiledData
{
    json root;
    std::unordered_map<const json *, RefTarget> refs; // key: the schema object holding "$ref"
    std::unordered_map<std::string, Regex> regexes;
};

// ---------------------------------------------------------------------------------------------
// check(): the well-formedness walk

class SchemaChecker
{
public:
    SchemaChecker(const json &root, std::string basePointer, CompiledData *out)
        : m_root(root), m_base(std::move(basePointer)), m_out(out)
    {}

    Issues run()
    {
        std::string rootBase;
        if (m_root.is_object()) {
            const auto id = m_root.find("$id");
            if (id != m_root.end() && id->is_string())
                rootBase = withoutFragment(resolveUri("", id->get<std::string>()));
        }
        m_resources[rootBase] = {&m_root, ""};
        indexIds(m_root, "", rootBase);
        walk(m_root, "", rootBase, "schema");
        // Targets outside the places schemas normally live ("#/x-shared/node") are schemas
        // too once something refers to them.
        while (!m_pending.empty()) {
            auto [node, pointer, base] = m_pending.back();
            m_pending.pop_back();
            walk(*node, pointer, base, "$ref");
        }
        findRefCycles();
        return std::move(m_issues);
    }

private:
    struct Located
    {
        const json *node = nullptr;
        std::string pointer;
    };
    struct Pending
    {
        const json *node;
        std::string pointer;
        std::string base;
    };

    // -- $id index (first pass, so refs may point forwards) ----------------------------------

    std::string enterId(const json &node, const std::string &pointer, const std::string &base)
    {
        if (!node.is_object())
            return base;
        const auto id = node.find("$id");
        if (id == node.end() || !id->is_string())
            return base;
        const std::string full = resolveUri(base, id->get<std::string>());
        const std::string doc = withoutFragment(full);
        const auto hash = full.find('#');
        if (hash != std::string::npos && hash + 1 < full.size())
            m_anchors.emplace(full, Located{&node, pointer});
        if (!doc.empty() && doc != base) {
            m_resources.emplace(doc, Located{&node, pointer});
            return doc;
        }
        return base;
    }

    template <typename F>
    static void forEachSubschema(const json &node, const std::string &pointer, F &&visit)
    {
        if (!node.is_object())
            return;
        for (const auto &[key, value] : node.items()) {
            const std::string at = appendPointer(pointer, key);
            if (key == "properties" || key == "patternProperties" || key == "definitions" ||
                key == "dependencies") {
                if (value.is_object())
                    for (const auto &[name, sub] : value.items())
                        if (isSchema(sub))
                            visit(sub, appendPointer(at, name));
            } else if (key == "items" || key == "allOf" || key == "anyOf" || key == "oneOf") {
                if (value.is_array()) {
                    for (std::size_t i = 0; i < value.size(); ++i)
                        if (isSchema(value[i]))
                            visit(value[i], appendPointer(at, std::to_string(i)));
                } else if (isSchema(value)) {
                    visit(value, at);
                }
            } else if (key == "additionalItems" || key == "additionalProperties" ||
                       key == "contains" || key == "propertyNames" || key == "not" || key == "if" ||
                       key == "then" || key == "else") {
                if (isSchema(value))
                    visit(value, at);
            }
        }
    }

    void indexIds(const json &node, const std::string &pointer, const std::string &base)
    {
        const std::string inner = enterId(node, pointer, base);
        forEachSubschema(node, pointer,
                         [&](const json &sub, const std::string &at) { indexIds(sub, at, inner); });
    }

    // -- reporting -------------------------------------------------------------------------------

    void report(const std::string &keyword, const std::string &pointer, json param,
                std::string message)
    {
        ValidationIssue issue;
        issue.keyword = keyword;
        issue.instancePath = m_base + pointer;
        issue.schemaPath = appendPointer("#/meta", keyword);
        issue.params = json::object();
        issue.params[keyword] = std::move(param);
        issue.message = std::move(message);
        m_issues.push_back(std::move(issue));
    }

    // -- the walk --------------------------------------------------------------------------------

    void walk(const json &node, const std::string &pointer, const std::string &base,
              const std::string &parentKeyword)
    {
        if (!m_visited.emplace(&node, pointer).second)
            return;
        if (node.is_boolean())
            return;
        if (!node.is_object()) {
            report(parentKeyword, pointer, node,
                   "expected a schema (an object or a boolean), got " + described(node));
            return;
        }
        std::string inner = base;
        if (const auto id = node.find("$id"); id != node.end()) {
            if (id->is_string()) {
                std::string doc = withoutFragment(resolveUri(base, id->get<std::string>()));
                if (!doc.empty())
                    inner = std::move(doc);
            } else {
                report("$id", appendPointer(pointer, "$id"), *id,
                       "$id must be a URI string, got " + described(*id));
            }
        }
        for (const auto &[key, value] : node.items())
            checkKeyword(node, key, value, pointer, inner);
    }

    void expectString(const std::string &key, const json &value, const std::string &at)
    {
        if (!value.is_string())
            report(key, at, value, key + " must be a string, got " + described(value));
    }

    void expectBoolean(const std::string &key, const json &value, const std::string &at)
    {
        if (!value.is_boolean())
            report(key, at, value, key + " must be a boolean, got " + described(value));
    }

    void expectNumber(const std::string &key, const json &value, const std::string &at)
    {
        if (value.is_number())
            return;
        std::string message = key + " must be a number, got " + described(value);
        if (value.is_boolean() && (key == "exclusiveMinimum" || key == "exclusiveMaximum"))
            message += " (the boolean form is draft-04; draft-07 takes the limit itself)";
        report(key, at, value, std::move(message));
    }

    void expectNonNegativeInteger(const std::string &key, const json &value, const std::string &at)
    {
        if (isIntegral(value) && numberValue(value) >= 0)
            return;
        report(key, at, value, key + " must be a non-negative integer, got " + described(value));
    }

    void expectSchema(const std::string &key, const json &value, const std::string &at,
                      const std::string &base)
    {
        if (!isSchema(value)) {
            report(key, at, value,
                   key + " must be a schema (an object or a boolean), got " + described(value));
            return;
        }
        walk(value, at, base, key);
    }

    void expectSchemaArray(const std::string &key, const json &value, const std::string &at,
                           const std::string &base)
    {
        if (!value.is_array() || value.empty()) {
            report(key, at, value,
                   key + " must be a non-empty array of schemas, got " + described(value));
            return;
        }
        for (std::size_t i = 0; i < value.size(); ++i)
            expectSchema(key, value[i], appendPointer(at, std::to_string(i)), base);
    }

    void expectSchemaMap(const std::string &key, const json &value, const std::string &at,
                         const std::string &base)
    {
        if (!value.is_object()) {
            report(key, at, value,
                   key + " must be an object whose values are schemas, got " + described(value));
            return;
        }
        for (const auto &[name, sub] : value.items())
            expectSchema(key, sub, appendPointer(at, name), base);
    }

    void expectUniqueStrings(const std::string &key, const json &value, const std::string &at)
    {
        if (!value.is_array()) {
            report(key, at, value,
                   key + " must be an array of property names, got " + described(value));
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < value.size(); ++i) {
            const std::string itemAt = appendPointer(at, std::to_string(i));
            if (!value[i].is_string())
                report(key, itemAt, value[i],
                       key + " entries must be strings, got " + described(value[i]));
            else if (!seen.insert(value[i].get<std::string>()).second)
                report(key, itemAt, value[i],
                       key + " lists " + dumpValue(value[i]) + " more than once");
        }
    }

    void expectRegex(const std::string &key, const std::string &pattern, const std::string &at)
    {
        if (m_out && m_out->regexes.count(pattern))
            return;
        std::string error;
        Regex regex = compileRegex(pattern, &error, m_out != nullptr);
        if (!regex) {
            report(key, at, pattern,
                   dumpValue(json(pattern)) + " is not a valid regular expression (" + error + ")");
            return;
        }
        if (m_out)
            m_out->regexes.emplace(pattern, std::move(regex));
    }

    void checkType(const json &value, const std::string &at)
    {
        const auto known = [](const std::string &name) {
            return std::find(std::begin(kTypeNames), std::end(kTypeNames), name) !=
                   std::end(kTypeNames);
        };
        const auto unknown = [&](const json &name, const std::string &where) {
            report("type", where, name,
                   dumpValue(name) + " is not a JSON Schema type (expected one of " + kTypeList +
                       ")");
        };
        if (value.is_string()) {
            if (!known(value.get<std::string>()))
                unknown(value, at);
            return;
        }
        if (!value.is_array() || value.empty()) {
            report("type", at, value,
                   "type must be a type name or a non-empty array of type names, got " +
                       described(value));
            return;
        }
        std::set<std::string> seen;
        for (std::size_t i = 0; i < value.size(); ++i) {
            const std::string itemAt = appendPointer(at, std::to_string(i));
            if (!value[i].is_string() || !known(value[i].get<std::string>()))
                unknown(value[i], itemAt);
            else if (!seen.insert(value[i].get<std::string>()).second)
                report("type", itemAt, value[i],
                       "type lists " + dumpValue(value[i]) + " more than once");
        }
    }

    void checkRef(const json &node, const json &value, const std::string &at,
                  const std::string &base)
    {
        if (!value.is_string()) {
            report("$ref", at, value,
                   "$ref must be a URI reference string, got " + described(value));
            return;
        }
        const std::string ref = value.get<std::string>();
        const std::string full = resolveUri(base, ref);
        const std::string doc = withoutFragment(full);
        const auto hash = full.find('#');
        const std::string fragment =
            hash == std::string::npos ? "" : percentDecode(full.substr(hash + 1));

        const auto resource = m_resources.find(doc);
        if (resource == m_resources.end()) {
            if (hasScheme(ref))
                report("$ref", at, ref,
                       "$ref " + dumpValue(value) +
                           " refers to another document; only references inside this schema "
                           "are supported");
            else
                report("$ref", at, ref,
                       "$ref " + dumpValue(value) + " cannot be resolved: no subschema has $id " +
                           dumpValue(json(doc)) + " (relative references need a matching $id)");
            return;
        }
        const json *target = nullptr;
        std::string targetPointer;
        if (fragment.empty() || fragment[0] == '/') {
            std::string inside;
            target = evaluatePointer(*resource->second.node, fragment, inside);
            if (!target) {
                report("$ref", at, ref,
                       "$ref " + dumpValue(value) +
                           " does not resolve: the schema has nothing at " +
                           dumpValue(json(fragment)));
                return;
            }
            targetPointer = resource->second.pointer + inside;
        } else {
            const auto anchor = m_anchors.find(doc + "#" + fragment);
            if (anchor == m_anchors.end()) {
                report("$ref", at, ref,
                       "$ref " + dumpValue(value) + " does not resolve: no subschema has $id " +
                           dumpValue(json("#" + fragment)));
                return;
            }
            target = anchor->second.node;
            targetPointer = anchor->second.pointer;
        }
        if (!isSchema(*target)) {
            report("$ref", at, ref,
                   "$ref " + dumpValue(value) + " points to " + described(*target) +
                       ", not to a schema");
            return;
        }
        m_refs[&node] = {target, targetPointer};
        if (m_out)
            m_out->refs[&node] = {target, targetPointer};
        if (!m_visited.count(target))
            m_pending.push_back({target, targetPointer, doc});
    }

    void checkKeyword(const json &node, const std::string &key, const json &value,
                      const std::string &pointer, const std::string &base)
    {
        const std::string at = appendPointer(pointer, key);
        if (key == "$ref") {
            checkRef(node, value, at, base);
        } else if (key == "$schema" || key == "$comment" || key == "title" ||
                   key == "description" || key == "format" || key == "contentMediaType" ||
                   key == "contentEncoding") {
            expectString(key, value, at);
        } else if (key == "readOnly" || key == "writeOnly" || key == "uniqueItems") {
            expectBoolean(key, value, at);
        } else if (key == "examples" || key == "enum") {
            if (!value.is_array())
                report(key, at, value, key + " must be an array, got " + described(value));
        } else if (key == "type") {
            checkType(value, at);
        } else if (key == "required") {
            expectUniqueStrings(key, value, at);
        } else if (key == "properties" || key == "definitions") {
            expectSchemaMap(key, value, at, base);
        } else if (key == "patternProperties") {
            expectSchemaMap(key, value, at, base);
            if (value.is_object())
                for (const auto &[pattern, sub] : value.items())
                    expectRegex(key, pattern, appendPointer(at, pattern));
        } else if (key == "dependencies") {
            if (!value.is_object()) {
                report(key, at, value,
                       "dependencies must be an object whose values are schemas or arrays of "
                       "property names, got " +
                           described(value));
                return;
            }
            for (const auto &[name, dep] : value.items()) {
                const std::string depAt = appendPointer(at, name);
                if (dep.is_array())
                    expectUniqueStrings(key, dep, depAt);
                else if (isSchema(dep))
                    walk(dep, depAt, base, key);
                else
                    report(key, depAt, dep,
                           "dependencies values must be a schema or an array of property names, "
                           "got " +
                               described(dep));
            }
        } else if (key == "items") {
            if (value.is_array()) {
                for (std::size_t i = 0; i < value.size(); ++i)
                    expectSchema(key, value[i], appendPointer(at, std::to_string(i)), base);
            } else if (isSchema(value)) {
                walk(value, at, base, key);
            } else {
                report(key, at, value,
                       "items must be a schema or an array of schemas, got " + described(value));
            }
        } else if (key == "additionalItems" || key == "additionalProperties" || key == "contains" ||
                   key == "propertyNames" || key == "not" || key == "if" || key == "then" ||
                   key == "else") {
            expectSchema(key, value, at, base);
        } else if (key == "allOf" || key == "anyOf" || key == "oneOf") {
            expectSchemaArray(key, value, at, base);
        } else if (key == "minLength" || key == "maxLength" || key == "minItems" ||
                   key == "maxItems" || key == "minProperties" || key == "maxProperties") {
            expectNonNegativeInteger(key, value, at);
        } else if (key == "minimum" || key == "maximum" || key == "exclusiveMinimum" ||
                   key == "exclusiveMaximum") {
            expectNumber(key, value, at);
        } else if (key == "multipleOf") {
            if (!value.is_number() || !(numberValue(value) > 0))
                report(key, at, value,
                       "multipleOf must be a number greater than 0, got " + described(value));
        } else if (key == "pattern") {
            if (value.is_string())
                expectRegex(key, value.get<std::string>(), at);
            else
                report(key, at, value,
                       "pattern must be a regular expression string, got " + described(value));
        }
        // Anything else is an annotation or a vendor extension, which draft-07 ignores.
    }

    // -- $ref cycles that never consume the instance -------------------------------------------

    // Applicators that evaluate the same instance location; a cycle through only these and
    // $ref would recurse forever on any instance.
    void inPlaceChildren(const json &node, std::vector<std::pair<const json *, bool>> &children)
    {
        children.clear();
        if (!node.is_object())
            return;
        if (node.contains("$ref")) {
            const auto it = m_refs.find(&node);
            if (it != m_refs.end())
                children.emplace_back(it->second.node, true);
            return;
        }
        for (const char *key : {"allOf", "anyOf", "oneOf"}) {
            const auto it = node.find(key);
            if (it != node.end() && it->is_array())
                for (const auto &sub : *it)
                    if (isSchema(sub))
                        children.emplace_back(&sub, false);
        }
        for (const char *key : {"not", "if", "then", "else"}) {
            const auto it = node.find(key);
            if (it != node.end() && isSchema(*it))
                children.emplace_back(&*it, false);
        }
        const auto deps = node.find("dependencies");
        if (deps != node.end() && deps->is_object())
            for (const auto &dep : *deps)
                if (isSchema(dep))
                    children.emplace_back(&dep, false);
    }

    void findRefCycles()
    {
        enum class Mark { Active, Done };
        std::unordered_map<const json *, Mark> marks;
        std::vector<const json *> roots;
        for (const auto &[node, pointer] : m_visited)
            roots.push_back(node);
        // Visit in document order so the reported $ref does not depend on hashing.
        std::sort(roots.begin(), roots.end(), [this](const json *a, const json *b) {
            return m_visited.at(a) < m_visited.at(b);
        });
        std::vector<std::pair<const json *, bool>> scratch;
        for (const json *start : roots) {
            if (marks.count(start))
                continue;
            struct Frame
            {
                const json *node;
                std::vector<std::pair<const json *, bool>> children;
                std::size_t next = 0;
            };
            std::vector<Frame> stack;
            inPlaceChildren(*start, scratch);
            stack.push_back({start, scratch});
            marks[start] = Mark::Active;
            while (!stack.empty()) {
                Frame &top = stack.back();
                if (top.next == top.children.size()) {
                    marks[top.node] = Mark::Done;
                    stack.pop_back();
                    continue;
                }
                const auto [child, viaRef] = top.children[top.next++];
                const auto mark = marks.find(child);
                if (mark == marks.end()) {
                    inPlaceChildren(*child, scratch);
                    marks[child] = Mark::Active;
                    stack.push_back({child, scratch});
                } else if (mark->second == Mark::Active && viaRef) {
                    // Every such cycle closes through a $ref: applicators alone only descend.
                    const json &ref = top.node->at("$ref");
                    report("$ref", appendPointer(m_visited.at(top.node), "$ref"), ref,
                           "$ref " + dumpValue(ref) +
                               " makes the schema refer to itself without descending into the "
                               "instance, so validation could never finish");
                }
            }
        }
    }

    const json &m_root;
    std::string m_base;
    CompiledData *m_out;
    Issues m_issues;
    std::unordered_map<std::string, Located> m_resources;
    std::unordered_map<std::string, Located> m_anchors;
    std::unordered_map<const json *, std::string> m_visited;
    std::unordered_map<const json *, RefTarget> m_refs;
    std::vector<Pending> m_pending;
};

// ---------------------------------------------------------------------------------------------
// Formats

bool digits(std::string_view s, std::size_t pos, std::size_t count)
{
    if (pos + count > s.size())
        return false;
    for (std::size_t i = pos; i < pos + count; ++i)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

int number(std::string_view s, std::size_t pos, std::size_t count)
{
    int v = 0;
    for (std::size_t i = pos; i < pos + count; ++i)
        v = v * 10 + (s[i] - '0');
    return v;
}

bool isDate(std::string_view s)
{
    if (s.size() != 10 || !digits(s, 0, 4) || s[4] != '-' || !digits(s, 5, 2) || s[7] != '-' ||
        !digits(s, 8, 2))
        return false;
    const int year = number(s, 0, 4);
    const int month = number(s, 5, 2);
    const int day = number(s, 8, 2);
    if (month < 1 || month > 12 || day < 1)
        return false;
    static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return day <= kDays[month - 1] + (month == 2 && leap ? 1 : 0);
}

// RFC 3339 full-time: the offset is required, and a leap second only exists at 23:59:60 UTC.
bool isTime(std::string_view s)
{
    if (s.size() < 9 || !digits(s, 0, 2) || s[2] != ':' || !digits(s, 3, 2) || s[5] != ':' ||
        !digits(s, 6, 2))
        return false;
    const int hour = number(s, 0, 2);
    const int minute = number(s, 3, 2);
    const int second = number(s, 6, 2);
    std::size_t i = 8;
    if (i < s.size() && s[i] == '.') {
        ++i;
        const std::size_t start = i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
            ++i;
        if (i == start)
            return false;
    }
    if (i >= s.size())
        return false;
    int offset = 0;
    if (s[i] == 'Z' || s[i] == 'z') {
        if (i + 1 != s.size())
            return false;
    } else if (s[i] == '+' || s[i] == '-') {
        if (s.size() != i + 6 || !digits(s, i + 1, 2) || s[i + 3] != ':' || !digits(s, i + 4, 2))
            return false;
        const int oh = number(s, i + 1, 2);
        const int om = number(s, i + 4, 2);
        if (oh > 23 || om > 59)
            return false;
        offset = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    } else {
        return false;
    }
    if (hour > 23 || minute > 59 || second > 60)
        return false;
    if (second == 60) {
        const int utc = ((hour * 60 + minute - offset) % 1440 + 1440) % 1440;
        return utc == 23 * 60 + 59;
    }
    return true;
}

bool isDateTime(std::string_view s)
{
    if (s.size() < 11)
        return false;
    // Ajv accepts a space for the "T" as RFC 3339 §5.6 allows; Itential schemas rely on it.
    const char sep = s[10];
    if (sep != 'T' && sep != 't' && sep != ' ')
        return false;
    return isDate(s.substr(0, 10)) && isTime(s.substr(11));
}

bool isAlnum(char c)
{
    return std::isalnum(static_cast<unsigned char>(c)) != 0;
}

bool isHostLabel(std::string_view label)
{
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
        return false;
    return std::all_of(label.begin(), label.end(), [](char c) { return isAlnum(c) || c == '-'; });
}

bool isHostname(std::string_view s)
{
    if (!s.empty() && s.back() == '.')
        s.remove_suffix(1);
    if (s.empty() || s.size() > 253)
        return false;
    std::size_t start = 0;
    while (true) {
        const auto dot = s.find('.', start);
        if (!isHostLabel(s.substr(start, dot == std::string_view::npos ? dot : dot - start)))
            return false;
        if (dot == std::string_view::npos)
            return true;
        start = dot + 1;
    }
}

bool isEmail(std::string_view s)
{
    const auto at = s.rfind('@');
    if (at == std::string_view::npos || at == 0)
        return false;
    const std::string_view local = s.substr(0, at);
    const std::string_view domain = s.substr(at + 1);
    static constexpr std::string_view kAtext = "!#$%&'*+/=?^_`{|}~-";
    if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos)
        return false;
    for (const char c : local)
        if (!isAlnum(c) && c != '.' && kAtext.find(c) == std::string_view::npos)
            return false;
    return domain.find('.') != std::string_view::npos && isHostname(domain) && domain.back() != '.';
}

bool isIpv4(std::string_view s)
{
    int parts = 0;
    std::size_t start = 0;
    while (true) {
        const auto dot = s.find('.', start);
        const std::string_view part =
            s.substr(start, dot == std::string_view::npos ? dot : dot - start);
        if (part.empty() || part.size() > 3 || (part.size() > 1 && part[0] == '0') ||
            !digits(part, 0, part.size()) || number(part, 0, part.size()) > 255)
            return false;
        ++parts;
        if (dot == std::string_view::npos)
            break;
        start = dot + 1;
    }
    return parts == 4;
}

// Groups separated by ':', counting an embedded IPv4 tail as two; -1 when malformed.
int ipv6Groups(std::string_view s, bool allowIpv4Tail)
{
    if (s.empty())
        return 0;
    int groups = 0;
    std::size_t start = 0;
    while (true) {
        const auto colon = s.find(':', start);
        const std::string_view group =
            s.substr(start, colon == std::string_view::npos ? colon : colon - start);
        if (colon == std::string_view::npos && allowIpv4Tail &&
            group.find('.') != std::string_view::npos)
            return isIpv4(group) ? groups + 2 : -1;
        if (group.empty() || group.size() > 4 ||
            !std::all_of(group.begin(), group.end(), [](char c) { return hexDigit(c) >= 0; }))
            return -1;
        ++groups;
        if (colon == std::string_view::npos)
            return groups;
        start = colon + 1;
    }
}

bool isIpv6(std::string_view s)
{
    const auto gap = s.find("::");
    if (gap == std::string_view::npos)
        return ipv6Groups(s, true) == 8;
    if (s.find("::", gap + 1) != std::string_view::npos)
        return false;
    const int head = ipv6Groups(s.substr(0, gap), false);
    const int tail = ipv6Groups(s.substr(gap + 2), true);
    return head >= 0 && tail >= 0 && head + tail <= 7;
}

bool isUri(std::string_view s)
{
    if (!hasScheme(s))
        return false;
    const auto colon = s.find(':');
    static constexpr std::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=";
    bool fragment = false;
    for (std::size_t i = colon + 1; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '%') {
            if (i + 2 >= s.size() || hexDigit(s[i + 1]) < 0 || hexDigit(s[i + 2]) < 0)
                return false;
            i += 2;
        } else if (c == '#') {
            if (fragment)
                return false;
            fragment = true;
        } else if (!isAlnum(c) && kAllowed.find(c) == std::string_view::npos) {
            return false;
        }
    }
    const std::string_view rest = s.substr(colon + 1);
    if (rest.substr(0, 2) == "//") {
        const std::string_view authority = rest.substr(2, rest.find_first_of("/?#", 2) - 2);
        const std::string_view hostPort = authority.substr(authority.find('@') + 1);
        const auto portColon = hostPort.rfind(':');
        if (portColon != std::string_view::npos &&
            hostPort.find(']', portColon) == std::string_view::npos) {
            const std::string_view port = hostPort.substr(portColon + 1);
            if (!digits(port, 0, port.size()))
                return false;
        }
    }
    return true;
}

bool isUuid(std::string_view s)
{
    if (s.size() == 45 && (s.substr(0, 9) == "urn:uuid:" || s.substr(0, 9) == "URN:UUID:"))
        s.remove_prefix(9);
    if (s.size() != 36)
        return false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : hexDigit(s[i]) < 0)
            return false;
    }
    return true;
}

// Formats this validator does not know pass, as draft-07 makes format checks optional.
bool formatAccepts(const std::string &format, const std::string &value)
{
    if (format == "date-time")
        return isDateTime(value);
    if (format == "date")
        return isDate(value);
    if (format == "time")
        return isTime(value);
    if (format == "email")
        return isEmail(value);
    if (format == "ipv4")
        return isIpv4(value);
    if (format == "ipv6")
        return isIpv6(value);
    if (format == "hostname")
        return isHostname(value);
    if (format == "uri")
        return isUri(value);
    if (format == "uuid")
        return isUuid(value);
    if (format == "regex")
        return compileRegex(value, nullptr, false) != nullptr;
    return true;
}

// ---------------------------------------------------------------------------------------------
// validate()

bool isMultipleOf(const json &value, const json &divisor)
{
    if (value.is_number_integer() && divisor.is_number_integer()) {
        const auto magnitude = [](const json &v) -> std::uint64_t {
            if (v.is_number_unsigned())
                return v.get<std::uint64_t>();
            const std::int64_t i = v.get<std::int64_t>();
            return i < 0 ? static_cast<std::uint64_t>(-(i + 1)) + 1 : static_cast<std::uint64_t>(i);
        };
        return magnitude(value) % magnitude(divisor) == 0;
    }
    // Decimal steps such as 0.01 are not exact in binary: 0.3 / 0.01 is 29.999999999999996.
    // Accept a quotient within a few ulps of a whole number; the error of one division and two
    // decimal-to-binary conversions is smaller than that, a real remainder is not.
    const long double q = numberValue(value) / numberValue(divisor);
    if (!std::isfinite(q))
        return false;
    const long double nearest = std::nearbyint(q);
    return std::fabs(q - nearest) <= std::fabs(q) * 16 * static_cast<long double>(DBL_EPSILON);
}

class Validator
{
public:
    explicit Validator(const CompiledData &data) : m_data(data) {}

    void evaluate(const json &schema, const json &instance, const std::string &ip,
                  const std::string &sp, Issues &out)
    {
        if (schema.is_boolean()) {
            if (!schema.get<bool>())
                add(out, "false schema", ip, sp, json::object(), "boolean schema is false");
            return;
        }
        if (!schema.is_object())
            return;
        if (schema.contains("$ref")) {
            evaluateRef(schema, instance, ip, sp, out);
            return; // draft-07: keywords beside $ref are ignored
        }
        checkGeneric(schema, instance, ip, sp, out);
        if (instance.is_number())
            checkNumber(schema, instance, ip, sp, out);
        else if (instance.is_string())
            checkString(schema, instance, ip, sp, out);
        else if (instance.is_array())
            checkArray(schema, instance, ip, sp, out);
        else if (instance.is_object())
            checkObject(schema, instance, ip, sp, out);
        checkCombinators(schema, instance, ip, sp, out);
    }

private:
    static void add(Issues &out, const std::string &keyword, const std::string &ip,
                    const std::string &sp, json params, std::string message)
    {
        ValidationIssue issue;
        issue.keyword = keyword;
        issue.instancePath = ip;
        issue.schemaPath = sp;
        issue.params = std::move(params);
        issue.message = std::move(message);
        out.push_back(std::move(issue));
    }

    static json issuesJson(const Issues &issues)
    {
        json list = json::array();
        for (const auto &issue : issues) {
            json item = issue.toJson();
            item.erase("severity");
            list.push_back(std::move(item));
        }
        return list;
    }

    static const json *find(const json &schema, const char *key)
    {
        const auto it = schema.find(key);
        return it == schema.end() ? nullptr : &*it;
    }

    static std::string at(const std::string &sp, const char *key) { return appendPointer(sp, key); }

    bool valid(const json &schema, const json &instance, const std::string &ip,
               const std::string &sp, Issues &scratch)
    {
        scratch.clear();
        evaluate(schema, instance, ip, sp, scratch);
        return scratch.empty();
    }

    void evaluateRef(const json &schema, const json &instance, const std::string &ip,
                     const std::string &sp, Issues &out)
    {
        const std::string refSp = at(sp, "$ref");
        const json &ref = schema.at("$ref");
        const auto target = m_data.refs.find(&schema);
        if (target == m_data.refs.end()) {
            add(out, "$ref", ip, refSp, {{"$ref", ref}},
                "can't resolve reference " + dumpValue(ref));
            return;
        }
        for (const auto &[activeSchema, activeInstance] : m_active) {
            if (activeSchema == &schema && activeInstance == &instance) {
                add(out, "$ref", ip, refSp, {{"$ref", ref}},
                    "reference " + dumpValue(ref) + " loops without descending into the instance");
                return;
            }
        }
        if (m_active.size() >= kMaxRefDepth) {
            add(out, "$ref", ip, refSp, {{"$ref", ref}, {"limit", kMaxRefDepth}},
                "must NOT nest references more than " + std::to_string(kMaxRefDepth) +
                    " levels deep");
            return;
        }
        m_active.emplace_back(&schema, &instance);
        evaluate(*target->second.node, instance, ip, "#" + target->second.pointer, out);
        m_active.pop_back();
    }

    static bool typeMatches(const json &instance, const std::string &type)
    {
        if (type == "string")
            return instance.is_string();
        if (type == "number")
            return instance.is_number();
        if (type == "integer")
            return isIntegral(instance);
        if (type == "object")
            return instance.is_object();
        if (type == "array")
            return instance.is_array();
        if (type == "boolean")
            return instance.is_boolean();
        if (type == "null")
            return instance.is_null();
        return false;
    }

    void checkGeneric(const json &schema, const json &instance, const std::string &ip,
                      const std::string &sp, Issues &out)
    {
        if (const json *type = find(schema, "type")) {
            bool ok = false;
            std::string names;
            if (type->is_string()) {
                ok = typeMatches(instance, type->get<std::string>());
                names = type->get<std::string>();
            } else {
                for (const auto &name : *type) {
                    ok = ok || typeMatches(instance, name.get<std::string>());
                    names += (names.empty() ? "" : ",") + name.get<std::string>();
                }
            }
            if (!ok)
                add(out, "type", ip, at(sp, "type"), {{"type", names}}, "must be " + names);
        }
        if (const json *values = find(schema, "enum")) {
            if (std::find(values->begin(), values->end(), instance) == values->end())
                add(out, "enum", ip, at(sp, "enum"), {{"allowedValues", *values}},
                    "must be equal to one of the allowed values");
        }
        if (const json *value = find(schema, "const")) {
            if (!(instance == *value))
                add(out, "const", ip, at(sp, "const"), {{"allowedValue", *value}},
                    "must be equal to constant");
        }
    }

    void checkNumber(const json &schema, const json &instance, const std::string &ip,
                     const std::string &sp, Issues &out)
    {
        struct Bound
        {
            const char *keyword;
            const char *comparison;
            bool (*passes)(long double, long double);
        };
        static const Bound kBounds[] = {
            {"minimum", ">=", [](long double v, long double l) { return v >= l; }},
            {"maximum", "<=", [](long double v, long double l) { return v <= l; }},
            {"exclusiveMinimum", ">", [](long double v, long double l) { return v > l; }},
            {"exclusiveMaximum", "<", [](long double v, long double l) { return v < l; }},
        };
        const long double value = numberValue(instance);
        for (const auto &bound : kBounds) {
            const json *limit = find(schema, bound.keyword);
            if (limit && !bound.passes(value, numberValue(*limit)))
                add(out, bound.keyword, ip, at(sp, bound.keyword),
                    {{"comparison", bound.comparison}, {"limit", *limit}},
                    std::string("must be ") + bound.comparison + " " + dumpValue(*limit));
        }
        if (const json *divisor = find(schema, "multipleOf")) {
            if (!isMultipleOf(instance, *divisor))
                add(out, "multipleOf", ip, at(sp, "multipleOf"), {{"multipleOf", *divisor}},
                    "must be multiple of " + dumpValue(*divisor));
        }
    }

    void checkString(const json &schema, const json &instance, const std::string &ip,
                     const std::string &sp, Issues &out)
    {
        const auto &text = instance.get_ref<const std::string &>();
        const json *minLength = find(schema, "minLength");
        const json *maxLength = find(schema, "maxLength");
        if (minLength || maxLength) {
            const auto length = static_cast<long double>(codePointCount(text));
            if (minLength && length < numberValue(*minLength))
                add(out, "minLength", ip, at(sp, "minLength"), {{"limit", *minLength}},
                    "must NOT have fewer than " + dumpValue(*minLength) + " characters");
            if (maxLength && length > numberValue(*maxLength))
                add(out, "maxLength", ip, at(sp, "maxLength"), {{"limit", *maxLength}},
                    "must NOT have more than " + dumpValue(*maxLength) + " characters");
        }
        if (const json *pattern = find(schema, "pattern")) {
            const auto &source = pattern->get_ref<const std::string &>();
            switch (search(source, text)) {
            case Match::Yes:
                break;
            case Match::No:
                add(out, "pattern", ip, at(sp, "pattern"), {{"pattern", source}},
                    "must match pattern " + dumpValue(*pattern));
                break;
            case Match::Error:
                add(out, "pattern", ip, at(sp, "pattern"), {{"pattern", source}},
                    "pattern " + dumpValue(*pattern) + " is too complex to evaluate on this value");
                break;
            }
        }
        if (const json *format = find(schema, "format")) {
            const auto &name = format->get_ref<const std::string &>();
            if (!formatAccepts(name, text))
                add(out, "format", ip, at(sp, "format"), {{"format", name}},
                    "must match format " + dumpValue(*format));
        }
    }

    Match search(const std::string &pattern, const std::string &text) const
    {
        const auto it = m_data.regexes.find(pattern);
        if (it == m_data.regexes.end())
            return Match::Error;
        return searchRegex(it->second.get(), text);
    }

    void checkArray(const json &schema, const json &instance, const std::string &ip,
                    const std::string &sp, Issues &out)
    {
        if (const json *items = find(schema, "items")) {
            const std::string itemsSp = at(sp, "items");
            if (items->is_array()) {
                const std::size_t n = std::min(items->size(), instance.size());
                for (std::size_t i = 0; i < n; ++i) {
                    const std::string index = std::to_string(i);
                    evaluate((*items)[i], instance[i], appendPointer(ip, index),
                             appendPointer(itemsSp, index), out);
                }
                const json *additional = find(schema, "additionalItems");
                if (additional && instance.size() > items->size()) {
                    const std::string addSp = at(sp, "additionalItems");
                    if (additional->is_boolean() && !additional->get<bool>()) {
                        add(out, "additionalItems", ip, addSp, {{"limit", items->size()}},
                            "must NOT have more than " + std::to_string(items->size()) + " items");
                    } else {
                        for (std::size_t i = items->size(); i < instance.size(); ++i)
                            evaluate(*additional, instance[i], appendPointer(ip, std::to_string(i)),
                                     addSp, out);
                    }
                }
            } else {
                for (std::size_t i = 0; i < instance.size(); ++i)
                    evaluate(*items, instance[i], appendPointer(ip, std::to_string(i)), itemsSp,
                             out);
            }
        }
        const auto count = static_cast<long double>(instance.size());
        if (const json *limit = find(schema, "minItems"); limit && count < numberValue(*limit))
            add(out, "minItems", ip, at(sp, "minItems"), {{"limit", *limit}},
                "must NOT have fewer than " + dumpValue(*limit) + " items");
        if (const json *limit = find(schema, "maxItems"); limit && count > numberValue(*limit))
            add(out, "maxItems", ip, at(sp, "maxItems"), {{"limit", *limit}},
                "must NOT have more than " + dumpValue(*limit) + " items");
        if (const json *unique = find(schema, "uniqueItems"); unique && unique->get<bool>()) {
            bool reported = false;
            for (std::size_t later = 1; later < instance.size() && !reported; ++later) {
                for (std::size_t earlier = 0; earlier < later && !reported; ++earlier) {
                    if (!(instance[later] == instance[earlier]))
                        continue;
                    add(out, "uniqueItems", ip, at(sp, "uniqueItems"),
                        {{"i", earlier}, {"j", later}},
                        "must NOT have duplicate items (items ## " + std::to_string(later) +
                            " and " + std::to_string(earlier) + " are identical)");
                    reported = true;
                }
            }
        }
        if (const json *contains = find(schema, "contains")) {
            Issues scratch;
            bool found = false;
            for (std::size_t i = 0; i < instance.size() && !found; ++i)
                found = valid(*contains, instance[i], appendPointer(ip, std::to_string(i)),
                              at(sp, "contains"), scratch);
            if (!found)
                add(out, "contains", ip, at(sp, "contains"), {{"minContains", 1}},
                    "must contain at least 1 valid item");
        }
    }

    void checkObject(const json &schema, const json &instance, const std::string &ip,
                     const std::string &sp, Issues &out)
    {
        const json *properties = find(schema, "properties");
        const json *patterns = find(schema, "patternProperties");
        const json *additional = find(schema, "additionalProperties");
        if (properties || patterns || additional) {
            for (const auto &[name, value] : instance.items()) {
                const std::string valueIp = appendPointer(ip, name);
                bool matched = false;
                if (properties) {
                    if (const auto it = properties->find(name); it != properties->end()) {
                        matched = true;
                        evaluate(*it, value, valueIp, appendPointer(at(sp, "properties"), name),
                                 out);
                    }
                }
                if (patterns) {
                    for (const auto &[source, sub] : patterns->items()) {
                        if (search(source, name) != Match::Yes)
                            continue;
                        matched = true;
                        evaluate(sub, value, valueIp,
                                 appendPointer(at(sp, "patternProperties"), source), out);
                    }
                }
                if (matched || !additional)
                    continue;
                if (additional->is_boolean() && !additional->get<bool>())
                    add(out, "additionalProperties", ip, at(sp, "additionalProperties"),
                        {{"additionalProperty", name}},
                        "must NOT have additional property '" + name + "'");
                else
                    evaluate(*additional, value, valueIp, at(sp, "additionalProperties"), out);
            }
        }
        if (const json *required = find(schema, "required")) {
            for (const auto &name : *required) {
                const auto &key = name.get_ref<const std::string &>();
                if (!instance.contains(key))
                    add(out, "required", ip, at(sp, "required"), {{"missingProperty", key}},
                        "must have required property '" + key + "'");
            }
        }
        const auto count = static_cast<long double>(instance.size());
        if (const json *limit = find(schema, "minProperties"); limit && count < numberValue(*limit))
            add(out, "minProperties", ip, at(sp, "minProperties"), {{"limit", *limit}},
                "must NOT have fewer than " + dumpValue(*limit) + " properties");
        if (const json *limit = find(schema, "maxProperties"); limit && count > numberValue(*limit))
            add(out, "maxProperties", ip, at(sp, "maxProperties"), {{"limit", *limit}},
                "must NOT have more than " + dumpValue(*limit) + " properties");
        if (const json *dependencies = find(schema, "dependencies")) {
            for (const auto &[name, dep] : dependencies->items()) {
                if (!instance.contains(name))
                    continue;
                const std::string depSp = appendPointer(at(sp, "dependencies"), name);
                if (!dep.is_array()) {
                    evaluate(dep, instance, ip, depSp, out);
                    continue;
                }
                std::string deps;
                for (const auto &d : dep)
                    deps += (deps.empty() ? "" : ", ") + d.get<std::string>();
                for (const auto &d : dep) {
                    const auto &missing = d.get_ref<const std::string &>();
                    if (!instance.contains(missing))
                        add(out, "dependencies", ip, at(sp, "dependencies"),
                            {{"property", name},
                             {"missingProperty", missing},
                             {"depsCount", dep.size()},
                             {"deps", deps}},
                            "must have property '" + missing + "' when property '" + name +
                                "' is present");
                }
            }
        }
        if (const json *names = find(schema, "propertyNames")) {
            Issues scratch;
            const std::string namesSp = at(sp, "propertyNames");
            for (const auto &item : instance.items()) {
                const std::string &name = item.key();
                if (valid(*names, json(name), ip, namesSp, scratch))
                    continue;
                add(out, "propertyNames", ip, namesSp,
                    {{"propertyName", name}, {"errors", issuesJson(scratch)}},
                    "property name '" + name + "' is invalid (" + scratch.front().message + ")");
            }
        }
    }

    void checkCombinators(const json &schema, const json &instance, const std::string &ip,
                          const std::string &sp, Issues &out)
    {
        if (const json *all = find(schema, "allOf")) {
            for (std::size_t i = 0; i < all->size(); ++i)
                evaluate((*all)[i], instance, ip, appendPointer(at(sp, "allOf"), std::to_string(i)),
                         out);
        }
        if (const json *any = find(schema, "anyOf")) {
            Issues failures;
            Issues scratch;
            bool passed = false;
            for (std::size_t i = 0; i < any->size() && !passed; ++i) {
                passed = valid((*any)[i], instance, ip,
                               appendPointer(at(sp, "anyOf"), std::to_string(i)), scratch);
                failures.insert(failures.end(), scratch.begin(), scratch.end());
            }
            if (!passed)
                add(out, "anyOf", ip, at(sp, "anyOf"), {{"errors", issuesJson(failures)}},
                    "must match a schema in anyOf");
        }
        if (const json *one = find(schema, "oneOf")) {
            Issues failures;
            Issues scratch;
            json passing = json::array();
            for (std::size_t i = 0; i < one->size(); ++i) {
                if (valid((*one)[i], instance, ip,
                          appendPointer(at(sp, "oneOf"), std::to_string(i)), scratch))
                    passing.push_back(i);
                else
                    failures.insert(failures.end(), scratch.begin(), scratch.end());
            }
            if (passing.empty())
                add(out, "oneOf", ip, at(sp, "oneOf"),
                    {{"passingSchemas", nullptr}, {"errors", issuesJson(failures)}},
                    "must match exactly one schema in oneOf");
            else if (passing.size() > 1)
                add(out, "oneOf", ip, at(sp, "oneOf"), {{"passingSchemas", passing}},
                    "must match exactly one schema in oneOf (schemas " + dumpValue(passing) +
                        " all match)");
        }
        if (const json *negated = find(schema, "not")) {
            Issues scratch;
            if (valid(*negated, instance, ip, at(sp, "not"), scratch))
                add(out, "not", ip, at(sp, "not"), json::object(), "must NOT be valid");
        }
        if (const json *condition = find(schema, "if")) {
            Issues scratch;
            const bool holds = valid(*condition, instance, ip, at(sp, "if"), scratch);
            const char *branch = holds ? "then" : "else";
            if (const json *consequence = find(schema, branch)) {
                Issues failures;
                evaluate(*consequence, instance, ip, at(sp, branch), failures);
                if (!failures.empty()) {
                    out.insert(out.end(), failures.begin(), failures.end());
                    add(out, "if", ip, at(sp, "if"), {{"failingKeyword", branch}},
                        std::string("must match \"") + branch + "\" schema");
                }
            }
        }
    }

    const CompiledData &m_data;
    std::vector<std::pair<const json *, const json *>> m_active; // $ref holders being followed
};

} // namespace

// ---------------------------------------------------------------------------------------------

struct JsonSchema::Compiled
{
    CompiledData data;
};

JsonSchema::~JsonSchema() = default;

std::vector<ValidationIssue> JsonSchema::check(const nlohmann::json &schema,
                                               const std::string &basePointer)
{
    return SchemaChecker(schema, basePointer, nullptr).run();
}

Result<JsonSchema> JsonSchema::compile(const nlohmann::json &schema)
{
    // The refs map is keyed by addresses inside the copy, so build it on the copy that the
    // compiled form keeps and never moves again.
    auto compiled = std::make_shared<Compiled>();
    compiled->data.root = schema;
    const Issues issues = SchemaChecker(compiled->data.root, "", &compiled->data).run();
    if (!issues.empty()) {
        json details = json::array();
        for (const auto &issue : issues)
            details.push_back(issue.toJson());
        return Error::invalid("inputSchema is not a valid JSON Schema", std::move(details));
    }
    JsonSchema result;
    result.m_compiled = std::move(compiled);
    return result;
}

std::vector<ValidationIssue> JsonSchema::validate(const nlohmann::json &instance) const
{
    Issues issues;
    if (!m_compiled)
        return issues;
    Validator(m_compiled->data).evaluate(m_compiled->data.root, instance, "", "#", issues);
    return issues;
}

const nlohmann::json &JsonSchema::schema() const
{
    static const nlohmann::json kEmpty = nlohmann::json::object();
    return m_compiled ? m_compiled->data.root : kEmpty;
}

} // namespace flowdeck::validate
