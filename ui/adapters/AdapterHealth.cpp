// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/adapters/AdapterHealth.h"

#include "ui/client/JsonFields.h"
#include "ui/forms/TimeText.h"

#include <QDateTime>
#include <QGuiApplication>
#include <QObject>
#include <QPainter>
#include <QPalette>
#include <QPixmap>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui::adapterhealth {

State stateOf(const json &connection)
{
    const QString state = jsonfields::text(connection, "state");
    if (state == u"ONLINE"_s)
        return State::Online;
    if (state == u"OFFLINE"_s)
        return State::Offline;
    return State::Unknown;
}

bool isChecking(const json &connection)
{
    const json &checking = jsonfields::member(connection, "checking");
    return checking.is_boolean() && checking.get<bool>();
}

QString word(const json &connection)
{
    if (isChecking(connection))
        return QObject::tr("Checking…");
    switch (stateOf(connection)) {
    case State::Online:
        return QObject::tr("Online");
    case State::Offline:
        return QObject::tr("Offline");
    case State::Unknown:
        break;
    }
    return QObject::tr("Not checked");
}

QString latencyText(const json &connection)
{
    const json &latency = jsonfields::member(connection, "latency");
    // An answer that never came has no latency worth showing (a refused connection is 0 ms).
    if (!latency.is_number() || stateOf(connection) != State::Online)
        return {};
    return QObject::tr("%1 ms").arg(latency.get<qint64>());
}

QString errorText(const json &connection)
{
    return stateOf(connection) == State::Offline ? jsonfields::text(connection, "error")
                                                 : QString();
}

QString sentence(const json &connection, qint64 nowMs)
{
    if (isChecking(connection))
        return QObject::tr("Checking the connection…");
    const qint64 checked = jsonfields::millis(connection, "checked");
    const QString ago = checked > 0 ? timetext::moment(QDateTime::fromMSecsSinceEpoch(checked),
                                                       QDateTime::fromMSecsSinceEpoch(nowMs))
                                    : QString();
    switch (stateOf(connection)) {
    case State::Online:
        return QObject::tr("Online: answered in %1, checked %2.").arg(latencyText(connection), ago);
    case State::Offline: {
        QString error = errorText(connection);
        if (error.isEmpty())
            error = QObject::tr("the system did not answer");
        return QObject::tr("Offline: %1 (checked %2).").arg(error, ago);
    }
    case State::Unknown:
        break;
    }
    return QObject::tr("Not checked yet. Test Connection sends the instance's health check.");
}

QColor color(State state)
{
    switch (state) {
    case State::Online:
        return QColor(0x2e, 0x9d, 0x5b);
    case State::Offline:
        return QColor(0xd6, 0x45, 0x45);
    case State::Unknown:
        break;
    }
    return QGuiApplication::palette().color(QPalette::PlaceholderText);
}

QIcon light(State state, int size)
{
    QIcon icon;
    for (const qreal ratio : {1.0, 2.0}) {
        QPixmap pixmap(QSize(size, size) * ratio);
        pixmap.setDevicePixelRatio(ratio);
        pixmap.fill(Qt::transparent);
        QPainter painter(&pixmap);
        painter.setRenderHint(QPainter::Antialiasing);
        painter.setPen(Qt::NoPen);
        painter.setBrush(color(state));
        painter.drawEllipse(QRectF(1, 1, size - 2, size - 2));
        painter.end();
        icon.addPixmap(pixmap);
    }
    return icon;
}

} // namespace flowdeck::ui::adapterhealth
