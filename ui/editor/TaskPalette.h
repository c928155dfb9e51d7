// SPDX-License-Identifier: GPL-3.0-or-later
// What a task can be, to place on the canvas: the WorkFlowEngine methods with their
// summaries, a manual task for an operator, each adapter instance's methods, the store's JSTs
// (as transformation tasks) and its workflows (as child jobs). All of it comes through the
// API (GET /workflow_builder/tasks/list, /transformations, /automation-studio/workflows), so
// a remote window offers the server's adapters. Type to filter by summary, method or app;
// Enter or a double click places the entry after the selected task; drag one onto the canvas
// to place it on a cell. GUI thread.
#pragma once

#include <QWidget>

#include <nlohmann/json.hpp>

#include <optional>

class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QStandardItem;
class QStandardItemModel;
class QTreeView;

namespace flowdeck::ui {
class ConsoleClient;
}

namespace flowdeck::ui::editor {

class TaskPalette final : public QWidget
{
    Q_OBJECT

public:
    /// `editing`: the workflow being edited, left out of the child workflows.
    TaskPalette(ConsoleClient &client, QString editing, QWidget *parent = nullptr);
    ~TaskPalette() override;

    /// Asks for the lists again; loaded() when all three are in.
    void reload();
    bool isLoaded() const { return m_pending == 0; }

    QLineEdit *searchField() const { return m_search; }
    QTreeView *tree() const { return m_tree; }
    /// The entry of the current row, or nullopt on a group.
    std::optional<nlohmann::json> currentEntry() const;
    /// The tasks/list entry of (app, method name), for an adapter instance's method the
    /// first instance's; nullopt until loaded or when the server has none.
    /// Points into the last list, so valid until the next reload().
    const nlohmann::json *entryFor(const std::string &app, const std::string &name) const;
    /// Puts the cursor in the search field with its text selected.
    void focusSearch();

Q_SIGNALS:
    /// Enter or a double click on an entry.
    void placeRequested(const nlohmann::json &entry);
    void loaded();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QStandardItem *group(const QString &title, const QString &objectName);
    void addEntry(QStandardItem *parent, const nlohmann::json &entry, const QString &detail);
    void fillTasks(const nlohmann::json &list);
    void fillTransformations(const nlohmann::json &answer);
    void fillWorkflows(const nlohmann::json &answer);
    void failed(QStandardItem *parent, const QString &why);
    void answered();
    void filterChanged(const QString &text);
    void selectFirstEntry();
    void placeCurrent();

    ConsoleClient &m_client;
    QString m_editing;
    QLineEdit *m_search;
    QTreeView *m_tree;
    QLabel *m_hint;
    QStandardItemModel *m_model;
    QSortFilterProxyModel *m_filter;
    QStandardItem *m_engine = nullptr;
    QStandardItem *m_manual = nullptr;
    QStandardItem *m_adapters = nullptr;
    QStandardItem *m_transformations = nullptr;
    QStandardItem *m_workflows = nullptr;
    nlohmann::json m_tasks = nlohmann::json::array(); ///< the last tasks/list answer
    int m_pending = 0;
    int m_generation = 0; ///< answers of an earlier reload() are dropped
};

} // namespace flowdeck::ui::editor
