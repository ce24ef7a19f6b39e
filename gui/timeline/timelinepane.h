// SPDX-License-Identifier: MIT
#pragma once

#include "panerun.h"
#include "viewcontroller.h"

#include "importers/timeline/timemap.h"

#include <QWidget>

class QScrollBar;

#include <memory>

namespace tt::gui {

// What the ruler's ticks say. Since the run's start: each pane's own elapsed time at that x
// (also when "aligned by step" stretches the display, so a stretched run is not read as a
// longer one); wall clock: the time of day, when both runs share one clock.
enum class AxisLabels
{
    SinceRunStart,
    WallClock,
};

// One run's timeline: a title strip, a time axis, and its lanes (one block per source, titled in
// a column on the left). Zoom, pan, selection and filter live in the shared ViewController, so
// two panes move together. Painting reads only the visible part of each lane (binary search) and
// draws a run of sub-pixel spans as one mark, red when any of them failed.
class TimelinePane : public QWidget
{
    Q_OBJECT
public:
    static constexpr int kLabelWidth = 150;

    TimelinePane(int side, ViewController* controller, QWidget* parent = nullptr);

    void setRun(std::shared_ptr<const PaneRun> run);
    std::shared_ptr<const PaneRun> run() const { return m_run; }
    void setTimeMap(const timeline::TimeMap& map);
    void setAxisLabels(AxisLabels labels);
    // The ruler's text at a display time.
    QString axisLabel(int64_t displayNs) const;
    const timeline::TimeMap& timeMap() const { return m_map; }
    // The step indices (into run()->steps) to outline, from the selected aligned row.
    void setHighlightedStep(int step);
    void setPlaceholder(const QString& text);
    // The word the title strip starts with (LEFT, RIGHT).
    void setSideLabel(const QString& label);

    // Display time of a run time, and the x of a display time in this widget.
    int64_t displayOf(int64_t runNs) const { return m_map.toDisplay(runNs); }
    double xOfDisplay(int64_t displayNs) const;
    // The span under a point (its side is this pane's), or an invalid ref.
    SpanRef spanAt(const QPoint& point) const;
    // Where a span is drawn, for tests and the gutter.
    QRectF spanRect(int track, int span) const;
    int laneCount() const;
    // Where Restate's outages are drawn: one band per outage over the visible Restate lanes
    // (lifecycle and journal), in the run's order; empty without either.
    std::vector<QRectF> outageRects() const;
    // The first lane shown (lanes scroll when the pane is shorter than they are).
    int firstLane() const { return m_firstLane; }
    void setFirstLane(int lane);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void fitRequested();

protected:
    void resizeEvent(QResizeEvent* event) override;
    void paintEvent(QPaintEvent* event) override;
    void wheelEvent(QWheelEvent* event) override;
    void mousePressEvent(QMouseEvent* event) override;
    void mouseMoveEvent(QMouseEvent* event) override;
    void mouseReleaseEvent(QMouseEvent* event) override;
    void mouseDoubleClickEvent(QMouseEvent* event) override;
    void keyPressEvent(QKeyEvent* event) override;
    void focusInEvent(QFocusEvent* event) override;
    void focusOutEvent(QFocusEvent* event) override;
    bool event(QEvent* event) override;

private:
    int laneTop(int lane) const;
    int laneAtY(int y) const;
    void paintHeader(QPainter& painter);
    void paintAxis(QPainter& painter);
    void paintLane(QPainter& painter, size_t laneIndex, const QFontMetrics& metrics);
    void paintLaneTitles(QPainter& painter);
    // Where a killed run's process died: a red cross on the lanes of its unfinished spans.
    void paintKillMarks(QPainter& painter);
    // restate-server down (the run's stored outage): a hatched band over the Restate lanes.
    void paintOutages(QPainter& painter);
    QString tooltipFor(const SpanRef& ref) const;

    int m_side = 0;
    ViewController* m_controller = nullptr;
    std::shared_ptr<const PaneRun> m_run;
    timeline::TimeMap m_map = timeline::TimeMap::shifted(0);
    int m_highlightedStep = -1;
    AxisLabels m_axisLabels = AxisLabels::SinceRunStart;
    QString m_placeholder;
    QString m_sideLabel;
    QScrollBar* m_scroll;
    int m_firstLane = 0;
    bool m_dragging = false;
    bool m_dragged = false;
    QPoint m_dragFrom;
};

} // namespace tt::gui
