// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/jst/JstRegExp.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <cstdint>

namespace flowdeck::jst {

namespace {

// Bounds on one match so a pattern that backtracks catastrophically fails the node instead of
// hanging the transformation (the same limits as JsonSchema's patterns).
constexpr std::uint32_t kMatchLimit = 1'000'000;
constexpr std::uint32_t kDepthLimit = 100'000;

} // namespace

struct RegExp::Code
{
    pcre2_code *code = nullptr;
    ~Code() { pcre2_code_free(code); }
};

Result<std::shared_ptr<const RegExp>> RegExp::compile(const std::string &source,
                                                      const std::string &flags)
{
    // The options that bring PCRE2 closest to ECMAScript; JsonSchema.cpp explains each one.
    std::uint32_t options = PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY |
                            PCRE2_ALLOW_EMPTY_CLASS | PCRE2_MATCH_INVALID_UTF |
                            PCRE2_NEVER_BACKSLASH_C;
    for (std::size_t i = 0; i < flags.size(); ++i) {
        const char f = flags[i];
        if (std::string("gimsuy").find(f) == std::string::npos ||
            flags.find(f, i + 1) != std::string::npos)
            return Error::invalid("Invalid flags supplied to RegExp constructor '" + flags + "'");
        if (f == 'i')
            options |= PCRE2_CASELESS;
        else if (f == 'm')
            options |= PCRE2_MULTILINE;
        else if (f == 's')
            options |= PCRE2_DOTALL;
    }
    pcre2_compile_context *context = pcre2_compile_context_create(nullptr);
    if (!context)
        return Error::internal("out of memory compiling a regular expression");
    pcre2_set_compile_extra_options(context, PCRE2_EXTRA_ALT_BSUX);
    pcre2_set_newline(context, PCRE2_NEWLINE_ANYCRLF);
    int code = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code *compiled = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(source.data()), source.size(),
                                         options, &code, &offset, context);
    pcre2_compile_context_free(context);
    if (!compiled) {
        PCRE2_UCHAR message[256] = {};
        pcre2_get_error_message(code, message, sizeof message);
        return Error::invalid("Invalid regular expression: /" + source +
                              "/: " + reinterpret_cast<const char *>(message) + " at offset " +
                              std::to_string(offset));
    }
    static_cast<void>(pcre2_jit_compile(compiled, PCRE2_JIT_COMPLETE));

    auto re = std::make_shared<RegExp>();
    re->m_code = std::make_shared<Code>();
    re->m_code->code = compiled;
    re->m_source = source;
    re->m_flags = flags;
    std::uint32_t groups = 0;
    pcre2_pattern_info(compiled, PCRE2_INFO_CAPTURECOUNT, &groups);
    re->m_groupNames.assign(groups + 1, std::string());
    std::uint32_t nameCount = 0;
    std::uint32_t entrySize = 0;
    PCRE2_SPTR table = nullptr;
    pcre2_pattern_info(compiled, PCRE2_INFO_NAMECOUNT, &nameCount);
    pcre2_pattern_info(compiled, PCRE2_INFO_NAMEENTRYSIZE, &entrySize);
    pcre2_pattern_info(compiled, PCRE2_INFO_NAMETABLE, &table);
    for (std::uint32_t i = 0; i < nameCount; ++i) {
        const PCRE2_SPTR entry = table + i * entrySize;
        const unsigned number = (unsigned(entry[0]) << 8) | entry[1];
        if (number < re->m_groupNames.size())
            re->m_groupNames[number] = reinterpret_cast<const char *>(entry + 2);
    }
    return std::shared_ptr<const RegExp>(std::move(re));
}

Result<std::optional<RegExp::Groups>> RegExp::exec(const std::string &text, std::size_t from) const
{
    if (from > text.size())
        return std::optional<Groups>();
    pcre2_match_data *data = pcre2_match_data_create_from_pattern(m_code->code, nullptr);
    pcre2_match_context *context = pcre2_match_context_create(nullptr);
    if (!data || !context) {
        pcre2_match_data_free(data);
        pcre2_match_context_free(context);
        return Error::internal("out of memory matching a regular expression");
    }
    pcre2_set_match_limit(context, kMatchLimit);
    pcre2_set_depth_limit(context, kDepthLimit);
    const int rc = pcre2_match(m_code->code, reinterpret_cast<PCRE2_SPTR>(text.data()), text.size(),
                               from, sticky() ? PCRE2_ANCHORED : 0, data, context);
    Result<std::optional<Groups>> result = std::optional<Groups>();
    if (rc >= 0) {
        const PCRE2_SIZE *ovector = pcre2_get_ovector_pointer(data);
        Groups groups;
        for (std::size_t g = 0; g < m_groupNames.size(); ++g) {
            if (g < static_cast<std::size_t>(rc) && ovector[2 * g] != PCRE2_UNSET)
                groups.emplace_back(std::make_pair(ovector[2 * g], ovector[2 * g + 1]));
            else
                groups.emplace_back(std::nullopt);
        }
        result = std::optional<Groups>(std::move(groups));
    } else if (rc != PCRE2_ERROR_NOMATCH) {
        result =
            Error::invalid("regular expression /" + m_source + "/ gave up (match limit reached)");
    }
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    return result;
}

} // namespace flowdeck::jst
