// SPDX-License-Identifier: GPL-3.0-or-later
// Exactly one job per (trigger, scheduled instant), with the scheduler in child processes
// (SchedulerCrashChild) on a shared fast clock (a minute every 500 ms):
// - killed with SIGKILL at random moments, and killing itself between a job's write and the
//   commit of its instant, again and again: after each death the store holds a job for every
//   started instant and no job without one; at the end every instant from the first on has
//   exactly one record, started for processMissedRuns "all", started or skipped (with its
//   reason) for "last" and "none";
// - two processes ticking on one store at once: each instant still starts one job (the
//   instant's row and its job commit in one BEGIN IMMEDIATE transaction, and the row's primary
//   key refuses a second); the app never gets there, as a second process is refused the
//   store's lock, which is tested too.
#include "engine/access/AccountService.h"
#include "engine/api/EngineApi.h"
#include "engine/runtime/Engine.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/SingleTaskWorkflow.h"

#include <QDateTime>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <map>
#include <set>

using namespace flowdeck;
using nlohmann::json;

namespace {

constexpr std::int64_t kMinute = 60'000;
/// Fast-clock milliseconds per real millisecond: a minute every 500 ms (each commit fsyncs).
constexpr std::int64_t kSpeed = 120;
constexpr int kTriggersPerPolicy = 4;

json stampWorkflow()
{
    return test::singleTaskWorkflow(
        "Crash Stamp", test::engineTask("newVariable", {{"name", "ran"}, {"value", true}}));
}

struct Trigger
{
    std::string id;
    std::string name;
    std::string policy;
};

/// A store with schedule triggers (`* * * * *`), made through the API as an operator would,
/// and the fast clock its children share.
struct Scenario
{
    QString db;
    std::int64_t clock0 = 0;
    std::int64_t epoch0 = 0;
    std::int64_t first = 0; ///< every trigger's first instant
    std::vector<Trigger> triggers;

    std::int64_t fastNow() const
    {
        return clock0 + (QDateTime::currentMSecsSinceEpoch() - epoch0) * kSpeed;
    }

    QStringList args(std::int64_t until, QStringList extra = {}) const
    {
        QStringList a{db, QString::number(clock0), QString::number(epoch0), QString::number(kSpeed),
                      QString::number(until)};
        return a + extra;
    }
};

bool makeScenario(Scenario &s, const QString &db, const std::vector<std::string> &policies)
{
    s.db = db;
    auto opened = store::SqliteStore::open(db.toStdString());
    if (!opened)
        return false;
    auto &store = **opened;
    api::WorkflowCatalog catalog(store);
    access::AccountService accounts(store);
    runtime::Engine engine(store);
    api::EngineApi api(api::EngineContext{store, catalog, &engine, &accounts});
    auto admin = accounts.ensureLocalAccount("ada");
    if (!admin)
        return false;
    auto call = [&](const std::string &path, json body) {
        api::ApiRequest r;
        r.method = api::Method::Post;
        r.path = path;
        r.body = std::move(body);
        r.principal = *admin;
        return api.dispatch(std::move(r));
    };
    auto wf =
        store.saveWorkflow(*model::Workflow::fromJson(stampWorkflow()), std::string("ada"), true);
    if (!wf)
        return false;
    auto a = call("/operations-manager/automations",
                  {{"name", "Crash"}, {"componentType", "workflows"}, {"componentId", wf->id}});
    if (a.status != 200) {
        qWarning("automation: %s", a.json.dump().c_str());
        return false;
    }
    const std::string automation = a.json["data"]["_id"];
    s.epoch0 = QDateTime::currentMSecsSinceEpoch();
    s.clock0 = s.epoch0;
    // Two minutes ahead on the fast clock: the first child is up before it is due.
    s.first = (s.clock0 / kMinute + 2) * kMinute;
    int n = 0;
    for (const auto &policy : policies) {
        json fields = {{"name", "crash " + std::to_string(++n)},
                       {"type", "schedule"},
                       {"actionType", "automations"},
                       {"actionId", automation},
                       {"cron", "* * * * *"},
                       {"processMissedRuns", policy}};
        if (policy == "all")
            fields["maxMissedRuns"] = 1000; // nothing a kill leaves behind is past the cap
        auto t = call("/operations-manager/triggers", fields);
        if (t.status != 200) {
            qWarning("trigger: %s", t.json.dump().c_str());
            return false;
        }
        const std::string id = t.json["data"]["_id"];
        if (!store.setTriggerNextRun(id, s.first))
            return false;
        s.triggers.push_back({id, fields["name"], policy});
    }
    return true;
}

std::vector<std::string> mixedPolicies()
{
    std::vector<std::string> p;
    for (const char *policy : {"all", "last", "none"})
        for (int i = 0; i < kTriggersPerPolicy; ++i)
            p.emplace_back(policy);
    return p;
}

} // namespace

class TestSchedulerCrash : public QObject
{
    Q_OBJECT

    /// Checks the store against the exactly-once rule; with `until`, also that the run is
    /// complete: every instant from the first up to `until` has its one record, as the
    /// trigger's policy says. Answers how many instants started a job.
    /// With `exactNext`, the trigger's next run must be the instant after the last one: not so
    /// with two processes, where one may write a next run the other has passed already (it is
    /// found handled when seen again).
    int verify(const Scenario &s, std::optional<std::int64_t> until = std::nullopt,
               bool exactNext = true)
    {
        auto opened = store::SqliteStore::open(s.db.toStdString());
        if (!opened) {
            qWarning("reopen: %s", opened.error().message.c_str());
            return -1;
        }
        auto &store = **opened;
        std::set<std::string> jobIds;
        int started = 0;
        for (const auto &t : s.triggers) {
            auto fires = store.triggerFires(t.id, 1'000'000);
            if (!fires)
                return -1;
            std::set<std::int64_t> instants;
            for (const auto &f : *fires) {
                if (!instants.insert(f.scheduledAt).second) {
                    qWarning("%s: instant %lld recorded twice", t.name.c_str(),
                             (long long)f.scheduledAt);
                    return -1;
                }
                if (f.outcome == "started") {
                    ++started;
                    if (!f.jobId || !jobIds.insert(*f.jobId).second) {
                        qWarning("%s: instant %lld names no job, or a job another instant names",
                                 t.name.c_str(), (long long)f.scheduledAt);
                        return -1;
                    }
                    auto job = store.job(*f.jobId);
                    if (!job || job->document.value("description", std::string())
                                        .find("trigger \"" + t.name + "\"") == std::string::npos) {
                        qWarning("%s: the job %s of instant %lld is missing or not its own",
                                 t.name.c_str(), f.jobId->c_str(), (long long)f.scheduledAt);
                        return -1;
                    }
                } else if (f.outcome != "skipped" || t.policy == "all" ||
                           f.message.find("missed") == std::string::npos) {
                    qWarning("%s (%s): instant %lld is %s: %s", t.name.c_str(), t.policy.c_str(),
                             (long long)f.scheduledAt, f.outcome.c_str(), f.message.c_str());
                    return -1;
                }
            }
            if (!until)
                continue;
            // None lost: the instants recorded are every minute from the first to the last
            // due by `until`, and the trigger waits for the one after.
            std::int64_t expected = s.first;
            for (const auto at : instants) {
                if (at != expected) {
                    qWarning("%s: instant %lld has no record", t.name.c_str(), (long long)expected);
                    return -1;
                }
                expected += kMinute;
            }
            if (expected <= *until) {
                qWarning("%s: the instants up to %lld were not handled", t.name.c_str(),
                         (long long)*until);
                return -1;
            }
            auto trigger = store.triggerById(t.id);
            if (!trigger || !trigger->nextRunAt ||
                (exactNext ? *trigger->nextRunAt != expected : *trigger->nextRunAt > expected)) {
                qWarning("%s: next run is not the instant after the last one handled",
                         t.name.c_str());
                return -1;
            }
        }
        // No job without its instant: a job written by a process that died before the
        // instant's commit would be one more than the instants started.
        store::JobQuery q;
        q.limit = 1;
        auto jobs = store.listJobs(q);
        if (!jobs || jobs->total != std::int64_t(jobIds.size())) {
            qWarning("%lld jobs for %zu started instants", jobs ? (long long)jobs->total : -1LL,
                     jobIds.size());
            return -1;
        }
        return started;
    }

    static int firedOf(const QByteArray &out)
    {
        const auto m =
            QRegularExpression(QStringLiteral("done fired=(\\d+)")).match(QString::fromUtf8(out));
        return m.hasMatch() ? m.captured(1).toInt() : -1;
    }

private Q_SLOTS:
    void oneJobPerInstantUnderKill9()
    {
        QTemporaryDir dir;
        Scenario s;
        QVERIFY(makeScenario(s, dir.filePath(QStringLiteral("crash.db")), mixedPolicies()));
        auto *random = QRandomGenerator::global();
        int deaths = 0, midTick = 0;
        for (int round = 0; round < 10; ++round) {
            // Most rounds die at a random moment; every third kills itself inside a fire.
            const bool self = round % 3 == 2;
            const int k = int(random->bounded(1, 2 * kTriggersPerPolicy));
            QProcess child;
            child.start(
                QStringLiteral(SCHEDULER_CRASH_CHILD),
                s.args(std::numeric_limits<std::int64_t>::max(),
                       self ? QStringList{QStringLiteral("selfkill=%1").arg(k)} : QStringList{}));
            QVERIFY(child.waitForStarted());
            if (self) {
                QVERIFY2(child.waitForFinished(20000), "the child never started a job");
            } else {
                QTest::qWait(int(random->bounded(200, 900)));
                child.kill();
                QVERIFY(child.waitForFinished(20000));
            }
            QCOMPARE(child.exitStatus(), QProcess::CrashExit);
            ++deaths;
            const QByteArray out = child.readAllStandardOutput();
            const QByteArray err = child.readAllStandardError();
            QVERIFY2(err.isEmpty(), err.constData());
            QVERIFY2(verify(s) >= 0, qPrintable(QStringLiteral("after round %1").arg(round)));
            auto opened = store::SqliteStore::open(s.db.toStdString());
            QVERIFY(opened.ok());
            if (self) {
                // The job the engine had written when the process died was never committed.
                const auto m = QRegularExpression(QStringLiteral("dying (\\S+)"))
                                   .match(QString::fromUtf8(out));
                QVERIFY2(m.hasMatch(), out.constData());
                QCOMPARE((*opened)->job(m.captured(1).toStdString()).error().code,
                         ErrorCode::NotFound);
            }
            // A kill inside a tick leaves some triggers a minute behind the others.
            std::set<std::int64_t> lastStarted;
            for (const auto &t : s.triggers)
                if (t.policy == "all")
                    if (auto f = (*opened)->triggerFires(t.id, 1); f && !f->empty())
                        lastStarted.insert(f->front().scheduledAt);
            midTick += lastStarted.size() > 1;
        }
        // The last run goes to two minutes past now, then stops by itself.
        const std::int64_t until = s.fastNow() + 2 * kMinute;
        QProcess last;
        last.start(QStringLiteral(SCHEDULER_CRASH_CHILD), s.args(until));
        QVERIFY(last.waitForFinished(60000));
        QVERIFY2(last.exitStatus() == QProcess::NormalExit && last.exitCode() == 0,
                 last.readAllStandardError().constData());
        const int started = verify(s, until);
        QVERIFY(started > 0);
        qInfo("%d deaths (%d of them inside a tick), %d instants started one job each", deaths,
              midTick, started);
    }

    void twoProcessesOnOneStoreStartOneJobPerInstant()
    {
        QTemporaryDir dir;
        Scenario s;
        QVERIFY(makeScenario(s, dir.filePath(QStringLiteral("two.db")),
                             std::vector<std::string>(8, "all")));
        const std::int64_t until = s.first + 8 * kMinute;
        QProcess a, b;
        a.start(QStringLiteral(SCHEDULER_CRASH_CHILD), s.args(until));
        b.start(QStringLiteral(SCHEDULER_CRASH_CHILD), s.args(until));
        QVERIFY(a.waitForFinished(60000));
        QVERIFY(b.waitForFinished(60000));
        for (auto *p : {&a, &b})
            QVERIFY2(p->exitStatus() == QProcess::NormalExit && p->exitCode() == 0,
                     p->readAllStandardError().constData());
        const int firedA = firedOf(a.readAllStandardOutput());
        const int firedB = firedOf(b.readAllStandardOutput());
        const int started = verify(s, until, false);
        QVERIFY(started >= 8 * 8);
        // Had both processes started a job for one instant, they would have fired more.
        QCOMPARE(firedA + firedB, started);
        qInfo("two processes: %d and %d of %d instants", firedA, firedB, started);
    }

    // What the app does: the second Flowdeck process on a store is refused its lock (and so
    // never runs an engine or a scheduler on it), naming the process that holds it.
    void theAppRefusesASecondProcess()
    {
        QTemporaryDir dir;
        Scenario s;
        QVERIFY(makeScenario(s, dir.filePath(QStringLiteral("locked.db")), {"all"}));
        const std::int64_t forever = std::numeric_limits<std::int64_t>::max();
        QProcess holder;
        holder.start(QStringLiteral(SCHEDULER_CRASH_CHILD),
                     s.args(forever, {QStringLiteral("lock")}));
        QVERIFY(holder.waitForReadyRead(20000));
        QVERIFY(holder.readAllStandardOutput().contains("ticking"));
        QProcess second;
        second.start(QStringLiteral(SCHEDULER_CRASH_CHILD),
                     s.args(forever, {QStringLiteral("lock")}));
        QVERIFY(second.waitForFinished(20000));
        QCOMPARE(second.exitCode(), 3);
        const QString why = QString::fromUtf8(second.readAllStandardError());
        QVERIFY2(why.contains(QStringLiteral("is in use by")) &&
                     why.contains(QString::number(holder.processId())),
                 qPrintable(why));
        holder.kill();
        QVERIFY(holder.waitForFinished(20000));
        QVERIFY(verify(s) >= 0);
    }
};

QTEST_GUILESS_MAIN(TestSchedulerCrash)
#include "TestSchedulerCrash.moc"
