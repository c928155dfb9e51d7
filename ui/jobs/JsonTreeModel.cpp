// SPDX-License-Identifier: GPL-3.0-or-later
#include "ui/jobs/JsonTreeModel.h"

#include <QGuiApplication>
#include <QPalette>

namespace flowdeck::ui {

using namespace Qt::StringLiterals;
using nlohmann::json;

namespace {

QString escapePointerToken(QString token)
{
    return token.replace(u'~', u"~0"_s).replace(u'/', u"~1"_s);
}

} // namespace

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent), m_root(std::make_unique<Node>())
{}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::build(Node &node, const json &value)
{
    node.container = value.is_object() || value.is_array();
    node.isString = value.is_string();
    if (!node.container) {
        // Strings without their quotes: the column says "value", and quotes only add noise.
        node.value = value.is_string() ? QString::fromStdString(value.get<std::string>())
                                       : QString::fromStdString(value.dump());
        return;
    }
    const int n = int(value.size());
    if (value.is_object())
        node.value =
            n == 1 ? JsonTreeModel::tr("{1 member}") : JsonTreeModel::tr("{%1 members}").arg(n);
    else
        node.value =
            n == 1 ? JsonTreeModel::tr("[1 item]") : JsonTreeModel::tr("[%1 items]").arg(n);
    int row = 0;
    for (auto it = value.begin(); it != value.end(); ++it, ++row) {
        auto child = std::make_unique<Node>();
        child->key = value.is_object() ? QString::fromStdString(it.key()) : u"[%1]"_s.arg(row);
        const QString token = value.is_object()
                                  ? escapePointerToken(QString::fromStdString(it.key()))
                                  : QString::number(row);
        child->pointer = node.pointer + u'/' + token;
        child->parent = &node;
        child->row = row;
        build(*child, *it);
        node.children.push_back(std::move(child));
    }
}

void JsonTreeModel::setJson(const json &value)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    if (value.is_object() || value.is_array())
        build(*m_root, value);
    endResetModel();
}

JsonTreeModel::Node *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *node = nodeOf(parent);
    return createIndex(row, column, node->children[std::size_t(row)].get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *node = static_cast<Node *>(child.internalPointer());
    Node *parent = node->parent;
    if (!parent || parent == m_root.get())
        return {};
    return createIndex(parent->row, 0, parent);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.isValid() && parent.column() != 0)
        return 0;
    return int(nodeOf(parent)->children.size());
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid))
        return {};
    const Node *node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        return index.column() == KeyColumn ? node->key : node->value;
    case Qt::ToolTipRole:
        return index.column() == ValueColumn && !node->container ? node->value : node->pointer;
    case Qt::ForegroundRole:
        if (index.column() == ValueColumn && node->container)
            return QGuiApplication::palette().brush(QPalette::PlaceholderText);
        return {};
    case PointerRole:
        return node->pointer;
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == KeyColumn ? tr("Name") : tr("Value");
}

QModelIndex JsonTreeModel::indexOf(const QString &pointer) const
{
    if (pointer.isEmpty())
        return {};
    QModelIndex at;
    const QStringList tokens = pointer.mid(1).split(u'/');
    QString path;
    for (const QString &token : tokens) {
        path += u'/' + token;
        const Node *node = nodeOf(at);
        QModelIndex next;
        for (const auto &child : node->children)
            if (child->pointer == path)
                next = createIndex(child->row, 0, child.get());
        if (!next.isValid())
            return {};
        at = next;
    }
    return at;
}

} // namespace flowdeck::ui
