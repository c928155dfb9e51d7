// SPDX-License-Identifier: GPL-3.0-or-later
// The stored workflows as a table (name, task count, description, last update), filled from
// GET /automation-studio/workflows through the ConsoleClient without ever blocking. GUI thread.
#pragma once

#include "ui/client/ConsoleClient.h"

#include <QAbstractTableModel>
#include <QDateTime>
#include <QList>

namespace flowdeck::ui {

class WorkflowsModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column { NameColumn, TasksColumn, DescriptionColumn, UpdatedColumn, ColumnCount };
    enum Role {
        NameRole = Qt::UserRole + 1,
        SortRole, ///< what a column sorts by: text ignoring case, counts and times as numbers
    };

    /// `client` must outlive the model. The model starts empty; call refresh().
    explicit WorkflowsModel(ConsoleClient &client, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

    /// Loads every workflow again, page by page, and swaps the whole list in at the end, so
    /// views never see half a list. A refresh while one runs supersedes it. Reports through
    /// refreshed() or refreshFailed().
    void refresh();
    bool isLoading() const { return m_loading; }

    QString nameAt(int row) const;
    /// -1 when no workflow has that name.
    int rowOf(const QString &name) const;

Q_SIGNALS:
    void refreshed();
    /// The list is left as it was; `message` is the engine's explanation.
    void refreshFailed(const QString &message);

private:
    struct Row
    {
        QString name;
        int taskCount = 0;
        QString description;
        QDateTime updated;
    };

    void requestPage(int skip);
    static Row rowFrom(const nlohmann::json &document);

    ConsoleClient &m_client;
    QList<Row> m_rows;
    QList<Row> m_incoming; ///< the pages of the refresh in progress
    quint64 m_generation = 0;
    bool m_loading = false;
};

} // namespace flowdeck::ui
