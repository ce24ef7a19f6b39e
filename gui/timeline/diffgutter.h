// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/alignment.h"

#include <QWidget>

namespace tt::gui {

class TimelinePane;
class ViewController;

// The band between the two panes: each aligned row joins its left step to its right step,
// coloured by what changed (same, slower, faster, changed, only on one side) and labelled with
// the duration delta. Clicking a band selects the row.
class DiffGutter : public QWidget
{
    Q_OBJECT
public:
    DiffGutter(TimelinePane* left, TimelinePane* right, ViewController* controller,
        QWidget* parent = nullptr);

    void setRows(std::vector<timeline::AlignedRow> rows);
    const std::vector<timeline::AlignedRow>& rows() const { return m_rows; }
    // The row whose band is under a point, or -1.
    int rowAt(const QPoint& point) const;
    QPolygonF bandOf(int row) const;

    QSize sizeHint() const override { return { 900, 44 }; }
    QSize minimumSizeHint() const override { return { 100, 36 }; }

protected:
    void paintEvent(QPaintEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    bool event(QEvent* event) override;

private:
    QString describe(int row) const;

    TimelinePane* m_left;
    TimelinePane* m_right;
    ViewController* m_controller;
    std::vector<timeline::AlignedRow> m_rows;
};

} // namespace tt::gui
