// SPDX-License-Identifier: GPL-3.0-or-later
// The Operations Manager search syntax for jobs and tasks (reference §2a): bracket operators
// (equals[f]=v, in[f]=a,b, gt[f]=…), q=<JSON expression with and/or/not>, include/exclude
// projections, dereference, sort/order and skip/limit, parsed into a typed query the store
// turns into SQL. Anything the server does not understand is Invalid naming it.
#pragma once

#include "engine/api/ApiTypes.h"
#include "engine/store/Records.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace flowdeck::api {

/// Page sizes beyond this are clamped (and the answer's metadata.hints says so).
constexpr int kMaxListLimit = 1000;
constexpr int kDefaultListLimit = 25;

/// What the answer shows of each document.
struct Projection
{
    std::vector<std::string> include; ///< dot paths; empty = everything
    std::vector<std::string> exclude; ///< dot paths
    std::vector<std::string> dereference;
};

struct SearchQuery
{
    store::FilterExpr filter; ///< an And of every operator parameter and q
    std::string sortField = "name";
    bool descending = false;
    int skip = 0;
    int limit = kDefaultListLimit;
    Projection projection;
    nlohmann::json hints = nlohmann::json::array(); ///< notes for metadata.hints
};

/// The fields and expansions one listing accepts.
struct SearchSchema
{
    const std::vector<store::SearchField> &fields;
    std::vector<std::string> dereferenceable; ///< what `dereference` may name
};

/// Parses a list request's query string. Invalid names the parameter (and, inside q, the
/// JSON pointer) that is wrong.
Result<SearchQuery> parseSearchQuery(const ApiRequest &request, const SearchSchema &schema);

/// Parses a single-document request's query string: only include, exclude, dereference.
Result<Projection> parseProjection(const ApiRequest &request, const SearchSchema &schema);

/// The document with include/exclude applied ("_id" is always kept by include).
nlohmann::json project(const nlohmann::json &document, const Projection &projection);

/// A time given as epoch milliseconds or an ISO 8601 date-time (UTC unless it says
/// otherwise), in epoch milliseconds; nullopt when it is neither.
std::optional<std::int64_t> parseTimeValue(const std::string &text);

} // namespace flowdeck::api
