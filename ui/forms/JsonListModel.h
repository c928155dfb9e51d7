// SPDX-License-Identifier: GPL-3.0-or-later
// A read-only table over a list of JSON documents (task iterations, automations, triggers):
// each column is a title and a function from a row's document to the value for a role. The
// pages replace all rows at once after each fetch; rows are few (one page of an inbox).
#pragma once

#include <QAbstractTableModel>

#include <nlohmann/json.hpp>

#include <functional>
#include <vector>

namespace flowdeck::ui {

class JsonListModel final : public QAbstractTableModel
{
    Q_OBJECT
public:
    struct Column
    {
        QString title;
        /// The value of a row's cell for a role; an invalid QVariant for roles it does not
        /// answer.
        std::function<QVariant(const nlohmann::json &row, int role)> data;
    };

    explicit JsonListModel(std::vector<Column> columns, QObject *parent = nullptr);

    /// Replaces every row (a model reset: views keep no selection across it).
    void setRows(std::vector<nlohmann::json> rows);
    /// The document of a row; `row` must be in range.
    const nlohmann::json &document(int row) const;
    /// The first row whose document's "_id" is `id`, or -1.
    int rowOf(const std::string &id) const;
    /// Asks views to draw a column again, for values that change with time (ages).
    void refreshColumn(int column);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    std::vector<Column> m_columns;
    std::vector<nlohmann::json> m_rows;
};

} // namespace flowdeck::ui
