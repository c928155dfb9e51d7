// SPDX-License-Identifier: GPL-3.0-or-later
// The manual-task form, built from a scripted manual-task controller.
#include "ui/tasks/TaskForm.h"

#include "tests/support/JsonAsserts.h"
#include "tests/ui/FakeConsoleClient.h"
#include "tests/ui/Screenshots.h"
#include "ui/forms/JsonView.h"
#include "ui/forms/SchemaForm.h"

#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTest>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

const std::string kJob = "65f1c0ffee0000000000aa01";
const std::string kController =
    "/operations-manager/jobs/" + kJob + "/tasks/7a23/manual-controller";
const std::string kFinish = "/operations-manager/jobs/" + kJob + "/tasks/7a23/finish";

json controller(const json &owner, const json &failureButton)
{
    return {{"job", {{"_id", kJob}, {"name", "Change Approval"}, {"status", "running"}}},
            {"task", "7a23"},
            {"iteration", "0b7e3c1a-4f0e-4c1e-9d55-1f2a3b4c5d6e"},
            {"status", "running"},
            {"owner", owner},
            {"summary", "Approve change"},
            {"header", "Change CHG0031877 on dist-sw-04"},
            {"message", "Review the proposed configuration for the device below."},
            {"body",
             {{"device", "dist-sw-04"},
              {"changeTicket", "CHG0031877"},
              {"proposedConfig", "interface Gi1/0/12\n description AP-FLOOR3-EAST"}}},
            {"show", {{"window", "22:00-02:00"}}},
            {"fields",
             {{{"name", "approvedBy"}, {"type", "string"}, {"promotesTo", "approver"}},
              {{"name", "rollbackMinutes"}, {"type", "integer"}, {"promotesTo", "rollback"}},
              {{"name", "note"}, {"type", nullptr}, {"promotesTo", nullptr}}}},
            {"buttons", {{"success", "Approve"}, {"failure", failureButton}}}};
}

} // namespace

class TestTaskForm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsWhatTheControllerDefines()
    {
        test::FakeConsoleClient client;
        client.script = [](const api::ApiRequest &) {
            return test::envelope(controller("alice", "Reject"));
        };
        ui::TaskForm form(client);
        form.setCurrentUser(u"alice"_s);
        form.resize(720, 760);
        form.show();
        QSignalSpy loaded(&form, &ui::TaskForm::loaded);
        form.load(QString::fromStdString(kJob), u"7a23"_s);
        QTRY_COMPARE(loaded.count(), 1);
        QCOMPARE(client.requests.front().path, kController);

        QCOMPARE(form.findChild<QLabel *>(u"taskHeader"_s)->text(),
                 u"Change CHG0031877 on dist-sw-04"_s);
        QVERIFY(form.findChild<QLabel *>(u"taskMeta"_s)->text().contains(u"Change Approval"_s));
        QCOMPARE(form.findChild<QLabel *>(u"taskMessage"_s)->text(),
                 u"Review the proposed configuration for the device below."_s);
        auto *body = form.findChild<ui::JsonView *>(u"taskBody"_s);
        QCOMPARE(body->rowCount(), 3);
        QCOMPARE(body->nameAt(1), u"Device"_s);
        QCOMPARE(body->textAt(1), u"dist-sw-04"_s);
        QCOMPARE(body->textAt(2), u"interface Gi1/0/12\n description AP-FLOOR3-EAST"_s);
        QCOMPARE(form.findChild<ui::JsonView *>(u"taskValues"_s)->nameAt(0), u"Window"_s);
        QCOMPARE(form.form()->fieldCount(), 3);
        QCOMPARE(form.findChild<QPushButton *>(u"finishSuccess"_s)->text(), u"Approve"_s);
        auto *reject = form.findChild<QPushButton *>(u"finishFailure"_s);
        QCOMPARE(reject->text(), u"Reject"_s);
        QVERIFY(reject->isVisible());
        QVERIFY(form.canWork());
        QCOMPARE(form.noticeText(), u"Claimed by you."_s);
        QVERIFY(test::saveScreenshots(&form, u"task-form"_s));
    }

    void noFailureButtonWhenTheViewHasNone()
    {
        test::FakeConsoleClient client;
        client.script = [](const api::ApiRequest &) {
            return test::envelope(controller("alice", nullptr));
        };
        ui::TaskForm form(client);
        form.setCurrentUser(u"alice"_s);
        form.show();
        QSignalSpy loaded(&form, &ui::TaskForm::loaded);
        form.load(QString::fromStdString(kJob), u"7a23"_s);
        QTRY_COMPARE(loaded.count(), 1);
        QVERIFY(!form.findChild<QPushButton *>(u"finishFailure"_s)->isVisible());
        QVERIFY(form.findChild<QPushButton *>(u"finishSuccess"_s)->isVisible());
    }

    void someoneElsesTaskCannotBeWorked()
    {
        test::FakeConsoleClient client;
        client.script = [](const api::ApiRequest &) {
            return test::envelope(controller("bob", "Reject"));
        };
        ui::TaskForm form(client);
        form.setCurrentUser(u"alice"_s);
        form.show();
        QSignalSpy loaded(&form, &ui::TaskForm::loaded);
        form.load(QString::fromStdString(kJob), u"7a23"_s);
        QTRY_COMPARE(loaded.count(), 1);
        QVERIFY(!form.canWork());
        QVERIFY(form.noticeText().contains(u"bob"_s));
        auto *approve = form.findChild<QPushButton *>(u"finishSuccess"_s);
        QVERIFY(!approve->isEnabled());
        QVERIFY(!form.form()->isEnabled());
        form.finishWith(u"success"_s);
        QCOMPARE(client.count(api::Method::Post, kFinish), 0);
    }

    void finishSendsTypedValuesAndReportsProblems()
    {
        test::FakeConsoleClient client;
        int finishes = 0;
        client.script = [&](const api::ApiRequest &request) {
            if (request.path == kFinish && finishes++ == 0)
                return test::answer(400,
                                    {{"message", "the values do not fit the form of task 7a23"},
                                     {"error", "invalid"},
                                     {"details",
                                      {{{"instancePath", "/variables/approvedBy"},
                                        {"message", "must be a person on the change board"}}}}});
            if (request.path == kFinish)
                return test::envelope({{"_id", kJob}, {"status", "running"}});
            return test::envelope(controller("alice", "Reject"));
        };
        ui::TaskForm form(client);
        form.setCurrentUser(u"alice"_s);
        form.show();
        QSignalSpy loaded(&form, &ui::TaskForm::loaded);
        QSignalSpy finished(&form, &ui::TaskForm::finished);
        form.load(QString::fromStdString(kJob), u"7a23"_s);
        QTRY_COMPARE(loaded.count(), 1);

        auto *minutes = qobject_cast<QLineEdit *>(form.form()->editor(u"rollbackMinutes"_s));
        QTest::keyClicks(minutes, u"ten"_s);
        auto *reject = form.findChild<QPushButton *>(u"finishFailure"_s);
        QTest::mouseClick(reject, Qt::LeftButton);
        QCOMPARE(client.count(api::Method::Post, kFinish), 0); // "ten" is not a whole number
        QVERIFY(form.form()->problem(u"rollbackMinutes"_s).contains(u"whole number"_s));

        minutes->clear();
        QTest::keyClicks(minutes, u"15"_s);
        QTest::keyClicks(form.form()->editor(u"approvedBy"_s), u"jmorales"_s);
        QTest::keyClicks(form.form()->editor(u"note"_s), u"outside window"_s);
        QTest::mouseClick(reject, Qt::LeftButton);
        QTRY_COMPARE(form.form()->problem(u"approvedBy"_s),
                     u"must be a person on the change board"_s);
        QCOMPARE(finished.count(), 0);
        QCOMPARE_JSON(client.last(kFinish).body, json::parse(R"({"taskData": {
            "finish_state": "failure",
            "variables": {"approvedBy": "jmorales", "rollbackMinutes": 15,
                          "note": "outside window"}}})"));

        QTest::mouseClick(form.findChild<QPushButton *>(u"finishSuccess"_s), Qt::LeftButton);
        QTRY_COMPARE(finished.count(), 1);
        QCOMPARE(finished[0][0].toString(), QString::fromStdString(kJob));
        QCOMPARE(finished[0][1].toString(), u"success"_s);
        QCOMPARE(client.last(kFinish).body["taskData"]["finish_state"].get<std::string>(),
                 std::string("success"));
    }

    void aTaskTakenMeanwhileIsReportedAndMarkedStale()
    {
        test::FakeConsoleClient client;
        client.script = [](const api::ApiRequest &request) {
            if (request.path == kFinish)
                return test::answer(403, {{"message", "task \"Approve change\" is claimed by "
                                                      "bob; only its owner can finish it"},
                                          {"error", "forbidden"}});
            return test::envelope(controller("alice", "Reject"));
        };
        ui::TaskForm form(client);
        form.setCurrentUser(u"alice"_s);
        form.show();
        QSignalSpy loaded(&form, &ui::TaskForm::loaded);
        QSignalSpy stale(&form, &ui::TaskForm::stale);
        form.load(QString::fromStdString(kJob), u"7a23"_s);
        QTRY_COMPARE(loaded.count(), 1);
        form.finishWith(u"success"_s);
        QTRY_COMPARE(stale.count(), 1);
        QVERIFY(form.noticeText().contains(u"claimed by bob"_s));
    }

    void aControllerThatFailsIsSaidPlainly()
    {
        test::FakeConsoleClient client; // answers 404 "no route …" to everything
        ui::TaskForm form(client);
        form.show();
        form.load(QString::fromStdString(kJob), u"7a23"_s);
        QTRY_VERIFY(
            form.findChild<QLabel *>(u"taskPlaceholder"_s)->text().contains(u"cannot be shown"_s));
        QVERIFY(!form.findChild<QPushButton *>(u"finishSuccess"_s)->isVisible());
    }
};

QTEST_MAIN(TestTaskForm)
#include "TestTaskForm.moc"
