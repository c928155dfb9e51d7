// SPDX-License-Identifier: GPL-3.0-or-later
// Runs adapter calls on an I/O thread of its own: the engine's adapter tasks (as its
// AsyncTasks), single calls from the command line and the API, and health checks. Everything
// slow — reading the instance, opening its secrets, the HTTP exchange — happens on that
// thread; the engine thread only posts the call and later receives the result.
#pragma once

#include "engine/adapters/AdapterCatalog.h"
#include "engine/adapters/AdapterOutcome.h"
#include "engine/tasks/AsyncTasks.h"

#include <QThread>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace flowdeck::adapters {

class AdapterClient;

class AdapterRunner final : public tasks::AsyncTasks
{
public:
    /// How a task's result reaches the engine (Engine::completeCall); called on the I/O thread.
    using Completion = std::function<void(const tasks::TaskCall &, tasks::MethodResult)>;
    using Done = std::function<void(AdapterOutcome)>;

    /// Starts the I/O thread. The catalog outlives the runner.
    AdapterRunner(AdapterCatalog &catalog, Completion completion = {});
    ~AdapterRunner() override;

    /// Every app but WorkFlowEngine's: an adapter task without an instance ends in an error
    /// that says how to add one.
    bool handles(const std::string &app, const std::string &method) const override;
    void dispatch(tasks::TaskCall call) override;
    void cancel(const std::string &iteration) override;

    /// One call of `method` of the named instance outside a job; `done` runs on the I/O thread.
    void call(const std::string &instance, const std::string &method, nlohmann::json input,
              Done done);
    /// The instance's health check (healthcheck.method, else GET healthcheck.URI_path, else
    /// GET of the base path): online when the system answers below 500, with the latency.
    void test(const std::string &instance, Done done);
    /// test() whose outcome is only noted in health(): the entry keeps what the last check
    /// found and says `"checking": true` until this one ends (the window's Test connection).
    void testInBackground(const std::string &instance);

    /// Drops what the last check of `instance` found: its properties changed or it is gone,
    /// so the finding no longer describes it (health() says UNKNOWN until the next check).
    void forgetHealth(const std::string &instance);

    /// What the last health checks found: {name: {state, latency, error, checked}}.
    nlohmann::json health() const;

    /// Called (on the I/O thread) when a health check finds an instance OFFLINE that the last
    /// check did not: `entry` is its new health() entry. Set before startHealthChecks().
    using WentDown = std::function<void(const std::string &instance, const nlohmann::json &entry)>;
    void onWentDown(WentDown callback) { m_wentDown = std::move(callback); }

    /// Runs the instances' own health checks from now on: healthcheck.type "startup" once,
    /// "intermittent" every healthcheck.frequency ms; instances added later are picked up.
    void startHealthChecks();

private:
    void run(std::function<void()> work);
    void callRecord(AdapterCatalog::ForCall found, const std::string &method, nlohmann::json input,
                    std::string idempotencyKey, std::string tag, Done done);
    void noteHealth(const std::string &instance, const AdapterOutcome &outcome, qint64 latency);

    AdapterCatalog &m_catalog;
    Completion m_completion;
    QThread m_thread;
    AdapterClient *m_client = nullptr; ///< lives on m_thread
    void checkDueHealth();

    std::map<std::string, qint64> m_nextCheck; ///< I/O thread only: when each is due (0: never)
    mutable std::mutex m_healthMutex;
    nlohmann::json m_health = nlohmann::json::object();
    WentDown m_wentDown;
};

} // namespace flowdeck::adapters
