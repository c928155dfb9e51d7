// SPDX-License-Identifier: GPL-3.0-or-later
// The "field-pair" query syntax of Operations Manager's automation and trigger listings
// (reference §2b): limit, skip, sort, order, equals+equalsField, contains+containsField,
// startsWith+startsWithField, and for triggers enabled. Itential silently ignores a filter it
// does not understand and answers everything; Flowdeck refuses it with a 400 naming it.
#pragma once

#include "engine/model/Error.h"
#include "engine/store/Records.h"

#include <map>
#include <set>
#include <string>

namespace flowdeck::api {

class FieldPairQuery
{
public:
    /// `fields` are the document fields a caller may filter and sort on; `enabledFilter` allows
    /// `enabled=true|false` (and equalsField=enabled) as triggers do.
    FieldPairQuery(std::set<std::string> fields, bool enabledFilter);

    /// The store query for these query parameters. Invalid, naming the parameter (details:
    /// {parameter, allowed?}), for an unknown parameter, the bracket syntax of jobs and tasks,
    /// a parameter given twice, a value without its field (or the reverse), an unknown field,
    /// and limit / skip / order / enabled values out of range. Defaults: limit 25 (at most
    /// 1000), skip 0, sort by name ascending.
    Result<store::FieldQuery> parse(const std::multimap<std::string, std::string> &query) const;

private:
    std::set<std::string> m_fields;
    bool m_enabledFilter = false;
};

} // namespace flowdeck::api
