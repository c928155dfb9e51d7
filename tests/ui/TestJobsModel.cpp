// SPDX-License-Identifier: GPL-3.0-or-later
// JobsModel against a fake client holding a million virtual jobs: it loads only what a view
// looks at, keeps memory bounded, sends the query syntax the API documents, and updates live.
// Also the small models and readers of ui/jobs: JsonTreeModel and JobHistory.
#include "ui/jobs/JobHistory.h"
#include "ui/jobs/JobsModel.h"
#include "ui/jobs/JsonTreeModel.h"

#include "tests/ui/FakeJobsClient.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {
constexpr qint64 kMillion = 1000000;
const std::string kJobs = "/operations-manager/jobs";
} // namespace

class TestJobsModel : public QObject
{
    Q_OBJECT
private:
    /// A model over `total` virtual jobs. The tester checks every signal the model emits; it
    /// visits every row on each reset, so the tests about scale alone go without it.
    struct Loaded
    {
        explicit Loaded(qint64 total, bool withTester = true) : client(total), model(client)
        {
            if (withTester)
                tester = std::make_unique<QAbstractItemModelTester>(
                    &model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        }
        test::FakeJobsClient client;
        ui::JobsModel model;
        std::unique_ptr<QAbstractItemModelTester> tester;
    };

private Q_SLOTS:
    void opensAMillionJobsWithOneRequest()
    {
        Loaded l(kMillion);
        QSignalSpy loaded(&l.model, &ui::JobsModel::loaded);
        l.model.refresh();
        QVERIFY(l.model.isLoading());
        QTRY_COMPARE(loaded.size(), 1);
        QCOMPARE(l.model.rowCount(), int(kMillion));
        QCOMPARE(l.model.columnCount(), int(ui::JobsModel::ColumnCount));
        QCOMPARE(l.model.requestsSent(), 1);
        // The first page is there: newest first by default.
        const QModelIndex first = l.model.index(0, ui::JobsModel::NameColumn);
        QVERIFY(first.data(ui::JobsModel::LoadedRole).toBool());
        QCOMPARE(first.data(ui::JobsModel::IdRole).toString(), test::FakeJobsClient::idOf(0));
        // Job 0 runs and waits at a manual task nobody has claimed (the page came with that);
        // job 6 just runs.
        QCOMPARE(l.model.index(0, ui::JobsModel::StatusColumn).data().toString(),
                 u"Waiting for an operator"_s);
        QCOMPARE(l.model.index(6, ui::JobsModel::StatusColumn).data().toString(), u"Running"_s);
        QCOMPARE(l.model.index(0, ui::JobsModel::StartedByColumn).data().toString(), u"bob"_s);
        QCOMPARE(l.model.index(1, ui::JobsModel::GroupsColumn).data().toString(),
                 u"network-ops, audit"_s);
        QCOMPARE(l.model.index(1, ui::JobsModel::ProgressColumn).data().toString(), u"100%"_s);
        QCOMPARE(l.model.index(1, ui::JobsModel::DurationColumn).data().toString(), u"6 s"_s);
        QVERIFY(!l.model.index(0, ui::JobsModel::StatusColumn)
                     .data(Qt::DecorationRole)
                     .value<QIcon>()
                     .isNull());
        const api::ApiRequest &request = l.client.requests.first();
        QCOMPARE(request.path, kJobs);
        QCOMPARE(test::FakeJobsClient::query(request, "skip"), std::string("0"));
        QCOMPARE(test::FakeJobsClient::query(request, "limit"),
                 std::to_string(ui::JobsModel::kPageSize));
        QCOMPARE(test::FakeJobsClient::query(request, "sort"), std::string("metrics.start_time"));
        QCOMPARE(test::FakeJobsClient::query(request, "order"), std::string("-1"));
    }

    void fetchesAPageWhenItsRowsAreSeen()
    {
        Loaded l(kMillion, false);
        l.model.refresh();
        QTRY_VERIFY(!l.model.isLoading());
        const int row = 654321;
        const QModelIndex index = l.model.index(row, ui::JobsModel::NameColumn);
        QVERIFY(!index.data(ui::JobsModel::LoadedRole).toBool());
        QCOMPARE(index.data().toString(), u"Loading…"_s);
        QSignalSpy changed(&l.model, &QAbstractItemModel::dataChanged);
        QTRY_VERIFY(index.data(ui::JobsModel::LoadedRole).toBool());
        QCOMPARE(index.data(ui::JobsModel::IdRole).toString(), test::FakeJobsClient::idOf(row));
        QCOMPARE(l.model.requestsSent(), 2);
        QCOMPARE(test::FakeJobsClient::query(l.client.requestsTo("/operations-manager/jobs").last(),
                                             "skip"),
                 std::to_string(row / ui::JobsModel::kPageSize * ui::JobsModel::kPageSize));
        // The whole page changed at once, and nothing else was asked for.
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.first().at(0).toModelIndex().row(), 654300);
        QCOMPARE(changed.first().at(1).toModelIndex().row(), 654399);
        QCOMPARE(l.model.index(row + 1, 0).data(ui::JobsModel::IdRole).toString(),
                 test::FakeJobsClient::idOf(row + 1));
        QCOMPARE(l.model.requestsSent(), 2);
    }

    void aFastScrollAsksOnlyForWhereItStopped()
    {
        Loaded l(kMillion, false);
        l.model.refresh();
        QTRY_VERIFY(!l.model.isLoading());
        // Thirty pages flash past within one event-loop pass, as in a scroll-bar drag.
        for (int page = 1; page <= 30; ++page)
            l.model.index(page * 1000, 0).data();
        QTRY_VERIFY(l.model.index(30000, 0).data(ui::JobsModel::LoadedRole).toBool());
        QTest::qWait(20);
        QCOMPARE(l.model.requestsSent(), 1 + ui::JobsModel::kMaxPendingPages);
        QVERIFY(!l.model.index(1000, 0).data(ui::JobsModel::LoadedRole).toBool());
    }

    void keepsABoundedNumberOfPages()
    {
        Loaded l(kMillion, false);
        l.model.refresh();
        QTRY_VERIFY(!l.model.isLoading());
        for (int page = 1; page <= ui::JobsModel::kMaxCachedPages + 20; ++page) {
            const QModelIndex index = l.model.index(page * ui::JobsModel::kPageSize * 50, 0);
            index.data();
            QTRY_VERIFY(index.data(ui::JobsModel::LoadedRole).toBool());
        }
        QCOMPARE(l.model.loadedPageCount(), ui::JobsModel::kMaxCachedPages);
        // The most recent page is kept, the first one seen after the reset was dropped.
        QVERIFY(
            l.model.rowAt((ui::JobsModel::kMaxCachedPages + 20) * ui::JobsModel::kPageSize * 50));
        QVERIFY(!l.model.rowAt(ui::JobsModel::kPageSize * 50));
    }

    void sortAndFilterAreTheServers()
    {
        Loaded l(60000);
        l.model.refresh();
        QTRY_VERIFY(!l.model.isLoading());

        l.model.sort(ui::JobsModel::NameColumn, Qt::AscendingOrder);
        QTRY_VERIFY(!l.model.isLoading());
        api::ApiRequest last = l.client.requestsTo("/operations-manager/jobs").last();
        QCOMPARE(test::FakeJobsClient::query(last, "sort"), std::string("name"));
        QCOMPARE(test::FakeJobsClient::query(last, "order"), std::string("1"));
        QCOMPARE(test::FakeJobsClient::query(last, "skip"), std::string("0"));

        ui::jobrequests::JobFilter filter;
        filter.status = u"error"_s;
        filter.workflow = u"Config Compliance"_s;
        filter.text = u"  core-router-7 "_s;
        l.model.setFilter(filter);
        QTRY_VERIFY(!l.model.isLoading());
        last = l.client.requestsTo("/operations-manager/jobs").last();
        QCOMPARE(test::FakeJobsClient::query(last, "equals[status]"), std::string("error"));
        QCOMPARE(test::FakeJobsClient::query(last, "equals[name]"),
                 std::string("Config Compliance"));
        const json q = json::parse(test::FakeJobsClient::query(last, "q"));
        QCOMPARE(q["or"][0]["contains"]["name"].get<std::string>(), std::string("core-router-7"));
        QCOMPARE(q["or"][1]["contains"]["description"].get<std::string>(),
                 std::string("core-router-7"));
        // Every sixth job is in error.
        QCOMPARE(l.model.rowCount(), 10000);
        QCOMPARE(l.model.index(5, ui::JobsModel::StatusColumn).data(ui::JobsModel::StatusRole),
                 QVariant(u"error"_s));

        // The same filter again sends nothing.
        const int sent = l.model.requestsSent();
        l.model.setFilter(filter);
        QCOMPARE(l.model.requestsSent(), sent);
    }

    void everyColumnSortsOnTheServerDurationAndGroupsToo()
    {
        // Each column names a search field the store indexes (tests/engine/store/TestJobSorts
        // checks the same names order the jobs): none is left unsortable.
        for (int column = 0; column < ui::JobsModel::ColumnCount; ++column)
            QVERIFY2(!ui::JobsModel::sortFieldFor(column).isEmpty(),
                     qPrintable(u"column %1"_s.arg(column)));
        QCOMPARE(ui::JobsModel::sortFieldFor(ui::JobsModel::DurationColumn), u"metrics.run_time"_s);
        QCOMPARE(ui::JobsModel::sortFieldFor(ui::JobsModel::GroupsColumn), u"groups.0"_s);

        Loaded l(5000, /*withTester=*/false); // the tester would load the deep rows itself
        l.model.refresh();
        QTRY_VERIFY(!l.model.isLoading());
        QSignalSpy loaded(&l.model, &ui::JobsModel::loaded);

        l.model.sort(ui::JobsModel::DurationColumn, Qt::AscendingOrder);
        QVERIFY(l.model.isLoading()); // asked the server, not ignored
        QTRY_COMPARE(loaded.size(), 1);
        api::ApiRequest last = l.client.requestsTo("/operations-manager/jobs").last();
        QCOMPARE(test::FakeJobsClient::query(last, "sort"), std::string("metrics.run_time"));
        QCOMPARE(test::FakeJobsClient::query(last, "order"), std::string("1"));
        QCOMPARE(test::FakeJobsClient::query(last, "skip"), std::string("0"));
        QCOMPARE(l.model.sortColumn(), int(ui::JobsModel::DurationColumn));
        QCOMPARE(l.model.sortOrder(), Qt::AscendingOrder);

        l.model.sort(ui::JobsModel::GroupsColumn, Qt::DescendingOrder);
        QTRY_COMPARE(loaded.size(), 2);
        last = l.client.requestsTo("/operations-manager/jobs").last();
        QCOMPARE(test::FakeJobsClient::query(last, "sort"), std::string("groups.0"));
        QCOMPARE(test::FakeJobsClient::query(last, "order"), std::string("-1"));
        QCOMPARE(l.model.sortColumn(), int(ui::JobsModel::GroupsColumn));

        // Rows far down the table are asked for in the same order.
        const int deep = 4000;
        QVERIFY(!l.model.index(deep, 0).data(ui::JobsModel::LoadedRole).toBool());
        QTRY_VERIFY(l.model.index(deep, 0).data(ui::JobsModel::LoadedRole).toBool());
        last = l.client.requestsTo("/operations-manager/jobs").last();
        QCOMPARE(test::FakeJobsClient::query(last, "sort"), std::string("groups.0"));
        QCOMPARE(test::FakeJobsClient::query(last, "order"), std::string("-1"));
        QCOMPARE(test::FakeJobsClient::query(last, "skip"),
                 std::to_string(deep / ui::JobsModel::kPageSize * ui::JobsModel::kPageSize));

        // The same sort again sends nothing.
        const int sent = l.model.requestsSent();
        l.model.sort(ui::JobsModel::GroupsColumn, Qt::DescendingOrder);
        QCOMPARE(l.model.requestsSent(), sent);
    }

    void anErrorAnswerIsReported()
    {
        Loaded l(10);
        QSignalSpy failed(&l.model, &ui::JobsModel::loadFailed);
        ui::jobrequests::JobFilter filter;
        filter.status = u"running"_s;
        l.model.setFilter(filter);
        QTRY_VERIFY(!l.model.isLoading());
        QCOMPARE(failed.size(), 0);
        l.client.setTotal(0);
        l.model.refresh();
        QTRY_VERIFY(!l.model.isLoading());
        QCOMPARE(l.model.rowCount(), 0);
        // An answer without a list is an error, not an empty table.
        struct Broken final : ui::ConsoleClient
        {
            ui::ApiReply *call(api::ApiRequest) override
            {
                auto *reply = new ui::ApiReply(this);
                api::ApiResponse response;
                response.status = 400;
                response.json = {{"message", "unknown field in sort: bogus"}};
                QTimer::singleShot(0, reply, [reply, response] { reply->finish(response); });
                return reply;
            }
        } broken;
        ui::JobsModel model(broken);
        QSignalSpy brokenFailed(&model, &ui::JobsModel::loadFailed);
        model.refresh();
        QTRY_COMPARE(brokenFailed.size(), 1);
        QCOMPARE(brokenFailed.first().first().toString(), u"unknown field in sort: bogus"_s);
        QVERIFY(!model.isLoading());
    }

    void liveChangesUpdateRowsInPlace()
    {
        Loaded l(1000);
        l.model.refresh();
        QTRY_VERIFY(!l.model.isLoading());
        const QString id = test::FakeJobsClient::idOf(0);
        QSignalSpy changed(&l.model, &QAbstractItemModel::dataChanged);
        l.model.applyStatus(id, u"paused"_s);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(l.model.index(0, 0).data(ui::JobsModel::StatusRole).toString(), u"paused"_s);
        l.model.applyStatus(u"not-loaded"_s, u"paused"_s);
        QCOMPARE(changed.size(), 1);

        // Five more jobs: the reload grows the table and refreshes the page on screen.
        QSignalSpy inserted(&l.model, &QAbstractItemModel::rowsInserted);
        l.client.setTotal(1005);
        auto firstPageRequests = [&l] {
            int count = 0;
            for (const auto &r : l.client.requests)
                count += test::FakeJobsClient::query(r, "skip") == "0";
            return count;
        };
        const int sent = firstPageRequests();
        l.model.reloadLoadedPages();
        QTRY_COMPARE(inserted.size(), 1);
        QCOMPARE(l.model.rowCount(), 1005);
        // The one page held was fetched again (the tester reading the new rows may ask for
        // theirs too).
        QCOMPARE(firstPageRequests(), sent + 1);
        // The fake's job 0 is running again: the reload replaced what applyStatus guessed.
        QTRY_COMPARE(l.model.index(0, 0).data(ui::JobsModel::StatusRole).toString(), u"running"_s);

        // And fewer.
        QSignalSpy removed(&l.model, &QAbstractItemModel::rowsRemoved);
        l.client.setTotal(50);
        l.model.reloadLoadedPages();
        QTRY_COMPARE(removed.size(), 1);
        QCOMPARE(l.model.rowCount(), 50);
    }

    void jsonTreeShowsVariables()
    {
        ui::JsonTreeModel model;
        QAbstractItemModelTester tester(&model,
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setJson(json{{"device", {{"name", "core-1"}, {"ports", {22, 830}}}},
                           {"a/b", true},
                           {"count", 3},
                           {"note", nullptr}});
        QCOMPARE(model.rowCount(), 4);
        const QModelIndex device = model.indexOf(u"/device"_s);
        QVERIFY(device.isValid());
        QCOMPARE(model.rowCount(device), 2);
        QCOMPARE(device.siblingAtColumn(1).data().toString(), u"{2 members}"_s);
        const QModelIndex port = model.indexOf(u"/device/ports/1"_s);
        QCOMPARE(port.data().toString(), u"[1]"_s);
        QCOMPARE(port.siblingAtColumn(1).data().toString(), u"830"_s);
        QCOMPARE(model.parent(port), model.indexOf(u"/device/ports"_s));
        QCOMPARE(model.indexOf(u"/device/name"_s).siblingAtColumn(1).data().toString(),
                 u"core-1"_s);
        // Pointer tokens are escaped as RFC 6901 says.
        QCOMPARE(model.indexOf(u"/a~1b"_s).siblingAtColumn(1).data().toString(), u"true"_s);
        QCOMPARE(model.indexOf(u"/note"_s).siblingAtColumn(1).data().toString(), u"null"_s);
        QVERIFY(!model.indexOf(u"/missing"_s).isValid());
        model.setJson(json::array({1, 2}));
        QCOMPARE(model.rowCount(), 2);
        model.setJson(json("scalar"));
        QCOMPARE(model.rowCount(), 0);
    }

    void historyReadsTheJobInPlainWords()
    {
        json job = test::FakeJobsClient::approvalJob(u"abc"_s);
        job["error"] =
            json::array({{{"task", "7a12"},
                          {"message", {{"IAPerror", {{"displayString", "Template missing"}}}}},
                          {"timestamp", test::FakeJobsClient::kStart + 56}}});
        const QVector<ui::HistoryEntry> entries = ui::jobhistory::fromDocument(job);
        QVERIFY(!entries.isEmpty());
        for (int i = 1; i < entries.size(); ++i)
            QVERIFY(entries[i - 1].at >= entries[i].at);
        QCOMPARE(entries.first().text, u"“Approve change” is waiting for an operator"_s);
        QCOMPARE(entries.first().status, u"running"_s);
        QCOMPARE(entries[1].text, u"Error in “Build approval title”: Template missing"_s);
        QCOMPARE(entries.last().text, u"Job started by alice"_s);
        // At one moment a task finished and the next one started: newest first means the
        // start goes on top.
        const auto at40 = std::find_if(entries.begin(), entries.end(), [](const auto &e) {
            return e.at == test::FakeJobsClient::kStart + 40;
        });
        QVERIFY(at40 != entries.end());
        QCOMPARE(at40->text, u"“Build approval title” started"_s);
        QCOMPARE((at40 + 1)->text, u"“Assemble change summary” succeeded"_s);
        QCOMPARE(ui::jobhistory::errorText(json{{"message", "plain"}}), u"plain"_s);
        QCOMPARE(ui::jobhistory::errorText(json(42)), u"42"_s);
    }
};

QTEST_MAIN(TestJobsModel)
#include "TestJobsModel.moc"
