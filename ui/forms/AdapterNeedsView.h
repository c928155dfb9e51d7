// SPDX-License-Identifier: GPL-3.0-or-later
// Which adapters a workflow's tasks need and whether this Flowdeck has them, one line per app:
// "Petstore — instance pets", "Servicenow — no instance; add one in Adapters". Shown by the
// start-job dialog and the workflow detail, from GET /adapters/needs/:name (the engine's
// AdapterCatalog::needs, the same check import warns with). Hidden for workflows without
// adapter tasks. GUI thread; never blocks.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

class QLabel;

namespace flowdeck::ui {

class ConsoleClient;

class AdapterNeedsView final : public QWidget
{
    Q_OBJECT
public:
    explicit AdapterNeedsView(ConsoleClient &client, QWidget *parent = nullptr);

    /// Fetches what the named workflow needs; for another workflow than the one shown, hides
    /// itself until the answer says there is something to show.
    void load(const QString &workflowName);
    /// The lines shown, as plain text ("" when hidden).
    QString text() const;
    /// Whether any task would find no instance at run time.
    bool hasProblems() const { return m_problems; }

    /// The lines for the engine's needs ([{task, app, instances, adapterId, problem?}]):
    /// {text, problem} per app, in the order the apps first appear.
    static std::vector<std::pair<QString, bool>> lines(const nlohmann::json &needs);

Q_SIGNALS:
    /// The answer is in and shown.
    void loaded();

private:
    void show(const nlohmann::json &needs);

    ConsoleClient &m_client;
    QLabel *m_lines = nullptr;
    QString m_name; ///< the workflow asked about last
    quint64 m_token = 0;
    bool m_problems = false;
};

} // namespace flowdeck::ui
