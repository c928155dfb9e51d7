// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/adapters/AdapterRunner.h"

#include "engine/adapters/AdapterClient.h"
#include "engine/adapters/AdapterDefinition.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QMetaObject>
#include <QTimer>

namespace flowdeck::adapters {

using nlohmann::json;

AdapterRunner::AdapterRunner(AdapterCatalog &catalog, Completion completion)
    : m_catalog(catalog), m_completion(std::move(completion))
{
    m_thread.setObjectName(QStringLiteral("flowdeck-adapters"));
    m_client = new AdapterClient;
    m_client->moveToThread(&m_thread);
    QObject::connect(&m_thread, &QThread::finished, m_client, &QObject::deleteLater);
    m_thread.start();
}

AdapterRunner::~AdapterRunner()
{
    m_thread.quit();
    m_thread.wait();
}

void AdapterRunner::run(std::function<void()> work)
{
    QMetaObject::invokeMethod(m_client, std::move(work), Qt::QueuedConnection);
}

bool AdapterRunner::handles(const std::string &app, const std::string &) const
{
    return !app.empty() && app != "WorkFlowEngine";
}

void AdapterRunner::dispatch(tasks::TaskCall sent)
{
    auto shared = std::make_shared<const tasks::TaskCall>(std::move(sent));
    run([this, shared] {
        const tasks::TaskCall &call = *shared;
        auto finish = [this, shared](const AdapterOutcome &outcome) {
            if (m_completion)
                m_completion(*shared, outcome.toMethodResult());
        };
        const std::string adapterId = call.incoming.value("adapter_id", json()).is_string()
                                          ? call.incoming["adapter_id"].get<std::string>()
                                          : std::string();
        auto found = m_catalog.select(call.app, adapterId);
        if (!found) {
            finish(AdapterOutcome::failure("AD.310", call.app + "-" + call.method,
                                           found.error().message,
                                           "Add an adapter instance for " + call.app +
                                               " in Adapters, or set the task's adapter_id"));
            return;
        }
        // At least once, but not forever: a call that keeps dying with the process stops.
        const int retries =
            found->record.properties.value("request", json::object()).value("number_retries", 3);
        if (call.issue > retries + 1) {
            finish(AdapterOutcome::failure(
                "AD.311", found->record.name + "-" + call.method,
                "The call was sent " + std::to_string(call.issue - 1) +
                    " times and each time Flowdeck stopped before its answer; it is not sent "
                    "again (request.number_retries is " +
                    std::to_string(retries) + ")",
                "Check on the system whether the call took effect, then retry the task"));
            return;
        }
        json input = call.incoming;
        input.erase("adapter_id");
        const std::string key = call.idempotencyKey();
        const std::string tag = call.iteration;
        callRecord(std::move(*found), call.method, std::move(input), key, tag,
                   [finish](AdapterOutcome outcome) { finish(outcome); });
    });
}

void AdapterRunner::cancel(const std::string &iteration)
{
    run([this, iteration] { m_client->cancel(iteration); });
}

void AdapterRunner::callRecord(AdapterCatalog::ForCall found, const std::string &method, json input,
                               std::string idempotencyKey, std::string tag, Done done)
{
    store::AdapterRecord &record = found.record;
    const json &definition = *found.definition;
    const json *m = findMethod(definition, method);
    if (!m) {
        // A package method Flowdeck reported as unbound (custom code) says so, with the reason.
        for (const auto &u : definition.value("unbound", json::array()))
            if (u.value("name", std::string()) == method) {
                done(AdapterOutcome::failure(
                    "AD.310", record.name + "-" + method,
                    "method \"" + method + "\" of the Itential package of \"" + record.name +
                        "\" is not run by Flowdeck: " + u.value("reason", std::string()),
                    "Replace the task with the methods it calls, or with a transformation"));
                return;
            }
        done(AdapterOutcome::failure("AD.310", record.name + "-" + method,
                                     "adapter instance \"" + record.name + "\" (app " + record.app +
                                         ") has no method \"" + method + "\"",
                                     "Check the task's method against the instance's "
                                     "definition (flowdeck adapter show " +
                                         record.name + ")"));
        return;
    }
    AdapterCallSpec spec;
    spec.method = *m;
    auto opened = m_catalog.withSecrets(std::move(record));
    if (!opened) {
        done(AdapterOutcome::failure("AD.900", spec.method.value("name", std::string()),
                                     opened.error().message, "Set the instance's secrets again"));
        return;
    }
    spec.instance = opened->name;
    spec.properties = std::move(opened->properties);
    spec.input = std::move(input);
    spec.idempotencyKey = std::move(idempotencyKey);
    spec.tag = std::move(tag);
    m_client->call(std::move(spec), std::move(done));
}

void AdapterRunner::call(const std::string &instance, const std::string &method, json input,
                         Done done)
{
    run([this, instance, method, input = std::move(input), done = std::move(done)]() mutable {
        auto found = m_catalog.named(instance);
        if (!found) {
            done(AdapterOutcome::failure("AD.310", instance + "-" + method, found.error().message,
                                         "Add the instance in Adapters"));
            return;
        }
        callRecord(std::move(*found), method, std::move(input), {}, {}, std::move(done));
    });
}

void AdapterRunner::test(const std::string &instance, Done done)
{
    run([this, instance, done = std::move(done)]() mutable {
        auto record = m_catalog.named(instance);
        if (!record) {
            done(AdapterOutcome::failure("AD.310", instance + "-healthcheck",
                                         record.error().message, "Add the instance in Adapters"));
            return;
        }
        const json hc = record->record.properties.value("healthcheck", json::object());
        std::string methodName = hc.value("method", std::string());
        // An Itential package checks its health with its .system healthcheck action, as
        // adapter-utils does, unless the properties name a method or a path.
        if (methodName.empty() && hc.value("URI_path", std::string()).empty() &&
            findMethod(*record->definition, "healthCheck"))
            methodName = "healthCheck";
        auto started = std::make_shared<QElapsedTimer>();
        started->start();
        auto note = [this, instance, started, done = std::move(done)](AdapterOutcome outcome) {
            // A system that answers at all (below 500) is reachable: a 404 on the health
            // path still proves the connection, the TLS and usually the credentials.
            if (!outcome.ok) {
                const json code = outcome.body["IAPerror"].value("code", json());
                if (code.is_number_integer() && code.get<int>() < 500 && code.get<int>() != 401 &&
                    code.get<int>() != 403)
                    outcome.ok = true;
            }
            noteHealth(instance, outcome, started->elapsed());
            done(std::move(outcome));
        };
        if (!methodName.empty()) {
            callRecord(std::move(*record), methodName, hc.value("query_object", json::object()), {},
                       {}, std::move(note));
            return;
        }
        // No method named: a GET of URI_path (or of the base path) as a method of its own.
        record->definition = std::make_shared<const json>(
            json{{"methods", json::array({{{"name", "healthcheck"},
                                           {"verb", "GET"},
                                           {"path", hc.value("URI_path", std::string("/"))},
                                           {"inputs", json::array()}}})}});
        callRecord(std::move(*record), "healthcheck", json::object(), {}, {}, std::move(note));
    });
}

void AdapterRunner::testInBackground(const std::string &instance)
{
    {
        const std::lock_guard lock(m_healthMutex);
        json &entry = m_health[instance];
        if (!entry.is_object())
            entry = {{"state", "UNKNOWN"}};
        entry["checking"] = true;
    }
    test(instance, [](AdapterOutcome) {});
}

void AdapterRunner::noteHealth(const std::string &instance, const AdapterOutcome &outcome,
                               qint64 latency)
{
    json entry = {{"state", outcome.ok ? "ONLINE" : "OFFLINE"},
                  {"latency", latency},
                  {"error", outcome.ok ? json(nullptr) : json(outcome.message())},
                  {"checked", QDateTime::currentMSecsSinceEpoch()}};
    bool wentDown = false;
    {
        const std::lock_guard lock(m_healthMutex);
        const json before = m_health.contains(instance) ? m_health[instance] : json();
        wentDown = !outcome.ok && (!before.is_object() || before.value("state", "") != "OFFLINE");
        m_health[instance] = entry;
    }
    // Told outside the lock: the callback writes the store.
    if (wentDown && m_wentDown)
        m_wentDown(instance, entry);
}

void AdapterRunner::startHealthChecks()
{
    run([this] {
        auto *timer = new QTimer(m_client); // lives and dies with the client, on its thread
        QObject::connect(timer, &QTimer::timeout, m_client, [this] { checkDueHealth(); });
        timer->start(1000);
        checkDueHealth();
    });
}

void AdapterRunner::checkDueHealth()
{
    auto all = m_catalog.list();
    if (!all)
        return;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const auto &a : *all) {
        const std::string name = a.value("name", std::string());
        const json hc = a["properties"].value("healthcheck", json::object());
        const std::string type = hc.value("type", std::string("none"));
        if (type == "none") {
            m_nextCheck.erase(name);
            continue;
        }
        auto [it, fresh] = m_nextCheck.try_emplace(name, 0);
        if ((!fresh && it->second == 0) || it->second > now)
            continue; // a startup check done, or an intermittent one not due
        it->second = type == "intermittent" ? now + hc.value("frequency", 300000) : 0;
        test(name, [](AdapterOutcome) {});
    }
}

void AdapterRunner::forgetHealth(const std::string &instance)
{
    const std::lock_guard lock(m_healthMutex);
    m_health.erase(instance);
}

json AdapterRunner::health() const
{
    const std::lock_guard lock(m_healthMutex);
    return m_health;
}

} // namespace flowdeck::adapters
