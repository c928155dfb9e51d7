// SPDX-License-Identifier: GPL-3.0-or-later
// Tasks that complete later (adapter calls), on a real SQLite file: the task runs while its
// call is out, the call goes out only after the task's start is committed, results arrive
// from another thread and finish the task, a restart sends a call in flight again with the
// same idempotency key, pause and cancel abandon it, and job mocks still win.
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"

#include "tests/support/JsonAsserts.h"
#include <QTemporaryDir>

#include <QTest>

#include <mutex>
#include <thread>

using namespace flowdeck;
using namespace flowdeck::runtime;
using nlohmann::json;

namespace {

/// Records what the engine asks of it, and checks at each send that the task's start was
/// already committed (readable from the store).
class RecordingTasks final : public tasks::AsyncTasks
{
public:
    explicit RecordingTasks(store::Store &store) : m_store(store) {}
    bool handles(const std::string &app, const std::string &) const override
    {
        return app == "Petstore";
    }
    void dispatch(tasks::TaskCall call) override
    {
        auto events = m_store.jobEvents(call.jobId, 0, 1000);
        bool committed = false;
        if (events)
            for (const auto &e : *events)
                committed = committed ||
                            (e.kind == "callIssued" && e.data.value("issue", 0) == call.issue &&
                             e.data.value("iteration", "") == call.iteration);
        sentAfterCommit = sentAfterCommit && committed;
        calls.push_back(std::move(call));
    }
    void cancel(const std::string &iteration) override { canceled.push_back(iteration); }

    store::Store &m_store;
    std::vector<tasks::TaskCall> calls;
    std::vector<std::string> canceled;
    bool sentAfterCommit = true;
};

json adapterWorkflow()
{
    json task = {{"name", "getPetById"},
                 {"summary", "Get the pet"},
                 {"app", "Petstore"},
                 {"type", "automatic"},
                 {"variables",
                  {{"incoming", {{"petId", 7}, {"adapter_id", ""}}},
                   {"outgoing", {{"result", "$var.job.pet"}}},
                   {"error", ""},
                   {"decorators", json::array()}}}};
    json fail = {{"name", "stub"},
                 {"summary", "note the failure"},
                 {"app", "WorkFlowEngine"},
                 {"type", "automatic"},
                 {"variables",
                  {{"incoming", {{"type", "success"}, {"delay", ""}, {"response", "x"}}},
                   {"outgoing", json::object()},
                   {"error", ""},
                   {"decorators", json::array()}}}};
    json edge = {{"state", "success"}, {"type", "standard"}};
    json errorEdge = {{"state", "error"}, {"type", "standard"}};
    return {{"name", "adapter call"},
            {"type", "automation"},
            {"tasks",
             {{"workflow_start", {{"name", "workflow_start"}, {"groups", json::array()}}},
              {"workflow_end", {{"name", "workflow_end"}, {"groups", json::array()}}},
              {"a1", task},
              {"f1", fail}}},
            {"transitions",
             {{"workflow_start", {{"a1", edge}}},
              {"a1", {{"workflow_end", edge}, {"f1", errorEdge}}},
              {"f1", json::object()},
              {"workflow_end", json::object()}}}};
}

tasks::MethodResult success(json response)
{
    tasks::MethodResult r;
    r.outgoing = {{"result", {{"icode", "AD.200"}, {"response", std::move(response)}}}};
    return r;
}

} // namespace

class TestEngineCalls : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::SqliteStore> m_store;
    std::unique_ptr<RecordingTasks> m_tasks;
    std::unique_ptr<Engine> m_engine;

    void newEngine()
    {
        m_engine.reset();
        m_tasks = std::make_unique<RecordingTasks>(*m_store);
        m_engine = std::make_unique<Engine>(*m_store);
        m_engine->setAsyncTasks(m_tasks.get());
    }

    std::string start(json mocks = json())
    {
        StartJobOptions o;
        o.workflow = "adapter call";
        o.mocks = std::move(mocks);
        auto r = m_engine->startJob(o);
        if (!r)
            qWarning("%s", r.error().message.c_str());
        return r ? (*r)["_id"].get<std::string>() : std::string();
    }

    json job(const std::string &id) { return *m_engine->jobDocument(id); }

private Q_SLOTS:
    void init()
    {
        QVERIFY(m_dir.isValid());
        const std::string path =
            m_dir
                .filePath(
                    QStringLiteral("calls-%1.db").arg(QLatin1String(QTest::currentTestFunction())))
                .toStdString();
        auto s = store::SqliteStore::open(path);
        QVERIFY(s.ok());
        m_store = std::move(*s);
        auto wf = model::Workflow::fromJson(adapterWorkflow());
        QVERIFY(wf.ok());
        QVERIFY(m_store->saveWorkflow(*wf, std::nullopt, false).ok());
        newEngine();
    }
    void cleanup()
    {
        m_engine.reset();
        m_tasks.reset();
        m_store.reset();
    }

    void runsWhileTheCallIsOutAndFinishesOnTheResult()
    {
        const std::string id = start();
        QCOMPARE(m_tasks->calls.size(), std::size_t(1));
        const auto call = m_tasks->calls[0];
        QVERIFY(m_tasks->sentAfterCommit);
        QCOMPARE(call.taskKey, std::string("a1"));
        QCOMPARE(call.method, std::string("getPetById"));
        QCOMPARE_JSON(call.incoming["petId"], json(7));
        QCOMPARE(call.issue, 1);
        QCOMPARE(call.idempotencyKey(), id + ":a1:1");
        QCOMPARE_JSON(job(id)["status"], json("running"));
        QCOMPARE_JSON(job(id)["tasks"]["a1"]["status"], json("running"));
        QCOMPARE(m_engine->callsInFlight(), std::size_t(1));

        // The result comes from another thread, as the I/O thread's do.
        std::thread io([&] { m_engine->completeCall(call, success({{"name", "Rex"}})); });
        io.join();
        QTRY_VERIFY(job(id)["status"] == json("complete"));
        QCOMPARE_JSON(job(id)["variables"]["pet"]["response"]["name"], json("Rex"));
        QCOMPARE(m_engine->callsInFlight(), std::size_t(0));
        // What the store holds is what memory held.
        auto stored = m_store->job(id);
        QVERIFY(stored.ok());
        QCOMPARE_JSON(stored->document["status"], json("complete"));
    }

    void anErrorTakesTheErrorTransition()
    {
        const std::string id = start();
        QCOMPARE(m_tasks->calls.size(), std::size_t(1));
        m_engine->completeCall(m_tasks->calls[0],
                               tasks::MethodResult::error("AD.501: Could not reach the host"));
        QTRY_VERIFY(job(id)["tasks"]["f1"]["status"] == json("complete"));
        QCOMPARE_JSON(job(id)["tasks"]["a1"]["status"], json("error"));
    }

    /// Results that arrive together are committed in slices of Engine::kResultsPerTurn, one
    /// commit each, and what else waits on the event loop runs between two slices.
    void manyResultsCommitInSlicesWithOtherWorkBetween()
    {
        std::vector<std::string> ids;
        for (int i = 0; i < 40; ++i)
            ids.push_back(start());
        QCOMPARE(m_tasks->calls.size(), std::size_t(40));
        auto completeInStore = [&] {
            int n = 0;
            for (const auto &id : ids)
                if (auto stored = m_store->job(id);
                    stored && stored->document["status"] == "complete")
                    ++n;
            return n;
        };
        // At the first change the engine announces, the store holds the first slice complete.
        int completeAtFirstSignal = -1;
        connect(m_engine.get(), &Engine::jobChanged, this, [&] {
            if (completeAtFirstSignal < 0)
                completeAtFirstSignal = completeInStore();
        });
        std::thread io([&] {
            for (const auto &call : m_tasks->calls)
                m_engine->completeCall(call, success(json::object()));
        });
        io.join();
        // Queued after all 40 results: it runs after the first slice, not after the backlog.
        int completeWhenOtherWorkRan = -1;
        QMetaObject::invokeMethod(
            this, [&] { completeWhenOtherWorkRan = completeInStore(); }, Qt::QueuedConnection);
        QTRY_COMPARE(m_engine->callsInFlight(), std::size_t(0));
        for (const auto &id : ids)
            QCOMPARE_JSON(job(id)["status"], json("complete"));
        QCOMPARE(completeAtFirstSignal, int(Engine::kResultsPerTurn));
        QCOMPARE(completeWhenOtherWorkRan, int(Engine::kResultsPerTurn));
    }

    void aRestartSendsTheCallAgainWithTheSameKey()
    {
        const std::string id = start();
        const std::string key = m_tasks->calls.at(0).idempotencyKey();
        // The process "dies" with the call out: a new engine recovers from the store.
        newEngine();
        QVERIFY(m_engine->recover().ok());
        QCOMPARE(m_tasks->calls.size(), std::size_t(1));
        QCOMPARE(m_tasks->calls[0].idempotencyKey(), key);
        QCOMPARE(m_tasks->calls[0].issue, 2);
        QVERIFY(m_tasks->sentAfterCommit);
        newEngine();
        QVERIFY(m_engine->recover().ok());
        QCOMPARE(m_tasks->calls.at(0).issue, 3);
        m_engine->completeCall(m_tasks->calls[0], success("done"));
        QTRY_VERIFY(job(id)["status"] == json("complete"));
    }

    void pauseAbandonsTheCallAndResumeSendsItAgain()
    {
        const std::string id = start();
        const auto first = m_tasks->calls.at(0);
        QVERIFY(m_engine->pauseJob(id, std::nullopt).ok());
        QCOMPARE(m_tasks->canceled, std::vector<std::string>{first.iteration});
        // A result that was already on its way when the job paused is ignored.
        m_engine->completeCall(first, success("late"));
        QTest::qWait(20);
        QCOMPARE_JSON(job(id)["tasks"]["a1"]["status"], json("running"));
        QVERIFY(m_engine->resumeJob(id, std::nullopt).ok());
        QCOMPARE(m_tasks->calls.size(), std::size_t(2));
        QCOMPARE(m_tasks->calls[1].idempotencyKey(), first.idempotencyKey());
        QCOMPARE(m_tasks->calls[1].issue, 2);
        m_engine->completeCall(m_tasks->calls[1], success("again"));
        QTRY_VERIFY(job(id)["status"] == json("complete"));
    }

    void cancelAbandonsTheCall()
    {
        const std::string id = start();
        QVERIFY(m_engine->cancelJob(id, std::nullopt).ok());
        QCOMPARE(m_tasks->canceled.size(), std::size_t(1));
        QCOMPARE(m_engine->callsInFlight(), std::size_t(0));
        QCOMPARE_JSON(job(id)["status"], json("canceled"));
    }

    void jobMocksWin()
    {
        const std::string id =
            start({{"a1", {{"finish_state", "success"}, {"outgoing", {{"result", "mocked"}}}}}});
        QVERIFY(m_tasks->calls.empty());
        QCOMPARE_JSON(job(id)["status"], json("complete"));
        QCOMPARE_JSON(job(id)["variables"]["pet"], json("mocked"));
    }
};

QTEST_GUILESS_MAIN(TestEngineCalls)
#include "TestEngineCalls.moc"
