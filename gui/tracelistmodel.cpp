// SPDX-License-Identifier: MIT
#include "tracelistmodel.h"

#include "qtext.h"

#include <QApplication>
#include <QFileInfo>
#include <QIcon>
#include <QStyle>

namespace tt::gui {

TraceListModel::TraceListModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void TraceListModel::addTraces(const std::vector<std::shared_ptr<const timeline::Trace>>& traces)
{
    if (traces.empty())
        return;
    const int first = int(m_traces.size());
    beginInsertRows({}, first, first + int(traces.size()) - 1);
    m_traces.insert(m_traces.end(), traces.begin(), traces.end());
    endInsertRows();
}

std::shared_ptr<const timeline::Trace> TraceListModel::traceAt(int row) const
{
    if (row < 0 || row >= int(m_traces.size()))
        return nullptr;
    return m_traces[size_t(row)];
}

int TraceListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_traces.size());
}

int TraceListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TraceListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const timeline::Trace& trace = *m_traces[size_t(index.row())];
    if (role == TraceRole)
        return index.row();
    if (role == Qt::DecorationRole && index.column() == Name) {
        const auto icon
            = trace.errorCount > 0 ? QStyle::SP_MessageBoxWarning : QStyle::SP_DialogApplyButton;
        return QApplication::style()->standardIcon(icon);
    }
    if (role == Qt::TextAlignmentRole && index.column() >= Spans && index.column() <= Duration)
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole)
        return QString::fromStdString(trace.id + "\n" + trace.origin);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return QString::fromStdString(trace.name.empty() ? trace.id : trace.name);
    case Source:
        return toQString(timeline::toString(trace.source));
    case Spans:
        return qulonglong(trace.spans.size());
    case Errors:
        return trace.errorCount;
    case Duration:
        return QStringLiteral("%1 s").arg(double(trace.durationNs()) / 1e9, 0, 'f', 3);
    case Origin:
        return QFileInfo(QString::fromStdString(trace.origin)).fileName();
    }
    return {};
}

QVariant TraceListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Trace");
    case Source:
        return tr("Source");
    case Spans:
        return tr("Spans");
    case Errors:
        return tr("Errors");
    case Duration:
        return tr("Duration");
    case Origin:
        return tr("File");
    }
    return {};
}

} // namespace tt::gui
