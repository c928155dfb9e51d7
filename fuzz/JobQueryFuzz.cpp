// SPDX-License-Identifier: GPL-3.0-or-later
#include "fuzz/FuzzTargets.h"

#include "engine/api/JobQueryParser.h"
#include "engine/http/QueryString.h"
#include "engine/store/Store.h"

namespace flowdeck::fuzz {

int jobQuery(const std::uint8_t *data, std::size_t size)
{
    auto query =
        http::parseQuery(QByteArray(reinterpret_cast<const char *>(data), qsizetype(size)));
    if (!query)
        return 0;
    api::ApiRequest request;
    request.path = "/operations-manager/jobs";
    request.query = std::move(*query);
    const api::SearchSchema jobs{store::jobSearchFields(), {"workflow"}};
    (void)api::parseSearchQuery(request, jobs);
    (void)api::parseProjection(request, jobs);
    const api::SearchSchema tasks{store::taskSearchFields(), {}};
    (void)api::parseSearchQuery(request, tasks);
    return 0;
}

} // namespace flowdeck::fuzz
