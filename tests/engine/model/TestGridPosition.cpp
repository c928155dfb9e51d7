// SPDX-License-Identifier: GPL-3.0-or-later
#include "engine/model/GridPosition.h"

#include <QTest>

using namespace flowdeck::model;
using nlohmann::json;

class TestGridPosition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void nodeLocationWins()
    {
        const json task = {{"nodeLocation", {{"x", 480}, {"y", 216}}},
                           {"x", 0.5},
                           {"y", 0.5},
                           {"gridCoordinate", {{"x", 9}, {"y", 9}}}};
        QCOMPARE(*positionForm(task), PositionForm::NodeLocation);
        QCOMPARE(*gridPosition(task), (GridPoint{2, 2}));
    }

    void gridCoordinateBeforeFractions()
    {
        const json task = {{"x", 0.5}, {"y", 0.2}, {"gridCoordinate", {{"x", 3}, {"y", 4}}}};
        QCOMPARE(*gridPosition(task), (GridPoint{3, 4}));
    }

    void fractions()
    {
        const json task = {{"x", 0.5}, {"y", 0.2}};
        QCOMPARE(*gridPosition(task), (GridPoint{10, 5}));
    }

    void noPosition()
    {
        QVERIFY(!gridPosition(json{{"name", "x"}}));
        QVERIFY(!gridPosition(json{{"nodeLocation", {{"x", "12"}, {"y", 3}}}}));
        QVERIFY(!gridPosition(json::array()));
    }

    void writesEveryPresentForm()
    {
        json task = {{"nodeLocation", {{"x", 0}, {"y", 0}}}, {"x", 0.0}, {"y", 0.0}};
        setGridPosition(task, {1, 2});
        QCOMPARE(task["nodeLocation"]["x"].get<int>(), 240);
        QCOMPARE(task["nodeLocation"]["y"].get<int>(), 216);
        QCOMPARE(task["x"].get<double>(), 0.05);
        QCOMPARE(task["y"].get<double>(), 0.08);
        QVERIFY(!task.contains("gridCoordinate"));
    }

    void taskWithoutPositionGetsNodeLocation()
    {
        json task = {{"name", "stub"}};
        setGridPosition(task, {3, 1});
        QCOMPARE(task["nodeLocation"]["x"].get<int>(), 720);
        QVERIFY(!task.contains("x"));
        QCOMPARE(*gridPosition(task), (GridPoint{3, 1}));
    }

    void roundTripsThroughEveryForm()
    {
        json task = {{"gridCoordinate", {{"x", 0}, {"y", 0}}}};
        setGridPosition(task, {7.5, 3});
        QCOMPARE(*gridPosition(task), (GridPoint{7.5, 3}));
    }
};

QTEST_APPLESS_MAIN(TestGridPosition)
#include "TestGridPosition.moc"
