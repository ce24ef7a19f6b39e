// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <QWidget>

#include <memory>

namespace tt::gui {

// A basic timeline of one trace: one lane per nesting depth, time from the trace's start.
// Wheel zooms around the cursor, dragging pans, F or a double click fits. Painting skips what is
// off screen and draws at most one sub-pixel span per pixel and lane.
class TimelineView : public QWidget
{
    Q_OBJECT
public:
    explicit TimelineView(QWidget* parent = nullptr);

    void setTrace(std::shared_ptr<const timeline::Trace> trace);
    std::shared_ptr<const timeline::Trace> trace() const { return m_trace; }
    void fit();
    int selectedSpan() const { return m_selected; }
    // The span under a point, or -1.
    int spanAt(const QPoint& point) const;

    QSize sizeHint() const override { return { 800, 300 }; }

signals:
    void spanSelected(int index);

protected:
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    bool event(QEvent* event) override;

private:
    double xOf(int64_t ns) const;
    int64_t nsAt(double x) const;
    QRectF spanRect(const timeline::Span& span) const;
    void paintAxis(QPainter& painter);
    void paintLegend(QPainter& painter);

    std::shared_ptr<const timeline::Trace> m_trace;
    int64_t m_viewStartNs = 0;
    double m_nsPerPixel = 1e6;
    int m_selected = -1;
    bool m_dragging = false;
    QPoint m_dragFrom;
    int64_t m_dragStartNs = 0;
};

} // namespace tt::gui
