// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/client/LocalClient.h"

#include "engine/api/EngineApi.h"
#include "engine/store/SqliteStore.h"
#include "tests/support/JsonAsserts.h"
#include "ui/client/Requests.h"

#include <QMutex>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTest>
#include <QThread>

#include <atomic>
#include <memory>
#include <vector>

using namespace flowdeck;
using namespace flowdeck::ui;
using nlohmann::json;

namespace {

api::ApiRequest numbered(int n)
{
    api::ApiRequest request;
    request.path = "/" + std::to_string(n);
    return request;
}

/// Answers {path} after recording where and in which order it ran.
struct Recorder
{
    QMutex mutex;
    std::vector<QThread *> threads;
    std::vector<std::string> paths;
    std::vector<std::optional<api::Principal>> principals;
    std::atomic<int> running{0};
    std::atomic<int> mostAtOnce{0};
    int sleepMs = 0;

    LocalClient::Dispatcher dispatcher()
    {
        return [this](api::ApiRequest request) {
            const int now = ++running;
            int seen = mostAtOnce.load();
            while (now > seen && !mostAtOnce.compare_exchange_weak(seen, now)) {
            }
            if (sleepMs > 0)
                QThread::msleep(sleepMs);
            {
                QMutexLocker lock(&mutex);
                threads.push_back(QThread::currentThread());
                paths.push_back(request.path);
                principals.push_back(request.principal);
            }
            --running;
            return api::ApiResponse{200, {{"path", request.path}}};
        };
    }
};

} // namespace

class TestLocalClient : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dispatchRunsOnTheWorkerThread()
    {
        Recorder recorder;
        LocalClient client(recorder.dispatcher());
        ApiReply *reply = client.call(numbered(1));
        QCOMPARE(reply->parent(), &client);
        // Never answered synchronously: callers connect after call() returns.
        QVERIFY(!reply->isFinished());
        QSignalSpy finished(reply, &ApiReply::finished);
        QVERIFY(finished.wait());
        QCOMPARE(finished.count(), 1);
        QVERIFY(reply->isFinished());
        QCOMPARE(reply->response().status, 200);
        QCOMPARE_JSON(reply->response().json, (json{{"path", "/1"}}));
        QCOMPARE(recorder.threads.size(), std::size_t(1));
        QVERIFY(recorder.threads.front() != QThread::currentThread());
        QCOMPARE(recorder.threads.front()->objectName(), QStringLiteral("flowdeck-local-client"));
    }

    void answersArriveOnTheCallersThreadInOrder()
    {
        Recorder recorder;
        recorder.sleepMs = 5;
        LocalClient client(recorder.dispatcher());
        std::vector<int> order;
        std::vector<QThread *> deliveredOn;
        constexpr int kCount = 8;
        for (int i = 0; i < kCount; ++i) {
            ApiReply *reply = client.call(numbered(i));
            connect(reply, &ApiReply::finished, this, [&order, &deliveredOn, reply, i] {
                order.push_back(i);
                deliveredOn.push_back(QThread::currentThread());
                QCOMPARE_JSON(reply->response().json, (json{{"path", "/" + std::to_string(i)}}));
                reply->deleteLater();
            });
        }
        QTRY_COMPARE(int(order.size()), kCount);
        for (int i = 0; i < kCount; ++i) {
            QCOMPARE(order[std::size_t(i)], i);
            QCOMPARE(deliveredOn[std::size_t(i)], QThread::currentThread());
            QCOMPARE(recorder.paths[std::size_t(i)], "/" + std::to_string(i));
        }
        QCOMPARE(recorder.mostAtOnce.load(), 1);
    }

    void replyDeletedBeforeItsAnswer()
    {
        QSemaphore gate;
        LocalClient client([&gate](api::ApiRequest request) {
            if (request.path == "/slow")
                gate.acquire();
            return api::ApiResponse{200, {{"path", request.path}}};
        });
        api::ApiRequest slow;
        slow.path = "/slow";
        QPointer<ApiReply> doomed = client.call(slow);
        delete doomed.data();
        gate.release();
        ApiReply *next = client.call(numbered(2));
        QSignalSpy finished(next, &ApiReply::finished);
        QVERIFY(finished.wait());
        QCOMPARE_JSON(next->response().json, (json{{"path", "/2"}}));
    }

    void destroyedWithRequestsQueued()
    {
        Recorder recorder;
        recorder.sleepMs = 20;
        auto client = std::make_unique<LocalClient>(recorder.dispatcher());
        for (int i = 0; i < 5; ++i)
            client->call(numbered(i));
        // Joins the worker after the request it is running; the rest are dropped.
        client.reset();
        QTest::qWait(50);
        QVERIFY(recorder.paths.size() < 5);
    }

    void runsOnTheEngineThreadWhenGivenOne()
    {
        Recorder recorder;
        QThread engineThread;
        engineThread.start();
        {
            LocalClient client(recorder.dispatcher(), &engineThread);
            ApiReply *reply = client.call(numbered(1));
            QSignalSpy finished(reply, &ApiReply::finished);
            QVERIFY(finished.wait());
            QCOMPARE(recorder.threads.at(0), &engineThread);
        }
        // A client that goes while its requests wait leaves the engine thread running; the
        // late requests find nobody to answer and nothing crashes.
        recorder.sleepMs = 20;
        {
            LocalClient client(recorder.dispatcher(), &engineThread);
            for (int i = 0; i < 5; ++i)
                client.call(numbered(i));
            QTest::qWait(30);
        }
        QTest::qWait(150);
        QVERIFY(engineThread.isRunning());
        QVERIFY(recorder.paths.size() < 6);
        engineThread.quit();
        QVERIFY(engineThread.wait(2000));
    }

    void principalFillsRequestsThatNameNobody()
    {
        Recorder recorder;
        LocalClient client(recorder.dispatcher());
        api::Principal alice;
        alice.username = "alice";
        client.setPrincipal(alice);
        auto *first = client.call(numbered(1));
        auto named = numbered(2);
        named.principal.emplace();
        named.principal->username = "bob";
        auto *second = client.call(named);
        QTRY_VERIFY(first->isFinished() && second->isFinished());
        QCOMPARE(recorder.principals.at(0)->username, std::string("alice"));
        QCOMPARE(recorder.principals.at(1)->username, std::string("bob"));
    }

    void realEngineBehindTheClient()
    {
        auto store = store::SqliteStore::open(":memory:");
        QVERIFY(store.ok());
        api::WorkflowCatalog catalog(**store);
        api::EngineApi engine({**store, catalog});
        LocalClient client(engine);
        api::Principal admin;
        admin.username = "admin";
        admin.admin = true;
        client.setPrincipal(admin);

        ApiReply *list = client.call(requests::listWorkflows(0, 10));
        QSignalSpy listed(list, &ApiReply::finished);
        QVERIFY(listed.wait());
        QCOMPARE(list->response().status, 200);
        QCOMPARE_JSON(list->response().json, (json{{"items", json::array()}, {"total", 0}}));

        ApiReply *missing = client.call(requests::workflowDetail(QStringLiteral("No / Such %")));
        QSignalSpy failed(missing, &ApiReply::finished);
        QVERIFY(failed.wait());
        QCOMPARE(missing->response().status, 404);
        QCOMPARE_JSON(missing->response().json["error"], "not_found");
    }
};

QTEST_GUILESS_MAIN(TestLocalClient)
#include "TestLocalClient.moc"
