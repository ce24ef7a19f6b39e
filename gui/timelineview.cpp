// SPDX-License-Identifier: MIT
#include "timelineview.h"

#include "qtext.h"

#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>
#include <vector>

namespace tt::gui {

namespace {

constexpr int kAxisHeight = 24;
constexpr int kLaneHeight = 22;
constexpr int kMargin = 8;
const QColor kErrorColor(0xd6, 0x45, 0x45);

QColor colorOf(timeline::SpanKind kind)
{
    using timeline::SpanKind;
    switch (kind) {
    case SpanKind::LlmCall:
        return QColor(0x3b, 0x82, 0xc4);
    case SpanKind::ToolCall:
        return QColor(0x3a, 0x9a, 0x5b);
    case SpanKind::Agent:
        return QColor(0x8e, 0x6c, 0xc0);
    case SpanKind::Run:
        return QColor(0x6b, 0x72, 0x80);
    case SpanKind::LogLine:
        return QColor(0xd9, 0x8b, 0x2b);
    case SpanKind::JournalEntry:
        return QColor(0x1f, 0x9e, 0xa8);
    default:
        return QColor(0x9c, 0xa3, 0xaf);
    }
}

QString formatDuration(int64_t ns)
{
    const double ms = double(ns) / 1e6;
    if (ns == 0)
        return QStringLiteral("0");
    if (ms < 1)
        return QStringLiteral("%1 µs").arg(double(ns) / 1e3, 0, 'f', 0);
    if (ms < 1000)
        return QStringLiteral("%1 ms").arg(ms, 0, 'f', 1);
    return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 2);
}

} // namespace

TimelineView::TimelineView(QWidget* parent)
    : QWidget(parent)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName(tr("Timeline"));
    setMinimumHeight(120);
}

void TimelineView::setTrace(std::shared_ptr<const timeline::Trace> trace)
{
    m_trace = std::move(trace);
    m_selected = -1;
    int depth = 0;
    if (m_trace)
        for (const auto& span : m_trace->spans)
            depth = std::max<int>(depth, span.depth);
    setMinimumHeight(kAxisHeight + 8 + (depth + 1) * kLaneHeight);
    fit();
}

void TimelineView::fit()
{
    if (m_trace) {
        const int64_t duration = std::max<int64_t>(m_trace->durationNs(), 1000);
        m_viewStartNs = m_trace->startNs - duration / 50;
        m_nsPerPixel = double(duration) * 1.04 / std::max(1, width() - 2 * kMargin);
    }
    update();
}

double TimelineView::xOf(int64_t ns) const
{
    return kMargin + double(ns - m_viewStartNs) / m_nsPerPixel;
}

int64_t TimelineView::nsAt(double x) const
{
    return m_viewStartNs + int64_t((x - kMargin) * m_nsPerPixel);
}

QRectF TimelineView::spanRect(const timeline::Span& span) const
{
    const double left = xOf(span.startNs);
    const double right = xOf(span.endNs);
    const double top = kAxisHeight + 4 + span.depth * kLaneHeight;
    // Two pixels at least, so that a 20 ms tool call stays visible beside 10 s LLM calls.
    return QRectF(left, top, std::max(2.0, right - left), kLaneHeight - 3);
}

int TimelineView::spanAt(const QPoint& point) const
{
    if (!m_trace)
        return -1;
    // Deepest span wins: iterate backwards over the sorted spans that start before the point.
    const int64_t t = nsAt(point.x());
    for (int i = int(m_trace->spans.size()) - 1; i >= 0; --i) {
        const auto& span = m_trace->spans[size_t(i)];
        if (span.startNs > t + int64_t(m_nsPerPixel * 2))
            continue;
        if (spanRect(span).adjusted(-1, 0, 1, 0).contains(point))
            return i;
    }
    return -1;
}

void TimelineView::paintAxis(QPainter& painter)
{
    painter.fillRect(QRect(0, 0, width(), kAxisHeight), palette().alternateBase());
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(0, kAxisHeight, width(), kAxisHeight);
    if (!m_trace)
        return;
    // A tick step of 1, 2 or 5 times a power of ten, about every 100 px.
    const double target = m_nsPerPixel * 100;
    const double power = std::pow(10.0, std::floor(std::log10(target)));
    double step = power;
    for (double factor : { 1.0, 2.0, 5.0, 10.0 })
        if (power * factor >= target) {
            step = power * factor;
            break;
        }
    const int64_t origin = m_trace->startNs;
    const double firstTick = std::ceil(double(nsAt(0) - origin) / step) * step;
    painter.setPen(palette().color(QPalette::Text));
    for (double t = firstTick; xOf(origin + int64_t(t)) < width(); t += step) {
        const double x = xOf(origin + int64_t(t));
        painter.drawLine(QPointF(x, kAxisHeight - 6), QPointF(x, kAxisHeight));
        painter.drawText(QPointF(x + 3, kAxisHeight - 8), formatDuration(int64_t(t)));
    }
}

// What the colours mean, in the bottom right corner.
void TimelineView::paintLegend(QPainter& painter)
{
    using timeline::SpanKind;
    const std::pair<QColor, QString> entries[] = {
        { colorOf(SpanKind::LlmCall), tr("LLM call") },
        { colorOf(SpanKind::ToolCall), tr("tool call") },
        { colorOf(SpanKind::Agent), tr("agent") },
        { colorOf(SpanKind::LogLine), tr("log line") },
        { colorOf(SpanKind::Other), tr("other") },
        { kErrorColor, tr("error") },
    };
    const QFontMetrics metrics(font());
    int x = width() - kMargin;
    const int y = height() - kMargin - metrics.height();
    painter.setPen(palette().color(QPalette::Text));
    for (auto it = std::rbegin(entries); it != std::rend(entries); ++it) {
        x -= metrics.horizontalAdvance(it->second);
        painter.drawText(QPoint(x, y + metrics.ascent()), it->second);
        x -= 14;
        painter.fillRect(QRect(x, y + 2, 10, metrics.height() - 4), it->first);
        x -= 14;
    }
}

void TimelineView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    paintAxis(painter);
    if (!m_trace) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(
            rect(), Qt::AlignCenter, tr("Open a trace file (Ctrl+O) or drop one here"));
        return;
    }
    paintLegend(painter);
    const auto& spans = m_trace->spans;
    const int64_t visibleEnd = nsAt(width());
    std::vector<int> lastPixel(64, -1);
    const QFontMetrics metrics(font());
    painter.setRenderHint(QPainter::Antialiasing, false);
    for (size_t i = 0; i < spans.size(); ++i) {
        const auto& span = spans[i];
        if (span.startNs > visibleEnd)
            break; // sorted by start: nothing further is visible
        if (span.endNs < m_viewStartNs)
            continue;
        const QRectF box = spanRect(span);
        if (box.top() > height())
            continue;
        // Several spans on one pixel of one lane draw once.
        if (box.width() <= 2.0) {
            if (lastPixel.size() <= span.depth)
                lastPixel.resize(span.depth + 1u, -1);
            if (int(box.left()) == lastPixel[span.depth])
                continue;
            lastPixel[span.depth] = int(box.left());
        }
        const auto kind = m_trace->spanKind(span);
        QColor fill = colorOf(kind);
        if (span.hasError())
            fill = kErrorColor;
        painter.fillRect(box, fill);
        if (int(i) == m_selected) {
            painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
            painter.drawRect(box.adjusted(1, 1, -1, -1));
        }
        if (box.width() > 30) {
            const QString label = toQString(m_trace->spanName(span)) + QStringLiteral("  ")
                + formatDuration(span.durationNs());
            painter.setPen(Qt::white);
            const QRectF textBox
                = box.adjusted(4, 0, -2, 0).intersected(QRectF(0, 0, width(), height()));
            painter.drawText(textBox, Qt::AlignVCenter | Qt::AlignLeft,
                metrics.elidedText(label, Qt::ElideRight, int(textBox.width())));
        }
    }
}

void TimelineView::wheelEvent(QWheelEvent* event)
{
    const double x = event->position().x();
    const int64_t anchor = nsAt(x);
    const double factor = std::pow(0.8, event->angleDelta().y() / 120.0);
    m_nsPerPixel = std::clamp(m_nsPerPixel * factor, 1.0, 1e12);
    m_viewStartNs = anchor - int64_t((x - kMargin) * m_nsPerPixel);
    update();
    event->accept();
}

void TimelineView::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_dragging = true;
    m_dragFrom = event->pos();
    m_dragStartNs = m_viewStartNs;
    const int hit = spanAt(event->pos());
    if (hit != m_selected) {
        m_selected = hit;
        emit spanSelected(hit);
        update();
    }
}

void TimelineView::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging)
        return;
    m_viewStartNs = m_dragStartNs - int64_t((event->pos().x() - m_dragFrom.x()) * m_nsPerPixel);
    update();
}

void TimelineView::mouseReleaseEvent(QMouseEvent*)
{
    m_dragging = false;
}

void TimelineView::mouseDoubleClickEvent(QMouseEvent*)
{
    fit();
}

void TimelineView::keyPressEvent(QKeyEvent* event)
{
    if (event->key() == Qt::Key_F) {
        fit();
        return;
    }
    QWidget::keyPressEvent(event);
}

bool TimelineView::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_trace) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int hit = spanAt(help->pos());
        if (hit < 0) {
            QToolTip::hideText();
            return true;
        }
        const auto& span = m_trace->spans[size_t(hit)];
        QString text = QStringLiteral("<b>%1</b> (%2)<br>%3")
                           .arg(toQString(m_trace->spanName(span)).toHtmlEscaped(),
                               toQString(timeline::toString(m_trace->spanKind(span))),
                               formatDuration(span.durationNs()));
        if (span.hasError())
            text += QStringLiteral("<br><span style='color:#d64545'>%1</span>")
                        .arg(toQString(m_trace->str(span.error)).left(300).toHtmlEscaped());
        QToolTip::showText(help->globalPos(), text, this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace tt::gui
