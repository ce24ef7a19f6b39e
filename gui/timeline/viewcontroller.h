// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/span.h"

#include <QObject>
#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace tt::timeline {
struct Trace;
}

namespace tt::gui {

// What the search box and the filter buttons ask for; spans that do not match are dimmed.
struct SpanFilter
{
    QString text; // case-insensitive, in the span's name
    bool errorsOnly = false;
    std::optional<timeline::SpanKind> kind;

    bool isActive() const { return !text.isEmpty() || errorsOnly || kind.has_value(); }
    bool matches(const timeline::Trace& trace, const timeline::Span& span) const;
};

// A span on one side of the pair: which pane (0 = left/top, 1 = right/bottom), which track of
// its run, which span of that track's trace.
struct SpanRef
{
    int side = -1;
    int track = -1;
    int span = -1;
    bool isValid() const { return side >= 0 && track >= 0 && span >= 0; }
    bool operator==(const SpanRef& other) const
    {
        return side == other.side && track == other.track && span == other.span;
    }
};

// The one zoom, selection and filter state both panes and the gutter read (Qt Creator's tracing
// library keeps zoom and selection out of the views the same way). Time here is display time:
// each pane maps its run onto it with its own TimeMap.
class ViewController : public QObject
{
    Q_OBJECT
public:
    explicit ViewController(QObject* parent = nullptr);

    int64_t viewStartNs() const { return m_viewStartNs; }
    double nsPerPixel() const { return m_nsPerPixel; }
    double xOf(int64_t displayNs) const { return double(displayNs - m_viewStartNs) / m_nsPerPixel; }
    int64_t displayAt(double x) const { return m_viewStartNs + int64_t(x * m_nsPerPixel); }

    // Shows [startNs, endNs] across widthPx pixels, with a small margin.
    void fit(int64_t startNs, int64_t endNs, int widthPx);
    // Zooms by factor (< 1 zooms in) keeping the time under x (pixels into the time area) still.
    void zoomAt(double factor, double x);
    void panBy(double pixels);
    void setView(int64_t startNs, double nsPerPixel);
    // Back to the view before the last zoom, pan or fit; false when there is none.
    bool back();
    int historySize() const { return int(m_history.size()); }

    SpanRef selectedSpan() const { return m_selectedSpan; }
    void selectSpan(const SpanRef& span);
    int selectedRow() const { return m_selectedRow; } // aligned row, -1 for none
    // A row picked in the gutter or the table: the span selection goes, unless keepSpan (the
    // pair view selecting the row of the span just clicked).
    void selectRow(int row, bool keepSpan = false);
    // Nothing selected (new runs shown), one signal.
    void clearSelection();

    const SpanFilter& filter() const { return m_filter; }
    void setFilter(const SpanFilter& filter);

signals:
    void viewChanged();
    void selectionChanged();
    void filterChanged();

private:
    void remember();

    int64_t m_viewStartNs = 0;
    double m_nsPerPixel = 1e6;
    std::vector<std::pair<int64_t, double>> m_history;
    qint64 m_lastRememberedMs = 0;
    SpanRef m_selectedSpan;
    int m_selectedRow = -1;
    SpanFilter m_filter;
};

} // namespace tt::gui
