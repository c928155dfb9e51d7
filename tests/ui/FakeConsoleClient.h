// SPDX-License-Identifier: GPL-3.0-or-later
// A ConsoleClient that answers from a test's script, asynchronously like the real ones (the
// reply finishes on the next turn of the event loop), and remembers every request.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QTimer>

#include <functional>
#include <string>
#include <vector>

namespace flowdeck::test {

inline api::ApiResponse answer(int status, nlohmann::json json)
{
    api::ApiResponse response;
    response.status = status;
    response.json = std::move(json);
    return response;
}

/// {message, data, metadata} as the Operations Manager routes answer.
inline api::ApiResponse envelope(nlohmann::json data,
                                 nlohmann::json metadata = nlohmann::json::object())
{
    return answer(
        200, {{"message", "ok"}, {"data", std::move(data)}, {"metadata", std::move(metadata)}});
}

class FakeConsoleClient final : public ui::ConsoleClient
{
public:
    using Script = std::function<api::ApiResponse(const api::ApiRequest &)>;

    Script script = [](const api::ApiRequest &request) {
        return answer(404, {{"message", "no route " + request.path}, {"error", "not_found"}});
    };
    std::vector<api::ApiRequest> requests;

    ui::ApiReply *call(api::ApiRequest request) override
    {
        auto *reply = new ui::ApiReply(this);
        requests.push_back(request);
        api::ApiResponse response = script(request);
        QTimer::singleShot(0, reply, [reply, response] { reply->finish(response); });
        return reply;
    }

    /// How many requests went to `path` with `method`.
    int count(api::Method method, const std::string &path) const
    {
        int n = 0;
        for (const auto &r : requests)
            n += r.method == method && r.path == path;
        return n;
    }
    /// The last request to `path`, or a default one.
    api::ApiRequest last(const std::string &path) const
    {
        for (auto it = requests.rbegin(); it != requests.rend(); ++it)
            if (it->path == path)
                return *it;
        return {};
    }

    void emitJobChanged(const QString &jobId, const QString &status)
    {
        Q_EMIT jobChanged(jobId, status);
    }
};

} // namespace flowdeck::test
