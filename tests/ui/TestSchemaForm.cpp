// SPDX-License-Identifier: GPL-3.0-or-later
// SchemaForm (fields from a JSON Schema, validation with pointers) and the start-job dialog
// built on it, against a scripted client.
#include "ui/forms/SchemaForm.h"

#include "tests/support/JsonAsserts.h"
#include "tests/support/TestPaths.h"
#include "tests/ui/FakeConsoleClient.h"
#include "tests/ui/Screenshots.h"
#include "ui/forms/StartJobDialog.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QFile>
#include <QGroupBox>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTest>
#include <QVBoxLayout>

using namespace flowdeck;
using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

const json kSchema = json::parse(R"({
  "type": "object",
  "properties": {
    "device": {"type": "string", "minLength": 3, "description": "Hostname of the device.",
               "examples": ["dist-sw-04"]},
    "ticket": {"type": "string", "pattern": "^CHG[0-9]+$"},
    "port": {"type": "integer", "minimum": 1, "maximum": 65535, "default": 22},
    "ratio": {"type": "number"},
    "dryRun": {"type": "boolean", "default": true},
    "mode": {"enum": ["fast", "safe", 3]},
    "tags": {"type": "array"},
    "config": {"type": "string", "examples": ["line one\nline two"]},
    "extra": {"type": "object", "properties": {"a": {"type": "string"}}},
    "meta": {"type": "object", "additionalProperties": {"type": "string"}}
  },
  "required": ["device", "mode"]
})");

// A change with a nested window, and a top-level field with the same name as a nested one.
const json kNested = json::parse(R"({
  "type": "object",
  "required": ["device"],
  "properties": {
    "device": {"type": "string", "description": "Hostname of the device."},
    "ticket": {"type": "string", "title": "Incident"},
    "change": {
      "type": "object", "title": "Change request",
      "description": "The approved change this job carries out.",
      "required": ["ticket"],
      "properties": {
        "ticket": {"type": "string", "examples": ["CHG0031877"]},
        "window": {"type": "object", "properties": {
          "start": {"type": "string", "examples": ["22:00"]},
          "minutes": {"type": "integer", "default": 30, "minimum": 1}}}
      }
    }
  }
})");

json demoWorkflow(const QString &file)
{
    QFile in(test::sourcePath(u"resources/demo/"_s + file));
    if (!in.open(QIODevice::ReadOnly))
        return nullptr;
    return json::parse(in.readAll().toStdString());
}

template <typename T>
T *editorOf(ui::SchemaForm &form, const char *name)
{
    return qobject_cast<T *>(form.editor(QString::fromLatin1(name)));
}

} // namespace

class TestSchemaForm : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void fieldsFollowTheSchema()
    {
        ui::SchemaForm form;
        form.setSchema(kSchema);
        QCOMPARE(form.fieldCount(), 10); // the nested "a" is a field, its group is not
        QVERIFY(editorOf<QLineEdit>(form, "device"));
        QCOMPARE(editorOf<QLineEdit>(form, "device")->placeholderText(), u"e.g. dist-sw-04"_s);
        QVERIFY(editorOf<QLineEdit>(form, "port"));
        QCOMPARE(editorOf<QLineEdit>(form, "port")->text(), u"22"_s); // the default
        QVERIFY(editorOf<QCheckBox>(form, "dryRun"));
        QVERIFY(editorOf<QCheckBox>(form, "dryRun")->isChecked());
        auto *mode = editorOf<QComboBox>(form, "mode");
        QVERIFY(mode);
        QCOMPARE(mode->count(), 4); // "Choose…" and the three options
        QCOMPARE(mode->itemText(3), u"3"_s);
        QVERIFY(editorOf<QPlainTextEdit>(form, "tags"));   // JSON
        QVERIFY(editorOf<QPlainTextEdit>(form, "config")); // lines, from its example
        QVERIFY(!form.editor(u"extra"_s)); // an object with properties: a group of fields
        QVERIFY(form.group(u"extra"_s));
        QCOMPARE(form.group(u"extra"_s)->title(), u"Extra"_s);
        QVERIFY(editorOf<QLineEdit>(form, "/extra/a"));
        QVERIFY(editorOf<QPlainTextEdit>(form, "meta")); // a map without properties: JSON
        // Required first (in "required" order), then the rest by label.
        QCOMPARE(form.fieldPointers(),
                 QStringList({u"/device"_s, u"/mode"_s, u"/config"_s, u"/dryRun"_s, u"/extra/a"_s,
                              u"/meta"_s, u"/port"_s, u"/ratio"_s, u"/tags"_s, u"/ticket"_s}));
        // A required field says so next to its name.
        const auto labels = form.findChildren<QLabel *>();
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](QLabel *l) { return l->text() == u"Device *"_s; }));
        // Variable names read as words.
        QVERIFY(std::any_of(labels.begin(), labels.end(),
                            [](QLabel *l) { return l->text() == u"Dry run"_s; }));
    }

    void requiredAndTypedValuesAreChecked()
    {
        ui::SchemaForm form;
        form.setSchema(kSchema);
        form.show();
        auto problems = form.validate();
        QCOMPARE(problems.size(), 2);
        QCOMPARE(problems[0].pointer, u"/device"_s);
        QCOMPARE(problems[0].message, u"is required"_s);
        QCOMPARE(problems[1].pointer, u"/mode"_s);
        QCOMPARE(form.problem(u"device"_s), u"This field is required."_s);
        // Typing into a field clears its message; the others keep theirs.
        QTest::keyClicks(editorOf<QLineEdit>(form, "device"), u"x"_s);
        QVERIFY(form.problem(u"device"_s).isEmpty());
        QVERIFY(!form.problem(u"mode"_s).isEmpty());
        editorOf<QLineEdit>(form, "device")->clear();
        QVERIFY(form.findChild<QLabel *>(u"problem_mode"_s)->isVisible());
        QVERIFY(!form.findChild<QLabel *>(u"problem_device"_s)->isVisible());

        QTest::keyClicks(editorOf<QLineEdit>(form, "device"), u"ab"_s);
        QTest::keyClicks(editorOf<QLineEdit>(form, "ticket"), u"INC1"_s);
        editorOf<QLineEdit>(form, "port")->setText(u"70000"_s);
        QTest::keyClicks(editorOf<QLineEdit>(form, "ratio"), u"half"_s);
        editorOf<QComboBox>(form, "mode")->setCurrentIndex(2);
        editorOf<QPlainTextEdit>(form, "tags")->setPlainText(u"[1, 2"_s);
        editorOf<QPlainTextEdit>(form, "meta")->setPlainText(u"[1]"_s);
        problems = form.validate();
        QStringList pointers;
        for (const auto &p : problems)
            pointers << p.pointer + u' ' + p.message;
        // Required fields first, then the optional ones by label (the engine's JSON sorts keys).
        QCOMPARE(pointers,
                 QStringList({u"/device needs at least 3 character(s)"_s,
                              u"/meta must be a JSON object, such as {\"key\": \"value\"}"_s,
                              u"/port must be at most 65535"_s,
                              u"/ratio must be a number, such as 42 or 0.5"_s,
                              u"/tags is not valid JSON (at character 6)"_s,
                              u"/ticket must match the pattern ^CHG[0-9]+$"_s}));
        QVERIFY(form.problem(u"mode"_s).isEmpty());
    }

    void valuesAreTypedAndEmptyOnesLeftOut()
    {
        ui::SchemaForm form;
        form.setSchema(kSchema);
        QTest::keyClicks(editorOf<QLineEdit>(form, "device"), u"  core-rtr-01 "_s);
        editorOf<QLineEdit>(form, "port")->setText(u"2222"_s);
        editorOf<QLineEdit>(form, "ratio")->setText(u"0.25"_s);
        editorOf<QCheckBox>(form, "dryRun")->setChecked(false);
        editorOf<QComboBox>(form, "mode")->setCurrentIndex(3);
        editorOf<QPlainTextEdit>(form, "tags")->setPlainText(u"[\"a\", 2]"_s);
        editorOf<QPlainTextEdit>(form, "config")->setPlainText(u"line one\nline two\n"_s);
        QVERIFY(form.validate().isEmpty());
        QCOMPARE_JSON(form.values(), json::parse(R"({"device": "core-rtr-01", "port": 2222,
            "ratio": 0.25, "dryRun": false, "mode": 3, "tags": ["a", 2],
            "config": "line one\nline two\n"})"));

        form.setValues({{"device", "edge-1"}, {"mode", "safe"}, {"extra", {{"a", "b"}}}});
        QCOMPARE(editorOf<QComboBox>(form, "mode")->currentText(), u"safe"_s);
        QCOMPARE(form.values()["device"].get<std::string>(), std::string("edge-1"));
        QCOMPARE_JSON(form.values()["extra"], json({{"a", "b"}}));
    }

    void fieldsFollowOrderHintsThenRequiredThenLabels()
    {
        ui::SchemaForm form;
        // JSON Editor's propertyOrder (and x-order) first, smaller first; then "required" in
        // its order; then the rest by label ("alpha" is the title of "c").
        form.setSchema(json::parse(R"({"type": "object", "required": ["z", "b"], "properties": {
            "a": {"title": "Zulu"}, "b": {}, "c": {"title": "alpha"}, "d": {},
            "z": {}, "late": {"propertyOrder": 20}, "early": {"x-order": 3},
            "mid": {"propertyOrder": 10}}})"));
        QCOMPARE(form.fieldPointers(), QStringList({u"/early"_s, u"/mid"_s, u"/late"_s, u"/z"_s,
                                                    u"/b"_s, u"/c"_s, u"/d"_s, u"/a"_s}));

        // react-jsonschema-form's ui:order: listed names in place, "*" for everything else
        // (ordered as above), unknown names ignored.
        form.setSchema(json::parse(R"({"type": "object", "required": ["d"],
            "ui:order": ["b", "nosuch", "*", "a"],
            "properties": {"a": {}, "b": {}, "c": {}, "d": {}, "e": {"propertyOrder": 1}}})"));
        QCOMPARE(form.fieldPointers(), QStringList({u"/b"_s, u"/e"_s, u"/d"_s, u"/c"_s, u"/a"_s}));
        // Without "*" the rest follow the listed ones.
        form.setSchema(json::parse(R"({"type": "object", "ui:order": ["c"],
            "properties": {"a": {}, "b": {}, "c": {}}})"));
        QCOMPARE(form.fieldPointers(), QStringList({u"/c"_s, u"/a"_s, u"/b"_s}));

        // Without hints: "required" in its order, then the rest by label, ignoring case.
        form.setSchema(json::parse(R"({"type": "object", "required": ["zone", "Beta"],
            "properties": {"zone": {}, "Beta": {}, "delta": {}, "Charlie": {}, "alpha": {}}})"));
        QCOMPARE(form.fieldPointers(),
                 QStringList({u"/zone"_s, u"/Beta"_s, u"/alpha"_s, u"/Charlie"_s, u"/delta"_s}));

        // Each nested object orders its own fields the same way, in place of the group.
        form.setSchema(json::parse(R"({"type": "object", "properties": {
            "b": {}, "group": {"type": "object", "propertyOrder": 1, "required": ["y"],
                               "properties": {"x": {}, "y": {}, "w": {"propertyOrder": 1}}},
            "a": {}}})"));
        QCOMPARE(form.fieldPointers(),
                 QStringList({u"/group/w"_s, u"/group/y"_s, u"/group/x"_s, u"/a"_s, u"/b"_s}));
    }

    void nestedObjectsAreGroupsWithTheirOwnFields()
    {
        ui::SchemaForm form;
        form.setSchema(kNested);
        QCOMPARE(form.fieldPointers(),
                 QStringList({u"/device"_s, u"/change/ticket"_s, u"/change/window/minutes"_s,
                              u"/change/window/start"_s, u"/ticket"_s}));
        QVERIFY(form.group(u"change"_s));
        QCOMPARE(form.group(u"change"_s)->title(), u"Change request"_s);
        QVERIFY(form.group(u"/change/window"_s));
        QVERIFY(form.group(u"change"_s)->isAncestorOf(form.group(u"/change/window"_s)));
        QVERIFY(
            form.group(u"/change/window"_s)->isAncestorOf(form.editor(u"/change/window/start"_s)));
        QCOMPARE(editorOf<QLineEdit>(form, "/change/window/minutes")->text(), u"30"_s);

        // Nothing typed in the optional group: no object, and its required ticket is not
        // asked for (the default "30" is the schema's, not the operator's).
        QTest::keyClicks(editorOf<QLineEdit>(form, "device"), u"core-1"_s);
        QVERIFY(form.validate().isEmpty());
        QCOMPARE_JSON(form.values(), json({{"device", "core-1"}}));

        // Round trip: what setValues puts in, values() gives back, nested.
        const json full = json::parse(R"({"device": "core-1", "ticket": "INC7",
            "change": {"ticket": "CHG1", "window": {"start": "22:00", "minutes": 45}}})");
        form.setValues(full);
        QCOMPARE(editorOf<QLineEdit>(form, "/change/ticket")->text(), u"CHG1"_s);
        QCOMPARE(editorOf<QLineEdit>(form, "ticket")->text(), u"INC7"_s);
        QVERIFY(form.validate().isEmpty());
        QCOMPARE_JSON(form.values(), full);

        // Typing in a nested field brings its object, with the defaults beside it.
        form.setValues(json::parse(R"({"change": {"ticket": "", "window": {"start": ""}}})"));
        editorOf<QLineEdit>(form, "/change/window/minutes")->setText(u"30"_s);
        QTest::keyClicks(editorOf<QLineEdit>(form, "/change/window/start"), u"23:00"_s);
        QCOMPARE_JSON(form.values()["change"],
                      json::parse(R"({"window": {"start": "23:00", "minutes": 30}})"));
    }

    void aNestedRequiredFieldIsNamedByItsPointerAndFocused()
    {
        ui::SchemaForm form;
        json schema = kNested;
        schema["required"] = {"device", "change"};
        form.setSchema(schema);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QCOMPARE(form.group(u"change"_s)->title(), u"Change request *"_s);
        QTest::keyClicks(editorOf<QLineEdit>(form, "device"), u"core-1"_s);
        // A required object is always sent, so its required fields are asked for; the
        // optional window inside it, holding only its default, is not.
        QCOMPARE_JSON(form.values()["change"], json::object());
        auto problems = form.validate();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0].pointer, u"/change/ticket"_s);
        QCOMPARE(problems[0].message, u"is required"_s);
        QCOMPARE(form.problem(u"/change/ticket"_s), u"This field is required."_s);
        QVERIFY(form.problem(u"ticket"_s).isEmpty()); // the top-level ticket is another field
        QCOMPARE(form.focusWidget(), form.editor(u"/change/ticket"_s));
        QVERIFY(form.findChild<QLabel *>(u"problem_change/ticket"_s)->isVisible());
        // A nested value that does not fit is named the same way.
        QTest::keyClicks(editorOf<QLineEdit>(form, "/change/ticket"), u"CHG1"_s);
        QVERIFY(form.problem(u"/change/ticket"_s).isEmpty());
        editorOf<QLineEdit>(form, "/change/window/minutes")->setText(u"soon"_s);
        problems = form.validate();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems[0].pointer, u"/change/window/minutes"_s);
        QCOMPARE(form.focusWidget(), form.editor(u"/change/window/minutes"_s));
    }

    void engineDetailsReachNestedFieldsAndGroups()
    {
        ui::SchemaForm form;
        form.setSchema(kNested);
        const json details = {
            {{"instancePath", "/options/variables/change/ticket"}, {"message", "unknown change"}},
            {{"instancePath", "/options/variables/change/window"},
             {"message", "must have required property start"}},
            {{"instancePath", "/options/variables/ticket"}, {"message", "closed"}}};
        QCOMPARE(form.showProblems(details), 3);
        // The longest pointer wins: the nested ticket, not the top-level one.
        QCOMPARE(form.problem(u"/change/ticket"_s), u"unknown change"_s);
        QCOMPARE(form.problem(u"ticket"_s), u"closed"_s);
        QCOMPARE(form.problem(u"/change/window"_s), u"must have required property start"_s);
        // Typing inside the group clears its message and the field's own.
        QTest::keyClicks(editorOf<QLineEdit>(form, "/change/window/start"), u"1"_s);
        QVERIFY(form.problem(u"/change/window"_s).isEmpty());
        QCOMPARE(form.problem(u"/change/ticket"_s), u"unknown change"_s);
        form.clearProblems();
        QVERIFY(form.problem(u"/change/ticket"_s).isEmpty());
    }

    void deepObjectsAndFreeMapsStayJson()
    {
        // Five levels of objects: groups to kMaxDepth, then a JSON editor.
        json schema = {{"type", "object"}, {"properties", {{"leaf", {{"type", "string"}}}}}};
        for (const char *level : {"l5", "l4", "l3", "l2", "l1"})
            schema = {{"type", "object"}, {"properties", {{level, schema}}}};
        ui::SchemaForm form;
        form.setSchema(schema);
        QVERIFY(form.group(u"/l1/l2/l3/l4"_s));
        QVERIFY(!form.group(u"/l1/l2/l3/l4/l5"_s));
        QVERIFY(editorOf<QPlainTextEdit>(form, "/l1/l2/l3/l4/l5"));
        form.setValues(json::parse(R"({"l1": {"l2": {"l3": {"l4": {"l5": {"leaf": "x"}}}}}})"));
        QCOMPARE_JSON(form.values(),
                      json::parse(R"({"l1": {"l2": {"l3": {"l4": {"l5": {"leaf": "x"}}}}}})"));

        // A group's default object fills its fields.
        form.setSchema(json::parse(R"({"type": "object", "properties": {"opts": {"type": "object",
            "default": {"retries": 3}, "properties": {"retries": {"type": "integer"}}}}})"));
        QCOMPARE(editorOf<QLineEdit>(form, "/opts/retries")->text(), u"3"_s);
    }

    void aNestedFormReadsWellInLightAndDark()
    {
        QWidget window;
        auto *layout = new QVBoxLayout(&window);
        auto *form = new ui::SchemaForm(&window);
        json schema = kNested;
        schema["required"] = {"device", "change"};
        form->setSchema(schema);
        layout->addWidget(form);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QTest::keyClicks(form->editor(u"device"_s), u"dist-sw-04"_s);
        form->validate(); // the nested required field says so
        // Sized once the message shows and the style has polished every box.
        window.resize(560, window.sizeHint().height());
        QTest::qWait(20);
        QCOMPARE(form->editor(u"/change/window/start"_s)->height(),
                 form->editor(u"device"_s)->height()); // nested fields are not squeezed
        QVERIFY(test::saveScreenshots(&window, u"schema-form-nested"_s));
    }

    void engineDetailsReachTheirField()
    {
        ui::SchemaForm form;
        form.setSchema(kSchema);
        const int placed = form.showProblems(json::parse(R"([
            {"instancePath": "/options/variables/device", "message": "must match format hostname"},
            {"instancePath": "/somewhere/else", "message": "not a field"}])"));
        QCOMPARE(placed, 1);
        QCOMPARE(form.problem(u"device"_s), u"must match format hostname"_s);
        form.clearProblems();
        QVERIFY(form.problem(u"device"_s).isEmpty());
    }

    void aSchemaWithoutPropertiesAsksForNothing()
    {
        ui::SchemaForm form;
        form.setSchema(json::object());
        QCOMPARE(form.fieldCount(), 0);
        QVERIFY(form.validate().isEmpty());
        QCOMPARE_JSON(form.values(), json::object());
    }

    void startJobSendsTheFormAndReportsTheJob()
    {
        test::FakeConsoleClient client;
        json workflow = demoWorkflow(u"manual-change-approval.json"_s);
        QVERIFY(workflow.is_object());
        workflow["_id"] = "65f1c0ffee0000000000aa01";
        workflow["groups"] = json::array({{{"_id", "65f1c0ffee0000000000bb01"}, {"name", "NOC"}}});
        int attempts = 0;
        client.script = [&](const api::ApiRequest &request) {
            if (request.path == "/automation-studio/workflows/detailed/Change%20Approval")
                return test::answer(200, workflow);
            if (request.path == "/operations-manager/jobs/start" && attempts++ == 0)
                return test::answer(400, {{"message", "variables do not fit the inputSchema"},
                                          {"error", "invalid"},
                                          {"details",
                                           {{{"instancePath", "/options/variables/device"},
                                             {"message", "no such device in the inventory"}}}}});
            return test::envelope({{"_id", "65f1c0ffee0000000000cc01"}, {"status", "running"}});
        };
        ui::StartJobDialog dialog(client, u"Change Approval"_s);
        QSignalSpy started(&dialog, &ui::StartJobDialog::jobStarted);
        dialog.show();
        QTRY_VERIFY(dialog.isReady());
        QCOMPARE(dialog.form()->fieldCount(), 3);
        auto *startButton = dialog.findChild<QPushButton *>(u"startJobButton"_s);
        QVERIFY(startButton);

        // Nothing typed: the form says what is missing and nothing is sent.
        QTest::mouseClick(startButton, Qt::LeftButton);
        QCOMPARE(client.count(api::Method::Post, "/operations-manager/jobs/start"), 0);
        QVERIFY(!dialog.form()->problem(u"device"_s).isEmpty());

        QTest::keyClicks(dialog.form()->editor(u"device"_s), u"dist-sw-04"_s);
        QTest::keyClicks(dialog.form()->editor(u"changeTicket"_s), u"CHG0031877"_s);
        QTest::keyClicks(dialog.form()->editor(u"proposedConfig"_s), u"interface Gi1/0/12"_s);
        QTest::keyClicks(dialog.findChild<QLineEdit *>(u"jobDescription"_s), u"night window"_s);
        QVERIFY(test::saveScreenshots(&dialog, u"start-job"_s));

        // The engine refuses: its message shows, under the field it names, and the dialog stays.
        QTest::mouseClick(startButton, Qt::LeftButton);
        QTRY_COMPARE(dialog.form()->problem(u"device"_s), u"no such device in the inventory"_s);
        QVERIFY(dialog.statusText().contains(u"variables do not fit the inputSchema"_s));
        QVERIFY(dialog.isVisible());
        QCOMPARE(started.count(), 0);

        // Untick the group, try again: the job starts and the dialog closes.
        dialog.findChild<QListWidget *>(u"jobGroups"_s)->item(0)->setCheckState(Qt::Unchecked);
        QTest::mouseClick(startButton, Qt::LeftButton);
        QTRY_COMPARE(started.count(), 1);
        QCOMPARE(started[0][0].toString(), u"65f1c0ffee0000000000cc01"_s);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
        const auto sent = client.last("/operations-manager/jobs/start").body;
        QCOMPARE_JSON(sent, json::parse(R"({"workflow": "Change Approval", "options": {
            "type": "automation", "description": "night window", "groups": [],
            "variables": {"device": "dist-sw-04", "changeTicket": "CHG0031877",
                          "proposedConfig": "interface Gi1/0/12"}}})"));
    }

    void unionsIntegersAndLiteralsSendWhatTheSchemaSays()
    {
        ui::SchemaForm form;
        form.setSchema(json::parse(R"({"type": "object", "properties": {
            "timeout": {"type": ["integer", "number"]},
            "retries": {"type": ["integer", "null"]},
            "ratio": {"type": "number"},
            "flag": {},
            "limit": {"type": ["string", "number"]},
            "hosts": {"type": "array", "items": {"type": "string"}},
            "ports": {"type": "array", "items": {"type": "integer"}},
            "any": {"type": ["object", "string"]}}})"));
        form.show();
        // A numeric union is a number field; a union of scalars reads literals.
        QVERIFY(editorOf<QLineEdit>(form, "timeout"));
        QVERIFY(editorOf<QLineEdit>(form, "flag"));
        QVERIFY(editorOf<QLineEdit>(form, "limit"));
        QVERIFY(editorOf<QPlainTextEdit>(form, "any")); // may be an object: JSON
        QTest::keyClicks(form.editor(u"timeout"_s), u"300"_s);
        QTest::keyClicks(form.editor(u"retries"_s), u"3"_s);
        QTest::keyClicks(form.editor(u"ratio"_s), u"22"_s);
        QTest::keyClicks(form.editor(u"flag"_s), u"false"_s);
        QTest::keyClicks(form.editor(u"limit"_s), u"12"_s);
        QVERIFY(form.validate().isEmpty());
        json values = form.values();
        QCOMPARE_JSON(values, json::parse(R"({"timeout": 300, "retries": 3, "ratio": 22,
                                             "flag": false, "limit": 12})"));
        // Integers stay integers on the wire: 22, never 22.0.
        QVERIFY(values["ratio"].is_number_integer());
        QCOMPARE(QString::fromStdString(values.dump()).contains(u"22.0"_s), false);

        // Quotes keep text text; words are text; a fraction is a fraction.
        editorOf<QLineEdit>(form, "flag")->clear();
        QTest::keyClicks(form.editor(u"flag"_s), u"\"300\""_s);
        editorOf<QLineEdit>(form, "limit")->clear();
        QTest::keyClicks(form.editor(u"limit"_s), u"unlimited"_s);
        editorOf<QLineEdit>(form, "ratio")->clear();
        QTest::keyClicks(form.editor(u"ratio"_s), u"0.5"_s);
        values = form.values();
        QCOMPARE_JSON(values["flag"], json("300"));
        QCOMPARE_JSON(values["limit"], json("unlimited"));
        QCOMPARE_JSON(values["ratio"], json(0.5));
        // Text in a numeric union is refused, under the field.
        editorOf<QLineEdit>(form, "timeout")->clear();
        QTest::keyClicks(form.editor(u"timeout"_s), u"soon"_s);
        const auto problems = form.validate();
        QCOMPARE(problems.size(), 1);
        QCOMPARE(problems.first().pointer, u"/timeout"_s);

        // A string in an any-type field that reads as JSON shows quoted, and round-trips.
        form.setValues(json::parse(R"({"flag": "true"})"));
        QCOMPARE(editorOf<QLineEdit>(form, "flag")->text(), u"\"true\""_s);
        QCOMPARE_JSON(form.values()["flag"], json("true"));

        // Arrays show an array example, of their items' type.
        QVERIFY(editorOf<QPlainTextEdit>(form, "hosts")->placeholderText().contains(u"[\""_s));
        QVERIFY(editorOf<QPlainTextEdit>(form, "ports")->placeholderText().contains(u"[1, 2"_s));
    }

    void labelsKeepWordsAndAcronyms()
    {
        using ui::SchemaForm;
        QCOMPARE(SchemaForm::labelFor(u"uploadiHealthTask"_s), u"Upload iHealth task"_s);
        QCOMPARE(SchemaForm::labelFor(u"iHealthTaskName"_s), u"iHealth task name"_s);
        QCOMPARE(SchemaForm::labelFor(u"ikeAuthType"_s), u"IKE auth type"_s);
        QCOMPARE(SchemaForm::labelFor(u"IKEAuthType"_s), u"IKE auth type"_s);
        QCOMPARE(SchemaForm::labelFor(u"deviceIp"_s), u"Device IP"_s);
        QCOMPARE(SchemaForm::labelFor(u"mgmtIPv4Address"_s), u"Mgmt IPv4 address"_s);
        QCOMPARE(SchemaForm::labelFor(u"bgp_asn"_s), u"BGP ASN"_s);
        QCOMPARE(SchemaForm::labelFor(u"XMLParser"_s), u"XML parser"_s);
        QCOMPARE(SchemaForm::labelFor(u"changeTicket"_s), u"Change ticket"_s);
        QCOMPARE(SchemaForm::labelFor(u"change_ticket"_s), u"Change ticket"_s);
        QCOMPARE(SchemaForm::labelFor(u"multiApp"_s), u"Multi app"_s);
        QCOMPARE(SchemaForm::labelFor(u"vlan2Name"_s), u"VLAN 2 name"_s);
        QCOMPARE(SchemaForm::labelFor(u"md5Sum"_s), u"MD5 sum"_s);
        QCOMPARE(SchemaForm::labelFor(u"dryRun"_s), u"Dry run"_s);
    }

    void startJobFocusesTheFirstFieldAndScrollsToTheFirstProblem()
    {
        test::FakeConsoleClient client;
        // Real workflows declare a dozen inputs or more, several with union types.
        json properties = json::object();
        json required = json::array();
        for (int i = 1; i <= 14; ++i) {
            const std::string name = "step" + std::to_string(i) + "Note";
            properties[name] = {{"type", "string"},
                                {"description", "A free note for step " + std::to_string(i) +
                                                    ", shown to the operator who claims it."}};
        }
        properties["timeoutSeconds"] = {{"type", json::array({"integer", "number"})},
                                        {"description", "How long to wait for the device."}};
        properties["ikeAuthType"] = {{"type", json::array({"string", "boolean"})},
                                     {"examples", json::array({"psk"})}};
        properties["zzVerifyPeers"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
        required.push_back("zzVerifyPeers");
        json workflow = {
            {"_id", "65f1c0ffee0000000000aa02"},
            {"name", "Tunnel Rollout"},
            {"description", "Builds an IPsec tunnel between two sites."},
            {"type", "automation"},
            {"tasks", json::object()},
            {"transitions", json::object()},
            {"inputSchema",
             {{"type", "object"}, {"properties", properties}, {"required", required}}}};
        client.script = [&](const api::ApiRequest &request) {
            if (request.path == "/automation-studio/workflows/detailed/Tunnel%20Rollout")
                return test::answer(200, workflow);
            return test::envelope({{"_id", "65f1c0ffee0000000000cc02"}, {"status", "running"}});
        };
        ui::StartJobDialog dialog(client, u"Tunnel Rollout"_s);
        dialog.resize(560, 520);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QTRY_VERIFY(dialog.isReady());
        // Numbers in labels order as numbers: step 2 before step 10.
        const QStringList order = dialog.form()->fieldPointers();
        QVERIFY(order.indexOf(u"/step2Note"_s) < order.indexOf(u"/step10Note"_s));
        // The keyboard starts in the first field the form shows.
        const QString first = dialog.form()->fieldPointers().first();
        QTRY_COMPARE(QApplication::focusWidget(), dialog.form()->editor(first));
        // Typing into the numeric union and the any-type field sends numbers and booleans.
        QTest::keyClicks(dialog.form()->editor(u"timeoutSeconds"_s), u"90"_s);
        QTest::keyClicks(dialog.form()->editor(u"ikeAuthType"_s), u"false"_s);
        QVERIFY(test::saveScreenshotsEveryWay(&dialog, u"start-job-union"_s));
        // The numeric union sorts last: a second shot shows it, with what was typed.
        auto *scroll = dialog.findChild<QScrollArea *>();
        QVERIFY(scroll);
        scroll->ensureWidgetVisible(dialog.form()->editor(u"timeoutSeconds"_s));
        QVERIFY(test::saveScreenshots(&dialog, u"start-job-union-bottom"_s));

        // The missing array is at the bottom: a refused Start scrolls to it and focuses it.
        scroll->verticalScrollBar()->setValue(0);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"startJobButton"_s), Qt::LeftButton);
        QWidget *missing = dialog.form()->editor(u"zzVerifyPeers"_s);
        QTRY_COMPARE(QApplication::focusWidget(), missing);
        const QRect inView(missing->mapTo(scroll->viewport(), QPoint(0, 0)), missing->size());
        QVERIFY(scroll->viewport()->rect().contains(inView));
        QVERIFY(!dialog.form()->problem(u"zzVerifyPeers"_s).isEmpty());

        QTest::keyClicks(missing, u"[\"site-a\", \"site-b\"]"_s);
        QTest::mouseClick(dialog.findChild<QPushButton *>(u"startJobButton"_s), Qt::LeftButton);
        QTRY_COMPARE(client.count(api::Method::Post, "/operations-manager/jobs/start"), 1);
        const json sent = client.last("/operations-manager/jobs/start").body;
        QCOMPARE_JSON(sent["options"]["variables"], json::parse(R"({"timeoutSeconds": 90,
            "ikeAuthType": false, "zzVerifyPeers": ["site-a", "site-b"]})"));
    }

    void aMissingWorkflowIsSaidPlainly()
    {
        test::FakeConsoleClient client;
        ui::StartJobDialog dialog(client, u"Gone"_s);
        QTRY_VERIFY(dialog.statusText().contains(u"no route"_s));
        QVERIFY(!dialog.isReady());
        QVERIFY(!dialog.findChild<QPushButton *>(u"startJobButton"_s)->isEnabled());
    }
};

QTEST_MAIN(TestSchemaForm)
#include "TestSchemaForm.moc"
