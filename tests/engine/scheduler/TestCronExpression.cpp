// SPDX-License-Identifier: GPL-3.0-or-later
// Cron expressions: a table of expressions × time zones × instants with their expected next
// fire times (daylight-saving gaps and overlaps in New York, Berlin and Lord Howe with its
// 30-minute shift, 29 February, month ends, last and nth weekdays), the errors that name their
// field, and properties over many fire times: strictly increasing, stable, none skipped.
#include "engine/scheduler/CronExpression.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QTest>

using namespace flowdeck;
using scheduler::CronExpression;

namespace {

std::int64_t at(const char *iso)
{
    return QDateTime::fromString(QString::fromLatin1(iso), Qt::ISODate).toMSecsSinceEpoch();
}

QString iso(std::int64_t ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODate);
}

} // namespace

class TestCronExpression : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void nextFireTimes_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("zone");
        QTest::addColumn<QString>("after");
        QTest::addColumn<QStringList>("expected");
        auto row = [](const char *name, const char *expr, const char *zone, const char *after,
                      std::initializer_list<const char *> times) {
            QStringList expected;
            for (const char *t : times)
                expected << QString::fromLatin1(t);
            QTest::newRow(name) << QString::fromLatin1(expr) << QString::fromLatin1(zone)
                                << QString::fromLatin1(after) << expected;
        };
        row("every 15 minutes", "*/15 * * * *", "UTC", "2026-01-01T00:07:00Z",
            {"2026-01-01T00:15:00Z", "2026-01-01T00:30:00Z", "2026-01-01T00:45:00Z"});
        row("exactly on a fire time is after it", "*/15 * * * *", "UTC", "2026-01-01T00:15:00Z",
            {"2026-01-01T00:30:00Z"});
        row("weekdays by name", "0 9 * * MON-FRI", "UTC", "2026-12-04T09:00:00Z",
            {"2026-12-07T09:00:00Z", "2026-12-08T09:00:00Z"});
        row("29 February", "0 0 29 2 *", "UTC", "2026-03-01T00:00:00Z",
            {"2028-02-29T00:00:00Z", "2032-02-29T00:00:00Z"});
        row("last day of the month", "0 0 L * *", "UTC", "2026-02-10T00:00:00Z",
            {"2026-02-28T00:00:00Z", "2026-03-31T00:00:00Z", "2026-04-30T00:00:00Z"});
        row("last day in a leap year", "0 0 L 2 *", "UTC", "2027-03-01T00:00:00Z",
            {"2028-02-29T00:00:00Z"});
        row("the last Friday", "0 0 * * 5L", "UTC", "2026-12-01T00:00:00Z",
            {"2026-12-25T00:00:00Z", "2027-01-29T00:00:00Z"});
        row("the second Monday", "0 0 * * MON#2", "UTC", "2026-12-01T00:00:00Z",
            {"2026-12-14T00:00:00Z", "2027-01-11T00:00:00Z"});
        row("day of month or day of week", "0 0 1 * MON", "UTC", "2026-12-01T00:00:00Z",
            {"2026-12-07T00:00:00Z", "2026-12-14T00:00:00Z", "2026-12-21T00:00:00Z",
             "2026-12-28T00:00:00Z", "2027-01-01T00:00:00Z"});
        row("Sunday as 7", "0 12 * * 7", "UTC", "2026-12-07T00:00:00Z", {"2026-12-13T12:00:00Z"});
        row("six fields with seconds", "30 10 * * * *", "UTC", "2026-01-01T00:00:00Z",
            {"2026-01-01T00:10:30Z", "2026-01-01T01:10:30Z"});
        row("a step from a start", "5/20 * * * *", "UTC", "2026-01-01T00:30:00Z",
            {"2026-01-01T00:45:00Z", "2026-01-01T01:05:00Z"});
        row("lists and ranges", "0 8-10,14 * * *", "UTC", "2026-01-01T09:30:00Z",
            {"2026-01-01T10:00:00Z", "2026-01-01T14:00:00Z", "2026-01-02T08:00:00Z"});
        row("month names", "0 0 1 JAN,jul *", "UTC", "2026-02-01T00:00:00Z",
            {"2026-07-01T00:00:00Z", "2027-01-01T00:00:00Z"});
        row("@hourly", "@hourly", "UTC", "2026-01-01T00:59:59Z", {"2026-01-01T01:00:00Z"});
        row("@weekly", "@weekly", "UTC", "2026-12-07T00:00:00Z", {"2026-12-13T00:00:00Z"});
        row("@yearly", "@yearly", "UTC", "2026-12-07T00:00:00Z", {"2027-01-01T00:00:00Z"});
        row("in a zone", "0 9 * * *", "Europe/Berlin", "2026-12-07T00:00:00Z",
            {"2026-12-07T08:00:00Z"});
        row("never", "0 0 30 2 *", "UTC", "2026-01-01T00:00:00Z", {});

        // New York: clocks go 02:00 EST → 03:00 EDT on 8 March 2026, and 02:00 EDT → 01:00 EST
        // on 1 November 2026.
        row("NY gap: fires once at its end", "30 2 * * *", "America/New_York",
            "2026-03-07T12:00:00Z", {"2026-03-08T07:00:00Z", "2026-03-09T06:30:00Z"});
        row("NY gap, every minute of it: once", "* 2 * * *", "America/New_York",
            "2026-03-08T06:58:00Z", {"2026-03-08T07:00:00Z", "2026-03-09T06:00:00Z"});
        row("NY hourly over the gap", "0 * * * *", "America/New_York", "2026-03-08T06:30:00Z",
            {"2026-03-08T07:00:00Z", "2026-03-08T08:00:00Z"});
        row("NY overlap: the first only", "30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z",
            {"2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"});
        row("NY overlap, hour *: both", "30 * * * *", "America/New_York", "2026-11-01T05:00:00Z",
            {"2026-11-01T05:30:00Z", "2026-11-01T06:30:00Z", "2026-11-01T07:30:00Z"});
        row("NY overlap, hour step: both", "0 */1 * * *", "America/New_York",
            "2026-11-01T04:30:00Z",
            {"2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z"});
        // Berlin: 02:00 CET → 03:00 CEST on 29 March 2026, 03:00 CEST → 02:00 CET on 25 October.
        row("Berlin gap", "30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z",
            {"2026-03-29T01:00:00Z", "2026-03-30T00:30:00Z"});
        row("Berlin overlap", "30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z",
            {"2026-10-25T00:30:00Z", "2026-10-26T01:30:00Z"});
        // Lord Howe moves by 30 minutes: 02:00 → 02:30 on 4 October 2026, 02:00 → 01:30 on
        // 5 April 2026.
        row("Lord Howe half-hour gap", "15 2 * * *", "Australia/Lord_Howe", "2026-10-03T00:00:00Z",
            {"2026-10-03T15:30:00Z", "2026-10-04T15:15:00Z"});
        row("Lord Howe half-hour overlap", "45 1 * * *", "Australia/Lord_Howe",
            "2026-04-04T00:00:00Z", {"2026-04-04T14:45:00Z", "2026-04-05T15:15:00Z"});
    }

    void nextFireTimes()
    {
        QFETCH(QString, expression);
        QFETCH(QString, zone);
        QFETCH(QString, after);
        QFETCH(QStringList, expected);
        const QTimeZone tz(zone.toUtf8());
        QVERIFY2(tz.isValid(), qPrintable(zone));
        auto cron = CronExpression::parse(expression.toStdString());
        QVERIFY2(cron.ok(), cron.ok() ? "" : cron.error().message.c_str());
        const auto times =
            cron->next(at(after.toLatin1().constData()), tz, int(expected.size()) + 1);
        QStringList got;
        for (std::size_t i = 0; i < times.size() && got.size() < expected.size(); ++i)
            got << iso(times[i]);
        QCOMPARE(got, expected);
        if (expected.isEmpty())
            QVERIFY(times.empty());
    }

    void errorsNameTheirField_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("field");
        QTest::addColumn<QString>("says");
        auto err = [](const char *name, const char *expr, const char *field, const char *says) {
            QTest::newRow(name) << QString::fromUtf8(expr) << QString::fromUtf8(field)
                                << QString::fromUtf8(says);
        };
        err("too few fields", "* * *", "expression", "5 fields");
        err("too many fields", "* * * * * * *", "expression", "not 7");
        err("minute out of range", "60 * * * *", "minute", "out of range 0–59");
        err("hour not a number", "0 noon * * *", "hour", "is not a number");
        err("bad month name", "0 0 1 JANUARY *", "month", "month name");
        err("bad day name", "0 0 * * FUNDAY", "day-of-week", "day name");
        err("backwards range", "0 0 * * FRI-MON", "day-of-week", "backwards");
        err("zero step", "*/0 * * * *", "minute", "step");
        err("sixth monday", "0 0 * * MON#6", "day-of-week", "at most 5");
        err("empty list item", "0 0 1,,2 * *", "day-of-month", "empty item");
        err("day 32", "0 0 32 * *", "day-of-month", "out of range 1–31");
        err("unknown nickname", "@sometimes", "expression", "nickname");
    }

    void errorsNameTheirField()
    {
        QFETCH(QString, expression);
        QFETCH(QString, field);
        QFETCH(QString, says);
        auto cron = CronExpression::parse(expression.toStdString());
        QVERIFY(!cron.ok());
        QCOMPARE(cron.error().code, ErrorCode::Invalid);
        QCOMPARE(QString::fromStdString(cron.error().details.value("field", std::string())), field);
        QVERIFY2(QString::fromStdString(cron.error().message).contains(says),
                 cron.error().message.c_str());
    }

    // Properties over many expressions, zones and starting points: each next fire time is
    // strictly later, asking again from just before it gives it again, and in UTC none is
    // skipped (compared with testing every minute).
    void propertiesHold()
    {
        const char *expressions[] = {
            "*/7 * * * *",  "0 */3 * * *", "15,45 2 * * *", "0 0 L * *",      "0 12 * * 1-5",
            "30 1 * * 0#1", "0 0 * * 5L",  "0 0 13 * FRI",  "*/20 * * * * *", "0 30 1-3 * * *"};
        const char *zones[] = {"UTC", "America/New_York", "Europe/Berlin", "Australia/Lord_Howe",
                               "Asia/Kolkata"};
        auto *random = QRandomGenerator::global();
        for (const char *text : expressions) {
            auto cron = CronExpression::parse(text);
            QVERIFY(cron.ok());
            for (const char *zoneName : zones) {
                const QTimeZone zone(zoneName);
                const std::int64_t start =
                    at("2026-01-01T00:00:00Z") + std::int64_t(random->bounded(365 * 86400)) * 1000;
                const auto times = cron->next(start, zone, 60);
                QVERIFY2(!times.empty(), text);
                std::int64_t previous = start;
                for (const auto t : times) {
                    QVERIFY2(t > previous, qPrintable(QStringLiteral("%1 in %2: %3 after %4")
                                                          .arg(QString::fromLatin1(text),
                                                               QString::fromLatin1(zoneName),
                                                               iso(t), iso(previous))));
                    QCOMPARE(cron->next(t - 1, zone).value_or(0), t);
                    previous = t;
                }
            }
        }
        // None skipped: in UTC, every minute of two days tested one by one.
        auto cron = CronExpression::parse("*/7 9-17 * * MON-FRI");
        const QTimeZone utc("UTC");
        const std::int64_t from = at("2026-12-04T00:00:00Z");
        std::vector<std::int64_t> brute;
        for (std::int64_t t = from + 60'000; t <= from + 4 * 86'400'000; t += 60'000) {
            const auto dt = QDateTime::fromMSecsSinceEpoch(t, Qt::UTC);
            if (dt.time().minute() % 7 == 0 && dt.time().hour() >= 9 && dt.time().hour() <= 17 &&
                dt.date().dayOfWeek() <= 5)
                brute.push_back(t);
        }
        const auto times = cron->next(from, utc, int(brute.size()));
        QCOMPARE(times, brute);
    }
};

QTEST_GUILESS_MAIN(TestCronExpression)
#include "TestCronExpression.moc"
