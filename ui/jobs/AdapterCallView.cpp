// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/AdapterCallView.h"

#include "ui/client/JsonFields.h"

#include <algorithm>

#include <QDateTime>
#include <QFontDatabase>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QTextDocument>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace flowdeck::ui {

namespace {

QLabel *subTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setWeight(QFont::DemiBold);
    label->setFont(font);
    label->setContentsMargins(0, 6, 0, 0);
    return label;
}

QString attemptLine(const json &attempt, int number)
{
    const qint64 at = jsonfields::millis(attempt, "at");
    const QString when =
        at > 0 ? QDateTime::fromMSecsSinceEpoch(at).toLocalTime().toString(u"HH:mm:ss"_s)
               : QString();
    const json &status = jsonfields::member(attempt, "status");
    QString outcome =
        status.is_number() ? QObject::tr("status %1").arg(status.get<int>()) : QString();
    const QString error = jsonfields::text(attempt, "error");
    if (!error.isEmpty())
        outcome = outcome.isEmpty() ? error : outcome + u", "_s + error;
    return QObject::tr("%1. %2  %3 — %4 ms")
        .arg(number)
        .arg(when, outcome.isEmpty() ? QObject::tr("no answer") : outcome)
        .arg(jsonfields::millis(attempt, "latency"));
}

} // namespace

AdapterCallView::AdapterCallView(QWidget *parent) : QWidget(parent)
{
    setObjectName(u"adapterCallView"_s);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *title = new QLabel(tr("Adapter call"), this);
    QFont bold = title->font();
    bold.setBold(true);
    title->setFont(bold);
    title->setContentsMargins(0, 8, 0, 0);
    layout->addWidget(title);
    layout->addWidget(subTitle(tr("Attempts"), this));
    m_attempts = new QLabel(this);
    m_attempts->setObjectName(u"adapterCallAttempts"_s);
    m_attempts->setWordWrap(true);
    m_attempts->setTextFormat(Qt::PlainText);
    m_attempts->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_attempts);
    layout->addWidget(subTitle(tr("Request"), this));
    m_request = makeText(u"adapterCallRequest"_s);
    layout->addWidget(m_request);
    m_responseTitle = subTitle(tr("Response"), this);
    layout->addWidget(m_responseTitle);
    m_response = makeText(u"adapterCallResponse"_s);
    layout->addWidget(m_response);
    hide();
}

QPlainTextEdit *AdapterCallView::makeText(const QString &name)
{
    auto *text = new QPlainTextEdit(this);
    text->setObjectName(name);
    text->setReadOnly(true);
    text->setLineWrapMode(QPlainTextEdit::NoWrap);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return text;
}

void AdapterCallView::fit(QPlainTextEdit *text)
{
    // As tall as what it holds, up to a dozen lines: a GET is three lines, a body scrolls.
    const int lines = std::clamp(text->document()->blockCount(), 2, 12);
    text->setFixedHeight(text->fontMetrics().lineSpacing() * lines + 14);
}

QString AdapterCallView::exchangeText(const QString &firstLine, const json &half)
{
    QStringList lines{firstLine};
    const json &headers = jsonfields::member(half, "headers");
    if (headers.is_object())
        for (auto it = headers.begin(); it != headers.end(); ++it)
            lines << QString::fromStdString(it.key()) + u": "_s +
                         (it->is_string() ? QString::fromStdString(it->get<std::string>())
                                          : QString::fromStdString(it->dump()));
    const json &body = jsonfields::member(half, "body");
    QString text = jsonfields::text(body, "text");
    const qint64 bytes = jsonfields::millis(body, "bytes");
    if (!text.isEmpty()) {
        lines << QString();
        const bool longer = text.size() > kShownBody;
        if (longer)
            text.truncate(kShownBody);
        lines << text;
        const json &truncated = jsonfields::member(body, "truncated");
        if (longer || (truncated.is_boolean() && truncated.get<bool>()))
            lines << QObject::tr("… (%1 bytes in all; the rest is not shown)")
                         .arg(QLocale().toString(bytes));
    }
    return lines.join(u'\n');
}

void AdapterCallView::showCall(const json &call)
{
    if (!call.is_object()) {
        hide();
        return;
    }
    QStringList attempts;
    int number = 0;
    for (const auto &attempt : jsonfields::member(call, "attempts"))
        attempts << attemptLine(attempt, ++number);
    m_attempts->setText(attempts.isEmpty() ? tr("None recorded.") : attempts.join(u'\n'));
    const json &request = jsonfields::member(call, "request");
    m_request->setPlainText(exchangeText(
        jsonfields::text(request, "method") + u' ' + jsonfields::text(request, "url"), request));
    fit(m_request);
    const json &response = jsonfields::member(call, "response");
    const bool answered = response.is_object();
    m_responseTitle->setText(answered ? tr("Response") : tr("Response: none (no answer)"));
    m_response->setVisible(answered);
    if (answered) {
        const json &status = jsonfields::member(response, "status");
        m_response->setPlainText(exchangeText(
            tr("Status %1").arg(status.is_number() ? status.get<int>() : 0), response));
        fit(m_response);
    } else {
        m_response->clear();
    }
    show();
}

QString AdapterCallView::requestText() const
{
    return m_request->toPlainText();
}

QString AdapterCallView::responseText() const
{
    return m_response->isHidden() ? QString() : m_response->toPlainText();
}

QString AdapterCallView::attemptsText() const
{
    return m_attempts->text();
}

} // namespace flowdeck::ui
