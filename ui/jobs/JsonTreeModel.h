// SPDX-License-Identifier: GPL-3.0-or-later
// A read-only tree over a JSON value for a QTreeView: one row per member or element, with its
// key (or [index]) and, for scalars, its value as JSON writes it. Built once per document, so
// it is meant for job variables and task values, not for megabytes. GUI thread.
#pragma once

#include <QAbstractItemModel>

#include <nlohmann/json.hpp>

#include <memory>
#include <vector>

namespace flowdeck::ui {

class JsonTreeModel final : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Column { KeyColumn, ValueColumn, ColumnCount };
    /// The JSON pointer of a row ("/device/name"), for copying and for tests.
    static constexpr int PointerRole = Qt::UserRole + 1;

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    /// Replaces the tree. Keeps nothing of the old one, so views collapse.
    void setJson(const nlohmann::json &value);
    /// The row of a JSON pointer ("" is the root's children's parent: an invalid index).
    QModelIndex indexOf(const QString &pointer) const;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    struct Node
    {
        QString key;
        QString value;   ///< scalars as JSON text; "{3}" / "[2]" summaries for containers
        QString pointer; ///< RFC 6901
        bool container = false;
        bool isString = false;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    static void build(Node &node, const nlohmann::json &value);
    Node *nodeOf(const QModelIndex &index) const;

    std::unique_ptr<Node> m_root;
};

} // namespace flowdeck::ui
