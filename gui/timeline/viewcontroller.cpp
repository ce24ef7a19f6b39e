// SPDX-License-Identifier: MIT
#include "viewcontroller.h"

#include "gui/qtext.h"
#include "importers/timeline/trace.h"

#include <QDateTime>

#include <algorithm>

namespace tt::gui {

namespace {
// Wheel notches and drags closer together than this are one step of the zoom history.
constexpr qint64 kHistoryGapMs = 600;
constexpr size_t kHistoryLimit = 100;
} // namespace

bool SpanFilter::matches(const timeline::Trace& trace, const timeline::Span& span) const
{
    if (errorsOnly && !span.hasError())
        return false;
    if (kind && trace.spanKind(span) != *kind)
        return false;
    return text.isEmpty() || toQString(trace.spanName(span)).contains(text, Qt::CaseInsensitive);
}

ViewController::ViewController(QObject* parent)
    : QObject(parent)
{ }

void ViewController::remember()
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    if (now - m_lastRememberedMs > kHistoryGapMs) {
        m_history.emplace_back(m_viewStartNs, m_nsPerPixel);
        if (m_history.size() > kHistoryLimit)
            m_history.erase(m_history.begin());
    }
    m_lastRememberedMs = now;
}

void ViewController::fit(int64_t startNs, int64_t endNs, int widthPx)
{
    const int64_t duration = std::max<int64_t>(endNs - startNs, 1000);
    m_lastRememberedMs = 0; // a fit is always its own step...
    remember();
    m_viewStartNs = startNs - duration / 50;
    m_nsPerPixel = double(duration) * 1.04 / std::max(1, widthPx);
    m_lastRememberedMs = 0; // ...and so is the first zoom after it
    emit viewChanged();
}

void ViewController::zoomAt(double factor, double x)
{
    const int64_t anchor = displayAt(x);
    remember();
    m_nsPerPixel = std::clamp(m_nsPerPixel * factor, 0.01, 1e13);
    m_viewStartNs = anchor - int64_t(x * m_nsPerPixel);
    emit viewChanged();
}

void ViewController::panBy(double pixels)
{
    remember();
    m_viewStartNs += int64_t(pixels * m_nsPerPixel);
    emit viewChanged();
}

void ViewController::setView(int64_t startNs, double nsPerPixel)
{
    m_viewStartNs = startNs;
    m_nsPerPixel = std::clamp(nsPerPixel, 0.01, 1e13);
    emit viewChanged();
}

bool ViewController::back()
{
    if (m_history.empty())
        return false;
    std::tie(m_viewStartNs, m_nsPerPixel) = m_history.back();
    m_history.pop_back();
    m_lastRememberedMs = 0;
    emit viewChanged();
    return true;
}

void ViewController::selectSpan(const SpanRef& span)
{
    if (span == m_selectedSpan)
        return;
    m_selectedSpan = span;
    emit selectionChanged();
}

void ViewController::selectRow(int row, bool keepSpan)
{
    const bool dropSpan = !keepSpan && m_selectedSpan.isValid();
    if (row == m_selectedRow && !dropSpan)
        return;
    m_selectedRow = row;
    if (dropSpan)
        m_selectedSpan = {};
    emit selectionChanged();
}

void ViewController::clearSelection()
{
    if (m_selectedRow < 0 && !m_selectedSpan.isValid())
        return;
    m_selectedRow = -1;
    m_selectedSpan = {};
    emit selectionChanged();
}

void ViewController::setFilter(const SpanFilter& filter)
{
    m_filter = filter;
    emit filterChanged();
}

} // namespace tt::gui
