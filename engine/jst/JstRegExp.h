// SPDX-License-Identifier: GPL-3.0-or-later
// JavaScript regular expressions for RegExp, String.split/replace/match/search: PCRE2 set up
// to read ECMAScript syntax as engine/validate/JsonSchema does (the documents use lookbehind,
// which std::regex lacks), with the JavaScript flags g, i, m, s, u and y.
#pragma once

#include "engine/model/Error.h"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace flowdeck::jst {

class RegExp
{
public:
    /// Byte ranges of the whole match (group 0) and of each capture group; nullopt for a
    /// group that did not take part.
    using Groups = std::vector<std::optional<std::pair<std::size_t, std::size_t>>>;

    /// Error::invalid naming the pattern and PCRE2's complaint when it does not compile, or
    /// when a flag is not one of "gimsuy" or appears twice (as new RegExp throws).
    static Result<std::shared_ptr<const RegExp>> compile(const std::string &source,
                                                         const std::string &flags);

    const std::string &source() const { return m_source; }
    const std::string &flags() const { return m_flags; }
    bool global() const { return m_flags.find('g') != std::string::npos; }
    bool sticky() const { return m_flags.find('y') != std::string::npos; }
    /// Names of the capture groups by number (empty for unnamed ones), for exec's `groups`.
    const std::vector<std::string> &groupNames() const { return m_groupNames; }

    /// The first match at or after byte `from` (only at `from` when sticky); nullopt when none.
    /// Error when a match limit is hit (catastrophic backtracking).
    Result<std::optional<Groups>> exec(const std::string &text, std::size_t from) const;

private:
    struct Code;
    std::shared_ptr<Code> m_code;
    std::string m_source;
    std::string m_flags;
    std::vector<std::string> m_groupNames;
};

} // namespace flowdeck::jst
