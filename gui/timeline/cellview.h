// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/cellspread.h"
#include "engine/experiment/runtraces.h"
#include "importers/timeline/steps.h"

#include <QWidget>

namespace tt::gui {

// Every run of a cell stacked on one time axis (each from its own start), its steps as bars:
// the median run marked, outliers flagged with their reason. Clicking a run asks for its pair.
class CellView : public QWidget
{
    Q_OBJECT
public:
    struct Row
    {
        engine::CellRun cell;
        std::vector<timeline::Step> steps;
        int64_t startNs = 0;
    };

    explicit CellView(QWidget* parent = nullptr);

    // Reads each run's steps (runViewOfRun): call it off the GUI thread for large cells.
    static std::vector<Row> rowsOf(const QString& dir, const engine::CellSpread& spread,
        const engine::ExperimentJournals& journals);
    void setRows(QString title, std::vector<Row> rows);
    const std::vector<Row>& rows() const { return m_rows; }
    QRect rowRect(int row) const;
    QSize sizeHint() const override;

signals:
    void runClicked(const tt::engine::RunRecord& run);

protected:
    void paintEvent(QPaintEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;

private:
    int rowAt(QPoint point) const;

    QString m_title;
    std::vector<Row> m_rows;
    int64_t m_longestNs = 1;
};

} // namespace tt::gui
