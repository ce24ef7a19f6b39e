// SPDX-License-Identifier: MIT
#pragma once

#include "panerun.h"

#include "importers/timeline/alignment.h"

#include <QAbstractTableModel>

#include <memory>

namespace tt::gui {

// The aligned steps as a table, left and right side by side: what `twintrace align` prints.
class AlignedRowsModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        LeftStep,
        LeftDuration,
        Status,
        Delta,
        RightStep,
        RightDuration,
        ColumnCount
    };

    explicit AlignedRowsModel(QObject* parent = nullptr);

    void setRows(std::shared_ptr<const PaneRun> left, std::shared_ptr<const PaneRun> right,
        std::vector<timeline::AlignedRow> rows);
    const timeline::AlignedRow& rowAt(int row) const { return m_rows[size_t(row)]; }

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::shared_ptr<const PaneRun> m_left;
    std::shared_ptr<const PaneRun> m_right;
    std::vector<timeline::AlignedRow> m_rows;
};

} // namespace tt::gui
