// SPDX-License-Identifier: MIT
#include "alignedrowsmodel.h"

#include "spanstyle.h"

#include "gui/qtext.h"

#include <QBrush>

namespace tt::gui {

AlignedRowsModel::AlignedRowsModel(QObject* parent)
    : QAbstractTableModel(parent)
{ }

void AlignedRowsModel::setRows(std::shared_ptr<const PaneRun> left,
    std::shared_ptr<const PaneRun> right, std::vector<timeline::AlignedRow> rows)
{
    beginResetModel();
    m_left = std::move(left);
    m_right = std::move(right);
    m_rows = std::move(rows);
    endResetModel();
}

int AlignedRowsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int AlignedRowsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant AlignedRowsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()))
        return {};
    const auto& row = m_rows[size_t(index.row())];
    const auto stepOf
        = [](const std::shared_ptr<const PaneRun>& run, int32_t step) -> const timeline::Step* {
        return run && step >= 0 && step < int(run->steps.size()) ? &run->steps[size_t(step)]
                                                                 : nullptr;
    };
    const timeline::Step* left = stepOf(m_left, row.left);
    const timeline::Step* right = stepOf(m_right, row.right);
    const auto label = [](const timeline::Step* step) -> QVariant {
        if (!step)
            return QStringLiteral("—");
        QString text = toQString(step->label());
        if (step->attempts.size() > 1)
            text += QObject::tr(" (%1 attempts)").arg(step->attempts.size());
        return text;
    };
    if (role == Qt::DisplayRole) {
        switch (index.column()) {
        case LeftStep:
            return label(left);
        case LeftDuration:
            return left ? formatDuration(left->durationNs()) : QString();
        case Status:
            return rowLabel(row.status);
        case Delta:
            return left && right ? formatDuration(row.deltaNs, true) : QString();
        case RightStep:
            return label(right);
        case RightDuration:
            return right ? formatDuration(right->durationNs()) : QString();
        }
    }
    if (role == Qt::ForegroundRole) {
        if (index.column() == Status || index.column() == Delta)
            return QBrush(rowColor(row.status).darker(130));
        const timeline::Step* step = index.column() < Status ? left : right;
        if (step && step->status == timeline::SpanStatus::Error)
            return QBrush(errorColor());
    }
    if (role == Qt::TextAlignmentRole
        && (index.column() == LeftDuration || index.column() == RightDuration
            || index.column() == Delta))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    return {};
}

QVariant AlignedRowsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return columnTitle(
        { tr("Left step"), tr("Time"), tr("Status"), tr("Delta"), tr("Right step"), tr("Time") },
        section, orientation, role);
}

} // namespace tt::gui
