// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/forms/JsonListModel.h"

namespace flowdeck::ui {

JsonListModel::JsonListModel(std::vector<Column> columns, QObject *parent)
    : QAbstractTableModel(parent), m_columns(std::move(columns))
{}

void JsonListModel::setRows(std::vector<nlohmann::json> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

const nlohmann::json &JsonListModel::document(int row) const
{
    return m_rows.at(std::size_t(row));
}

int JsonListModel::rowOf(const std::string &id) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].is_object() && m_rows[i].value("_id", nlohmann::json()) == id)
            return int(i);
    return -1;
}

void JsonListModel::refreshColumn(int column)
{
    if (m_rows.empty() || column < 0 || column >= columnCount())
        return;
    Q_EMIT dataChanged(index(0, column), index(rowCount() - 1, column));
}

int JsonListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int JsonListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_columns.size());
}

QVariant JsonListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    return m_columns[std::size_t(index.column())].data(m_rows[std::size_t(index.row())], role);
}

QVariant JsonListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 ||
        section >= columnCount())
        return {};
    return m_columns[std::size_t(section)].title;
}

} // namespace flowdeck::ui
