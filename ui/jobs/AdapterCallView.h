// SPDX-License-Identifier: GPL-3.0-or-later
// The adapter call of one run of a task, in the task panel: the request (method, URL, headers,
// body), the response (status, headers, body) and the attempts (when, status or error,
// latency), from the run's `call` ({request, response, attempts}, which the engine redacted and
// capped when it recorded them). Bodies are capped again for display. Hidden for runs that did
// not call out. GUI thread.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;
class QPlainTextEdit;

namespace flowdeck::ui {

class AdapterCallView final : public QWidget
{
    Q_OBJECT
public:
    /// Characters of a body shown; the rest is summarised in a line.
    static constexpr int kShownBody = 4000;

    explicit AdapterCallView(QWidget *parent = nullptr);

    /// Shows `call`, or hides itself when it is not an object.
    void showCall(const nlohmann::json &call);

    QString requestText() const;
    QString responseText() const;
    QString attemptsText() const;

    /// An exchange half as text: the first line, each header "Name: value", a blank line and
    /// the body (capped at kShownBody characters, with what was left out said).
    static QString exchangeText(const QString &firstLine, const nlohmann::json &half);

private:
    QPlainTextEdit *makeText(const QString &name);
    static void fit(QPlainTextEdit *text);

    QLabel *m_attempts = nullptr;
    QPlainTextEdit *m_request = nullptr;
    QLabel *m_responseTitle = nullptr;
    QPlainTextEdit *m_response = nullptr;
};

} // namespace flowdeck::ui
