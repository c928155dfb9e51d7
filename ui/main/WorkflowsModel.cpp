// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/main/WorkflowsModel.h"

#include "ui/client/Requests.h"

#include <QLocale>

#include <utility>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {
// The route allows up to 1000 per page; a few hundred keeps each answer quick to build.
constexpr int kPageSize = 250;

QString textOf(const json &document, const char *key)
{
    const auto it = document.find(key);
    return it != document.end() && it->is_string() ? QString::fromStdString(it->get<std::string>())
                                                   : QString();
}
} // namespace

WorkflowsModel::WorkflowsModel(ConsoleClient &client, QObject *parent)
    : QAbstractTableModel(parent), m_client(client)
{}

int WorkflowsModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int WorkflowsModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant WorkflowsModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row &row = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return row.name;
        case TasksColumn:
            return row.taskCount;
        case DescriptionColumn:
            // One line in the list; the whole text is in the tooltip and the detail.
            return row.description.simplified();
        case UpdatedColumn:
            return row.updated.isValid() ? row.updated.toLocalTime().toString(u"yyyy-MM-dd HH:mm"_s)
                                         : QString();
        }
        break;
    case Qt::ToolTipRole:
        if (index.column() == DescriptionColumn && !row.description.isEmpty())
            return row.description;
        if (index.column() == NameColumn)
            return row.name;
        if (index.column() == UpdatedColumn && row.updated.isValid())
            return QLocale().toString(row.updated.toLocalTime(), QLocale::LongFormat);
        break;
    case Qt::TextAlignmentRole:
        if (index.column() == TasksColumn)
            return QVariant::fromValue(Qt::AlignRight | Qt::AlignVCenter);
        return QVariant::fromValue(Qt::AlignLeft | Qt::AlignVCenter);
    case NameRole:
        return row.name;
    case SortRole:
        switch (index.column()) {
        case NameColumn:
            return row.name.toLower();
        case TasksColumn:
            return row.taskCount;
        case DescriptionColumn:
            return row.description.toLower();
        case UpdatedColumn:
            return row.updated.isValid() ? row.updated.toMSecsSinceEpoch() : qint64(0);
        }
        break;
    }
    return {};
}

QVariant WorkflowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal)
        return {};
    if (role == Qt::TextAlignmentRole)
        return QVariant::fromValue((section == TasksColumn ? Qt::AlignRight : Qt::AlignLeft) |
                                   Qt::AlignVCenter);
    if (role == Qt::ToolTipRole && section == TasksColumn)
        return tr("Tasks in the workflow, not counting its start and end");
    if (role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Name");
    case TasksColumn:
        return tr("Tasks");
    case DescriptionColumn:
        return tr("Description");
    case UpdatedColumn:
        return tr("Updated");
    }
    return {};
}

void WorkflowsModel::refresh()
{
    ++m_generation;
    m_incoming.clear();
    m_loading = true;
    requestPage(0);
}

QString WorkflowsModel::nameAt(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows.at(row).name : QString();
}

int WorkflowsModel::rowOf(const QString &name) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows.at(i).name == name)
            return i;
    return -1;
}

void WorkflowsModel::requestPage(int skip)
{
    ApiReply *reply = m_client.call(requests::listWorkflows(skip, kPageSize));
    const quint64 generation = m_generation;
    connect(reply, &ApiReply::finished, this, [this, reply, generation, skip] {
        reply->deleteLater();
        if (generation != m_generation)
            return; // a newer refresh took over
        const api::ApiResponse &response = reply->response();
        const json items =
            response.json.is_object() ? response.json.value("items", json()) : json();
        if (!response.ok() || !items.is_array()) {
            m_loading = false;
            m_incoming.clear();
            const QString message =
                response.json.is_object() ? textOf(response.json, "message") : QString();
            Q_EMIT refreshFailed(
                message.isEmpty() ? tr("The engine answered %1.").arg(response.status) : message);
            return;
        }
        for (const json &document : items)
            if (document.is_object())
                m_incoming.append(rowFrom(document));
        const auto total = response.json.value("total", std::int64_t(0));
        const int next = skip + int(items.size());
        // A short page means the end even if the total moved while paging.
        if (!items.empty() && next < total) {
            requestPage(next);
            return;
        }
        beginResetModel();
        m_rows = std::exchange(m_incoming, {});
        endResetModel();
        m_loading = false;
        Q_EMIT refreshed();
    });
}

WorkflowsModel::Row WorkflowsModel::rowFrom(const json &document)
{
    Row row;
    row.name = textOf(document, "name");
    row.description = textOf(document, "description");
    const auto tasks = document.find("tasks");
    if (tasks != document.end() && tasks->is_object())
        for (const auto &[key, task] : tasks->items())
            if (key != "workflow_start" && key != "workflow_end")
                ++row.taskCount;
    row.updated = QDateTime::fromString(textOf(document, "last_updated"), Qt::ISODateWithMs);
    return row;
}

} // namespace flowdeck::ui
