// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/cellspread.h"

#include <QWidget>

namespace tt::gui {

// Every run of a cell stacked on one axis, aligned by step: each step a column as wide as its
// slowest run, every bar its real duration, the real wait before a step a thin line. The median
// run of each variant is shaded, outliers are flagged with their reason. Clicking a run asks for
// its pair.
class CellView : public QWidget
{
    Q_OBJECT
public:
    explicit CellView(QWidget* parent = nullptr);

    // A spread whose traces were read (engine::readCellTraces).
    void setCell(QString title, engine::CellSpread spread);
    const engine::CellSpread& cell() const { return m_spread; }
    const std::vector<engine::CellRun>& runs() const { return m_spread.runs; }
    QRect rowRect(int row) const;
    // Where a run's step is drawn: the same step starts at the same x in every row.
    QRectF stepRect(int row, int step) const;
    QSize sizeHint() const override;

signals:
    void runClicked(const tt::engine::RunRecord& run);

protected:
    void paintEvent(QPaintEvent* event) override;
    bool event(QEvent* event) override; // a bar's step, duration and failed attempts
    void mousePressEvent(QMouseEvent* event) override;

private:
    static QString labelOf(const engine::CellRun& cell);
    QFont boldFont() const;
    int rowAt(QPoint point) const;
    double xOf(int64_t displayNs) const;
    void paintHeader(QPainter& painter);
    void paintRow(QPainter& painter, size_t row);

    QString m_title;
    engine::CellSpread m_spread;
    std::vector<int> m_rowTops; // y of each row, and the bottom of the last
    int m_labelWidth = 0; // the runs' labels, left of the plot
};

} // namespace tt::gui
