// SPDX-License-Identifier: MIT
#pragma once

#include <QAbstractItemModel>

#include <memory>

namespace tt::gui {

// A QAbstractItemModel over a tree of Nodes that know their parent, their row and own their
// children (`Node* parent; int row; std::vector<std::unique_ptr<Node>> children;`): the index
// arithmetic written once for the browser and the inspector. Only column 0 has children.
template <class Node> class TreeModel : public QAbstractItemModel
{
public:
    using QAbstractItemModel::QAbstractItemModel;

protected:
    QModelIndex treeIndex(int row, int column, const QModelIndex& parent) const
    {
        if (row < 0 || column < 0 || column >= columnCount(parent)
            || (parent.isValid() && parent.column() != 0))
            return {};
        const Node* node = nodeOf(parent);
        if (row >= int(node->children.size()))
            return {};
        return createIndex(row, column, node->children[size_t(row)].get());
    }

    QModelIndex treeParent(const QModelIndex& child) const
    {
        return child.isValid() ? indexOf(nodeOf(child)->parent) : QModelIndex();
    }

    int treeRowCount(const QModelIndex& parent) const
    {
        if (parent.isValid() && parent.column() != 0)
            return 0;
        return int(nodeOf(parent)->children.size());
    }

    Node* nodeOf(const QModelIndex& index) const
    {
        return index.isValid() ? static_cast<Node*>(index.internalPointer()) : m_root.get();
    }

    QModelIndex indexOf(const Node* node, int column = 0) const
    {
        if (!node || node == m_root.get())
            return {};
        return createIndex(node->row, column, const_cast<Node*>(node));
    }

    std::unique_ptr<Node> m_root;
};

} // namespace tt::gui
