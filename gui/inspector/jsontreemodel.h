// SPDX-License-Identifier: MIT
#pragma once

#include "gui/treemodel.h"

#include <QJsonValue>

#include <memory>
#include <vector>

namespace tt::gui {

struct JsonNode;

// A JSON document as a tree: key, value (scalars shown, containers summarised), type.
class JsonTreeModel : public TreeModel<JsonNode>
{
    Q_OBJECT
public:
    enum Column
    {
        Key,
        Value,
        Type,
        ColumnCount
    };

    explicit JsonTreeModel(QObject* parent = nullptr);
    ~JsonTreeModel() override;

    void setJson(const QJsonValue& value);
    // Top-level fields in the given order (a QJsonObject would sort them by name).
    void setSections(const std::vector<std::pair<QString, QJsonValue>>& sections);
    // The value at an index as compact JSON (what "copy" puts on the clipboard).
    QString jsonAt(const QModelIndex& index) const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    using Node = JsonNode;
};

} // namespace tt::gui
