// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/JsonParse.h"

#include <utility>
#include <vector>

namespace flowdeck {
namespace {

using nlohmann::json;

std::pair<int, int> lineAndColumn(std::string_view text, std::size_t offset)
{
    offset = std::min(offset, text.size());
    int line = 1;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i < offset; ++i)
        if (text[i] == '\n') {
            ++line;
            lineStart = i + 1;
        }
    return {line, int(offset - lineStart) + 1};
}

Error problem(std::string_view text, std::size_t offset, std::string reason)
{
    const auto [line, column] = lineAndColumn(text, offset);
    reason = validUtf8(reason);
    std::string message = "malformed JSON at line " + std::to_string(line) + ", column " +
                          std::to_string(column) + ": " + reason;
    return Error::invalid(
        std::move(message),
        {{"line", line}, {"column", column}, {"offset", offset}, {"reason", std::move(reason)}});
}

/// The offset of the first bracket nested deeper than `maxDepth`, or npos. Strings are skipped
/// with their escapes, so brackets inside them do not count; anything else malformed is left
/// for the parser to report.
std::size_t tooDeepAt(std::string_view text, int maxDepth)
{
    int depth = 0;
    bool inString = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (inString) {
            if (c == '\\')
                ++i;
            else if (c == '"')
                inString = false;
            continue;
        }
        switch (c) {
        case '"':
            inString = true;
            break;
        case '[':
        case '{':
            if (++depth > maxDepth)
                return i;
            break;
        case ']':
        case '}':
            --depth;
            break;
        default:
            break;
        }
    }
    return std::string_view::npos;
}

/// nlohmann's what() without its "[json.exception.parse_error.101] parse error at line 1,
/// column 5: " prefix: the position is reported on its own.
std::string reasonOf(const char *what)
{
    std::string_view text(what);
    if (const auto bracket = text.find("] "); text.starts_with("[json.") && bracket != text.npos)
        text.remove_prefix(bracket + 2);
    if (const auto colon = text.find(": "); text.starts_with("parse error") && colon != text.npos)
        text.remove_prefix(colon + 2);
    return std::string(text);
}

} // namespace

Result<json> parseJson(std::string_view text, int maxDepth)
{
    if (const std::size_t at = tooDeepAt(text, maxDepth); at != std::string_view::npos)
        return problem(text, at,
                       "arrays and objects are nested deeper than the limit of " +
                           std::to_string(maxDepth) + " levels");
    try {
        return json::parse(text.begin(), text.end());
    } catch (const json::parse_error &e) {
        // e.byte counts from 1 and points at the byte that broke the parse.
        return problem(text, e.byte > 0 ? e.byte - 1 : 0, reasonOf(e.what()));
    } catch (const json::out_of_range &e) {
        // "number overflow parsing '1e99999'": no position is given, so find the number.
        std::string reason = reasonOf(e.what());
        std::size_t offset = 0;
        if (const auto open = reason.find('\''), close = reason.rfind('\'');
            open != std::string::npos && close > open) {
            const auto found = text.find(reason.substr(open + 1, close - open - 1));
            offset = found == std::string_view::npos ? 0 : found;
        }
        return problem(text, offset, reason + " (larger than any number JSON values may hold)");
    } catch (const json::exception &e) {
        return problem(text, 0, reasonOf(e.what()));
    }
}

JsonParseProblem jsonParseProblem(const Error &error)
{
    JsonParseProblem out;
    const json &d = error.details;
    if (!d.is_object())
        return out;
    out.offset = d.value("offset", std::size_t(0));
    out.line = d.value("line", 1);
    out.column = d.value("column", 1);
    out.reason = d.value("reason", std::string());
    return out;
}

std::string validUtf8(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t length = 0;
        unsigned min = 0;
        unsigned code = 0;
        if (c < 0x80) {
            out.push_back(char(c));
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            length = 2, min = 0x80, code = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            length = 3, min = 0x800, code = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            length = 4, min = 0x10000, code = c & 0x07;
        }
        bool valid = length > 0 && i + length <= text.size();
        for (std::size_t k = 1; valid && k < length; ++k) {
            const auto next = static_cast<unsigned char>(text[i + k]);
            valid = (next & 0xC0) == 0x80;
            code = (code << 6) | (next & 0x3F);
        }
        // Overlong forms, surrogates and values past U+10FFFF are invalid too.
        valid = valid && code >= min && code <= 0x10FFFF && !(code >= 0xD800 && code <= 0xDFFF);
        if (valid) {
            out.append(text.substr(i, length));
            i += length;
        } else {
            out.append("\xEF\xBF\xBD");
            ++i;
        }
    }
    return out;
}

JsonShape jsonShape(const json &value)
{
    JsonShape shape;
    std::vector<std::pair<const json *, int>> pending{{&value, 0}};
    while (!pending.empty()) {
        const auto [node, depth] = pending.back();
        pending.pop_back();
        switch (node->type()) {
        case json::value_t::object:
            shape.depth = std::max(shape.depth, depth + 1);
            shape.bytes += 2;
            for (auto it = node->begin(); it != node->end(); ++it) {
                shape.bytes += it.key().size() + 4; // quotes, colon, comma
                pending.emplace_back(&it.value(), depth + 1);
            }
            break;
        case json::value_t::array:
            shape.depth = std::max(shape.depth, depth + 1);
            shape.bytes += 2 + node->size();
            for (const auto &child : *node)
                pending.emplace_back(&child, depth + 1);
            break;
        case json::value_t::string:
            shape.bytes += node->get_ref<const std::string &>().size() + 2;
            break;
        case json::value_t::binary:
            shape.bytes += node->get_binary().size();
            break;
        default:
            shape.bytes += 8; // numbers, booleans, null
            break;
        }
    }
    return shape;
}

} // namespace flowdeck
