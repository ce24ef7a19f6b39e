// SPDX-License-Identifier: MIT
#include "jsontreemodel.h"

#include "gui/qtext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <vector>

namespace tt::gui {

namespace {
// A long string is cut in the value column; the tooltip and "copy" have it whole.
constexpr int kShownChars = 400;
} // namespace

struct JsonNode
{
    QString key;
    QJsonValue value;
    JsonNode* parent = nullptr;
    int row = 0;
    std::vector<std::unique_ptr<JsonNode>> children;

    void build()
    {
        auto add = [this](const QString& k, const QJsonValue& v) {
            auto child = std::make_unique<JsonNode>();
            child->key = k;
            child->value = v;
            child->parent = this;
            child->row = int(children.size());
            child->build();
            children.push_back(std::move(child));
        };
        if (value.isObject()) {
            const QJsonObject object = value.toObject();
            for (auto it = object.begin(); it != object.end(); ++it)
                add(it.key(), it.value());
        } else if (value.isArray()) {
            const QJsonArray array = value.toArray();
            for (qsizetype i = 0; i < array.size(); ++i)
                add(QStringLiteral("[%1]").arg(i), array.at(i));
        }
    }
};

JsonTreeModel::JsonTreeModel(QObject* parent)
    : TreeModel(parent)
{
    m_root = std::make_unique<Node>();
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setJson(const QJsonValue& value)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    m_root->value = value;
    m_root->build();
    endResetModel();
}

QString JsonTreeModel::jsonAt(const QModelIndex& index) const
{
    const QJsonValue value = nodeOf(index)->value;
    if (value.isObject())
        return QString::fromUtf8(QJsonDocument(value.toObject()).toJson(QJsonDocument::Compact));
    if (value.isArray())
        return QString::fromUtf8(QJsonDocument(value.toArray()).toJson(QJsonDocument::Compact));
    return value.toVariant().toString();
}

void JsonTreeModel::setSections(const std::vector<std::pair<QString, QJsonValue>>& sections)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    for (const auto& [key, value] : sections) {
        auto child = std::make_unique<Node>();
        child->key = key;
        child->value = value;
        child->parent = m_root.get();
        child->row = int(m_root->children.size());
        child->build();
        m_root->children.push_back(std::move(child));
    }
    endResetModel();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex& parent) const
{
    return treeIndex(row, column, parent);
}

QModelIndex JsonTreeModel::parent(const QModelIndex& child) const
{
    return treeParent(child);
}

int JsonTreeModel::rowCount(const QModelIndex& parent) const
{
    return treeRowCount(parent);
}

int JsonTreeModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QVariant JsonTreeModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || (role != Qt::DisplayRole && role != Qt::ToolTipRole))
        return {};
    const Node& node = *nodeOf(index);
    const QJsonValue& v = node.value;
    switch (index.column()) {
    case Key:
        return node.key;
    case Value:
        if (v.isObject())
            return QLatin1Char('{')
                + counted(qint64(node.children.size()), tr("field"), tr("fields"))
                + QLatin1Char('}');
        if (v.isArray())
            return QLatin1Char('[') + counted(qint64(node.children.size()), tr("item"), tr("items"))
                + QLatin1Char(']');
        if (v.isString()) {
            const QString text = v.toString();
            if (role == Qt::ToolTipRole)
                return text.left(4000);
            QString shown = text.left(kShownChars);
            shown.replace(QLatin1Char('\n'), QStringLiteral(" ⏎ "));
            return text.size() > kShownChars ? shown + QStringLiteral("…") : shown;
        }
        if (v.isBool())
            return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
        if (v.isNull())
            return QStringLiteral("null");
        return QString::number(v.toDouble(), 'g', 15);
    case Type:
        switch (v.type()) {
        case QJsonValue::Object:
            return QStringLiteral("object");
        case QJsonValue::Array:
            return QStringLiteral("array");
        case QJsonValue::String:
            return QStringLiteral("string");
        case QJsonValue::Double:
            return QStringLiteral("number");
        case QJsonValue::Bool:
            return QStringLiteral("bool");
        default:
            return QStringLiteral("null");
        }
    }
    return {};
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return columnTitle({ tr("Field"), tr("Value"), tr("Type") }, section, orientation, role);
}

} // namespace tt::gui
