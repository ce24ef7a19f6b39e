// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <QAbstractTableModel>

#include <memory>
#include <vector>

namespace tt::gui {

// The imported traces, one row each: name, source, spans, errors, duration, origin.
class TraceListModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Column
    {
        Name,
        Source,
        Spans,
        Errors,
        Duration,
        Origin,
        ColumnCount
    };
    enum Role
    {
        TraceRole = Qt::UserRole
    };

    explicit TraceListModel(QObject* parent = nullptr);

    void addTraces(const std::vector<std::shared_ptr<const timeline::Trace>>& traces);
    std::shared_ptr<const timeline::Trace> traceAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    std::vector<std::shared_ptr<const timeline::Trace>> m_traces;
};

} // namespace tt::gui
