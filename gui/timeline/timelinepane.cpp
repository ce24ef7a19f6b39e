// SPDX-License-Identifier: MIT
#include "timelinepane.h"

#include "spanstyle.h"

#include "gui/qtext.h"

#include <QDateTime>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QPainterPath>
#include <QScrollBar>
#include <QToolTip>
#include <QWheelEvent>

#include <algorithm>
#include <climits>
#include <cmath>

namespace tt::gui {

namespace {

constexpr int kHeaderHeight = 22;
constexpr int kAxisHeight = 20;
constexpr int kLaneHeight = 18;
constexpr int kTopOfLanes = kHeaderHeight + kAxisHeight + 4;
constexpr int kRightMargin = 8;
constexpr double kMinMark = 2.0; // a span never shrinks below two pixels
// An unfinished span is drawn at least this wide, so that its hatching and its click target
// show even when it started at the trace's last record.
constexpr double kMinUnfinished = 12.0;

// A tick step of 1, 2 or 5 times a power of ten, about every 100 px.
double tickStep(double nsPerPixel)
{
    const double target = nsPerPixel * 100;
    const double power = std::pow(10.0, std::floor(std::log10(target)));
    for (double factor : { 1.0, 2.0, 5.0, 10.0 })
        if (power * factor >= target)
            return power * factor;
    return power * 10;
}

void drawInstant(QPainter& painter, double x, double top, const QColor& color)
{
    const double mid = top + (kLaneHeight - 3) / 2.0;
    QPainterPath diamond;
    diamond.moveTo(x, mid - 5);
    diamond.lineTo(x + 4, mid);
    diamond.lineTo(x, mid + 5);
    diamond.lineTo(x - 4, mid);
    diamond.closeSubpath();
    painter.fillPath(diamond, color);
}

} // namespace

TimelinePane::TimelinePane(int side, ViewController* controller, QWidget* parent)
    : QWidget(parent)
    , m_side(side)
    , m_controller(controller)
    , m_scroll(new QScrollBar(Qt::Vertical, this))
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Maximum);
    m_scroll->hide();
    connect(m_scroll, &QScrollBar::valueChanged, this, &TimelinePane::setFirstLane);
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);
    setAccessibleName(side == 0 ? tr("Left timeline") : tr("Right timeline"));
    m_placeholder = tr("Pick a run in the browser, or open a trace (Ctrl+O)");
    m_sideLabel = side == 0 ? tr("LEFT") : tr("RIGHT");
    connect(m_controller, &ViewController::viewChanged, this, qOverload<>(&QWidget::update));
    connect(m_controller, &ViewController::selectionChanged, this, qOverload<>(&QWidget::update));
    connect(m_controller, &ViewController::filterChanged, this, qOverload<>(&QWidget::update));
}

void TimelinePane::setRun(std::shared_ptr<const PaneRun> run)
{
    m_run = std::move(run);
    m_highlightedStep = -1;
    m_firstLane = 0;
    m_scroll->setValue(0);
    updateGeometry();
    resizeEvent(nullptr);
    update();
}

void TimelinePane::setFirstLane(int lane)
{
    lane = std::clamp(lane, 0, std::max(0, laneCount() - 1));
    if (lane == m_firstLane)
        return;
    m_firstLane = lane;
    m_scroll->setValue(lane);
    update();
}

void TimelinePane::resizeEvent(QResizeEvent*)
{
    const int visible = std::max(1, (height() - kTopOfLanes) / kLaneHeight);
    const int hidden = laneCount() - visible;
    m_scroll->setVisible(hidden > 0);
    m_scroll->setRange(0, std::max(0, hidden));
    m_scroll->setPageStep(visible);
    m_scroll->setGeometry(width() - 12, kTopOfLanes, 12, height() - kTopOfLanes);
    if (hidden <= 0)
        setFirstLane(0);
}

void TimelinePane::setTimeMap(const timeline::TimeMap& map)
{
    m_map = map;
    update();
}

void TimelinePane::setAxisLabels(AxisLabels labels)
{
    m_axisLabels = labels;
    update();
}

QString TimelinePane::axisLabel(int64_t displayNs) const
{
    const int64_t runNs = m_map.toRun(displayNs);
    if (m_axisLabels == AxisLabels::WallClock)
        return QDateTime::fromMSecsSinceEpoch(runNs / 1'000'000)
            .toString(QStringLiteral("HH:mm:ss.zzz"));
    return formatDuration(m_run ? runNs - m_run->run.startNs() : displayNs);
}

void TimelinePane::focusInEvent(QFocusEvent* event)
{
    QWidget::focusInEvent(event);
    update();
}

void TimelinePane::focusOutEvent(QFocusEvent* event)
{
    QWidget::focusOutEvent(event);
    update();
}

void TimelinePane::setHighlightedStep(int step)
{
    m_highlightedStep = step;
    update();
}

void TimelinePane::setSideLabel(const QString& label)
{
    m_sideLabel = label;
    update();
}

void TimelinePane::setPlaceholder(const QString& text)
{
    m_placeholder = text;
    update();
}

int TimelinePane::laneCount() const
{
    return m_run ? int(m_run->lanes.lanes.size()) : 0;
}

QSize TimelinePane::sizeHint() const
{
    return { 900, kTopOfLanes + std::max(4, laneCount()) * kLaneHeight + 6 };
}

QSize TimelinePane::minimumSizeHint() const
{
    return { 300, kTopOfLanes + std::min(4, std::max(2, laneCount())) * kLaneHeight + 6 };
}

double TimelinePane::xOfDisplay(int64_t displayNs) const
{
    return kLabelWidth + m_controller->xOf(displayNs);
}

int TimelinePane::laneTop(int lane) const
{
    return kTopOfLanes + (lane - m_firstLane) * kLaneHeight;
}

int TimelinePane::laneAtY(int y) const
{
    if (y < kTopOfLanes)
        return -1;
    const int lane = (y - kTopOfLanes) / kLaneHeight + m_firstLane;
    return lane < laneCount() ? lane : -1;
}

QRectF TimelinePane::spanRect(int track, int span) const
{
    if (!m_run)
        return {};
    const auto& lanes = m_run->lanes.lanes;
    for (size_t l = 0; l < lanes.size(); ++l) {
        if (lanes[l].track != track)
            continue;
        if (std::find(lanes[l].spans.begin(), lanes[l].spans.end(), span) == lanes[l].spans.end())
            continue;
        const auto& sourceTrack = m_run->run.tracks()[size_t(track)];
        const auto& s = sourceTrack.trace->spans[size_t(span)];
        const double left = xOfDisplay(displayOf(s.startNs + sourceTrack.offsetNs));
        const double right = xOfDisplay(displayOf(s.endNs + sourceTrack.offsetNs));
        const double least = s.unfinished() ? kMinUnfinished : kMinMark;
        return QRectF(left, laneTop(int(l)), std::max(least, right - left), kLaneHeight - 3);
    }
    return {};
}

SpanRef TimelinePane::spanAt(const QPoint& point) const
{
    const int laneIndex = laneAtY(point.y());
    if (!m_run || laneIndex < 0 || point.x() < kLabelWidth)
        return {};
    const auto& lane = m_run->lanes.lanes[size_t(laneIndex)];
    const auto& track = m_run->run.tracks()[size_t(lane.track)];
    const auto& trace = *track.trace;
    // Three pixels of slack either side, so that thin spans and instants can be hit.
    const double x = point.x() - kLabelWidth;
    const int64_t from = m_map.toRun(m_controller->displayAt(x - 4)) - track.offsetNs;
    const int64_t to = m_map.toRun(m_controller->displayAt(x + 4)) - track.offsetNs;
    const int64_t at = m_map.toRun(m_controller->displayAt(x)) - track.offsetNs;
    SpanRef best;
    int64_t bestDistance = INT64_MAX;
    for (size_t i = lane.firstEndingAfter(trace, from); i < lane.spans.size(); ++i) {
        const auto& span = trace.spans[size_t(lane.spans[i])];
        if (span.startNs > to)
            break;
        const int64_t distance = at < span.startNs ? span.startNs - at
            : at > span.endNs                      ? at - span.endNs
                                                   : 0;
        if (distance < bestDistance) {
            bestDistance = distance;
            best = { m_side, lane.track, lane.spans[i] };
        }
    }
    return best;
}

void TimelinePane::paintHeader(QPainter& painter)
{
    painter.fillRect(QRect(0, 0, width(), kHeaderHeight), palette().window());
    QFont bold = font();
    bold.setBold(true);
    painter.setFont(bold);
    painter.setPen(palette().color(QPalette::WindowText));
    QString text = m_sideLabel;
    if (m_run) {
        text += QStringLiteral("  ") + m_run->title;
        const int64_t duration = m_run->run.endNs() - m_run->run.startNs();
        text += QStringLiteral("  ·  ") + formatDuration(duration);
        if (!m_run->outcome.isEmpty())
            text += QStringLiteral("  ·  ") + m_run->outcome;
    }
    const QRect box(6, 0, width() - 12, kHeaderHeight);
    painter.drawText(box, Qt::AlignVCenter | Qt::AlignLeft,
        QFontMetrics(bold).elidedText(text, Qt::ElideRight, box.width()));
    if (m_run && !m_run->outcome.isEmpty()) {
        // A coloured dot at the start: green for a success, red for a failure.
        painter.setRenderHint(QPainter::Antialiasing, true);
        painter.setBrush(m_run->failed ? errorColor() : QColor(0x3a, 0x9a, 0x5b));
        painter.setPen(Qt::NoPen);
        painter.drawEllipse(QPointF(width() - 14, kHeaderHeight / 2.0), 5, 5);
        painter.setRenderHint(QPainter::Antialiasing, false);
    }
    painter.setFont(font());
}

void TimelinePane::paintAxis(QPainter& painter)
{
    const QRect axis(0, kHeaderHeight, width(), kAxisHeight);
    painter.fillRect(axis, palette().alternateBase());
    painter.setPen(palette().color(QPalette::Mid));
    painter.drawLine(axis.bottomLeft(), axis.bottomRight());
    const double step = tickStep(m_controller->nsPerPixel());
    const double first = std::ceil(double(m_controller->displayAt(0)) / step) * step;
    painter.setPen(palette().color(QPalette::Text));
    // Counted ticks: with huge display times a double step can stop advancing.
    for (int tick = 0; tick < 200; ++tick) {
        const double t = first + tick * step;
        const double x = xOfDisplay(int64_t(t));
        if (x >= width())
            break;
        painter.drawLine(QPointF(x, axis.bottom() - 5), QPointF(x, axis.bottom()));
        painter.drawText(QPointF(x + 3, axis.bottom() - 6), axisLabel(int64_t(t)));
    }
}

void TimelinePane::paintLane(QPainter& painter, size_t laneIndex, const QFontMetrics& metrics)
{
    const auto& lane = m_run->lanes.lanes[laneIndex];
    const auto& track = m_run->run.tracks()[size_t(lane.track)];
    const auto& trace = *track.trace;
    const double top = laneTop(int(laneIndex));
    const double areaRight = width() - kRightMargin;
    const double areaWidth = areaRight - kLabelWidth;
    // The visible part of the lane, in the trace's own time.
    const int64_t from = m_map.toRun(m_controller->displayAt(-kMinMark)) - track.offsetNs;
    const int64_t to = m_map.toRun(m_controller->displayAt(areaWidth)) - track.offsetNs;
    const SpanFilter& filter = m_controller->filter();
    const SpanRef selected = m_controller->selectedSpan();
    const bool filtering = filter.isActive();
    const auto xOfRun
        = [&](int64_t traceNs) { return xOfDisplay(m_map.toDisplay(traceNs + track.offsetNs)); };

    size_t i = lane.firstEndingAfter(trace, from);
    while (i < lane.spans.size()) {
        const int32_t index = lane.spans[i];
        const auto& span = trace.spans[size_t(index)];
        if (span.startNs > to)
            break;
        const double x0 = xOfRun(span.startNs);
        const double x1 = xOfRun(span.endNs);
        QColor color = spanColor(trace, span);
        size_t next = i + 1;
        const bool unfinished = span.unfinished();
        QRectF box(
            x0, top, std::max(unfinished ? kMinUnfinished : kMinMark, x1 - x0), kLaneHeight - 3);
        if (x1 - x0 < kMinMark && !unfinished) {
            // The spans that also end within the next two pixels become one mark. A lane's
            // spans do not overlap, so their ends are sorted and one binary search finds them.
            const int64_t nextPixel
                = m_map.toRun(m_controller->displayAt(std::floor(x0 - kLabelWidth) + kMinMark))
                - track.offsetNs;
            next = std::max(i + 1, lane.firstEndingAfter(trace, nextPixel));
            if (next > i + 1 && lane.hasErrorIn(i, next))
                color = errorColor();
        }
        // Dimmed unless something in the mark matches the filter (only then is the mark's
        // content read span by span).
        bool matches = !filtering;
        for (size_t k = i; !matches && k < next; ++k)
            matches = filter.matches(trace, trace.spans[size_t(lane.spans[k])]);
        if (!matches)
            color.setAlpha(45);
        const QRectF visible
            = box.intersected(QRectF(kLabelWidth, top, areaWidth + 2, kLaneHeight));
        if (span.durationNs() == 0 && next == i + 1 && !unfinished)
            drawInstant(painter, x0, top, color);
        else
            painter.fillRect(visible, color);
        if (unfinished) // hatched: it started and never ended
            painter.fillRect(visible, QBrush(QColor(255, 255, 255, 150), Qt::BDiagPattern));
        const bool selectedHere = selected.side == m_side && selected.track == lane.track
            && selected.span >= index && selected.span <= lane.spans[next - 1]
            && std::binary_search(
                lane.spans.begin() + long(i), lane.spans.begin() + long(next), selected.span);
        if (selectedHere) {
            // An outline only: the span keeps the colour that says how it ended.
            painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
            painter.setBrush(Qt::NoBrush);
            painter.drawRect(box.adjusted(-1, -1, 1, 1));
        }
        if (box.width() > 36) {
            const QString label = toQString(trace.spanName(span)) + QStringLiteral("  ")
                + (unfinished ? tr("did not finish") : formatDuration(span.durationNs()));
            const QRectF text = box.adjusted(4, 0, -2, 0)
                                    .intersected(QRectF(kLabelWidth, top, areaWidth, kLaneHeight));
            painter.setPen(color.lightness() > 170 ? QColor(0x20, 0x20, 0x20) : Qt::white);
            painter.drawText(text, Qt::AlignVCenter | Qt::AlignLeft,
                metrics.elidedText(label, Qt::ElideRight, int(text.width())));
        }
        i = next;
    }
}

void TimelinePane::paintLaneTitles(QPainter& painter)
{
    const auto& lanes = m_run->lanes.lanes;
    painter.fillRect(QRect(0, kTopOfLanes - 4, kLabelWidth - 4, height()), palette().window());
    for (size_t l = size_t(m_firstLane); l < lanes.size(); ++l) {
        const int top = laneTop(int(l));
        if (top > height())
            break;
        if (lanes[l].title.empty() && l != size_t(m_firstLane))
            continue;
        painter.setPen(palette().color(QPalette::Mid));
        if (l > 0)
            painter.drawLine(0, top - 1, width(), top - 1);
        painter.setPen(palette().color(QPalette::WindowText));
        // A scrolled block keeps its title on its first visible lane.
        std::string title = lanes[l].title;
        for (size_t up = l; title.empty() && up-- > 0;)
            title = lanes[up].title;
        painter.drawText(QRect(6, top, kLabelWidth - 12, kLaneHeight - 2),
            Qt::AlignVCenter | Qt::AlignLeft, toQString(title));
    }
}

void TimelinePane::paintKillMarks(QPainter& painter)
{
    // Only where the moment is known: a durable run's process is killed and started again, and
    // its traces do not say when (its unfinished spans and its title say that it was).
    const std::optional<int64_t> killedAt = m_run->run.killedAt();
    if (!killedAt)
        return;
    const double x = xOfDisplay(displayOf(*killedAt));
    const auto& tracks = m_run->run.tracks();
    const auto& lanes = m_run->lanes.lanes;
    const QColor red = errorColor();
    bool labelled = false;
    for (size_t l = size_t(m_firstLane); l < lanes.size(); ++l) {
        const int top = laneTop(int(l));
        if (top > height())
            break;
        const auto& trace = *tracks[size_t(lanes[l].track)].trace;
        if (std::none_of(lanes[l].spans.begin(), lanes[l].spans.end(),
                [&](int32_t s) { return trace.spans[size_t(s)].unfinished(); }))
            continue;
        // A cross at the kill point on each lane that holds work it cut short; once per pane,
        // what it means.
        const double mid = top + (kLaneHeight - 3) / 2.0;
        painter.setPen(QPen(red, 2));
        painter.drawLine(QPointF(x, top), QPointF(x, top + kLaneHeight - 3));
        painter.drawLine(QPointF(x - 4, mid - 4), QPointF(x + 4, mid + 4));
        painter.drawLine(QPointF(x - 4, mid + 4), QPointF(x + 4, mid - 4));
        if (labelled)
            continue;
        labelled = true;
        const QString text = tr("process killed");
        const int textWidth = QFontMetrics(font()).horizontalAdvance(text);
        const bool fitsRight = x + 8 + textWidth < width() - kRightMargin;
        // On a plate of the background: the label may lie over the red span it explains.
        const QRectF plate(
            fitsRight ? x + 6 : x - 10 - textWidth, top, textWidth + 4, kLaneHeight - 3);
        painter.fillRect(plate, palette().base());
        painter.drawText(plate.adjusted(2, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
}

std::vector<QRectF> TimelinePane::outageRects() const
{
    std::vector<QRectF> rects;
    if (!m_run || m_run->run.outages().empty())
        return rects;
    const auto& lanes = m_run->lanes.lanes;
    int top = INT_MAX, bottom = INT_MIN;
    for (size_t l = size_t(m_firstLane); l < lanes.size(); ++l) {
        if (lanes[l].group != timeline::LaneGroup::Lifecycle
            && lanes[l].group != timeline::LaneGroup::Journal)
            continue;
        top = std::min(top, laneTop(int(l)));
        bottom = std::max(bottom, laneTop(int(l)) + kLaneHeight - 3);
    }
    if (top == INT_MAX)
        return rects;
    for (const timeline::Outage& outage : m_run->run.outages()) {
        const double x0 = xOfDisplay(displayOf(outage.startNs));
        const double x1 = xOfDisplay(displayOf(outage.endNs));
        rects.emplace_back(x0, top, std::max(2.0, x1 - x0), bottom - top);
    }
    return rects;
}

void TimelinePane::paintOutages(QPainter& painter)
{
    const auto rects = outageRects();
    const auto& outages = m_run->run.outages();
    const QColor red = errorColor();
    for (size_t i = 0; i < rects.size(); ++i) {
        const QRectF& band = rects[i];
        // Over the spans, see-through: what Restate recorded around the outage stays readable.
        QColor fill = red;
        fill.setAlpha(40);
        painter.fillRect(band, fill);
        QColor hatch = red;
        hatch.setAlpha(110);
        painter.fillRect(band, QBrush(hatch, Qt::BDiagPattern));
        painter.setPen(QPen(red, 1.5));
        painter.drawLine(band.topLeft(), band.bottomLeft());
        painter.drawLine(band.topRight(), band.bottomRight());
        const auto& outage = outages[i];
        const QString text = QStringLiteral("%1 %2 s")
                                 .arg(QString::fromStdString(outage.what))
                                 .arg(double(outage.endNs - outage.startNs) / 1e9, 0, 'f', 1);
        const int textWidth = QFontMetrics(font()).horizontalAdvance(text);
        // Inside the band when it is wide enough (nothing of Restate's to cover there), else
        // beside it.
        const bool fitsInside = band.width() > textWidth + 12;
        const bool fitsRight = band.right() + 6 + textWidth < width() - kRightMargin;
        const double plateLeft = fitsInside ? band.left() + 4
            : fitsRight                     ? band.right() + 4
                                            : band.left() - 8 - textWidth;
        const QRectF plate(plateLeft, band.top(), textWidth + 4, kLaneHeight - 3);
        painter.fillRect(plate, palette().base());
        painter.setPen(red);
        painter.drawText(plate.adjusted(2, 0, 0, 0), Qt::AlignVCenter | Qt::AlignLeft, text);
    }
}

void TimelinePane::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    paintHeader(painter);
    paintAxis(painter);
    if (!m_run) {
        painter.setPen(palette().color(QPalette::PlaceholderText));
        painter.drawText(rect().adjusted(0, kTopOfLanes, 0, 0), Qt::AlignCenter, m_placeholder);
        return;
    }
    paintLaneTitles(painter);
    painter.setClipRect(QRect(kLabelWidth, kTopOfLanes - 2, width() - kLabelWidth, height()));
    const QFontMetrics metrics(font());
    const auto& lanes = m_run->lanes.lanes;
    for (size_t l = size_t(m_firstLane); l < lanes.size(); ++l) {
        if (laneTop(int(l)) > height())
            break;
        paintLane(painter, l, metrics);
    }
    paintOutages(painter);
    paintKillMarks(painter);
    if (hasFocus()) { // where the keys go (zoom, pan, fit)
        painter.setClipping(false);
        painter.setPen(QPen(palette().color(QPalette::Highlight), 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRect(QRectF(rect()).adjusted(1, 1, -1, -1));
        painter.setClipRect(QRect(kLabelWidth, kTopOfLanes - 2, width() - kLabelWidth, height()));
    }
    // The selected aligned row: its step's attempts outlined, on this side.
    if (m_highlightedStep >= 0 && m_highlightedStep < int(m_run->steps.size())) {
        const auto& step = m_run->steps[size_t(m_highlightedStep)]; // on the run's clock
        const double x0 = xOfDisplay(displayOf(step.startNs));
        const double x1 = xOfDisplay(displayOf(step.endNs));
        painter.fillRect(QRectF(x0, kTopOfLanes - 2, std::max(2.0, x1 - x0), height()),
            QColor(0xfb, 0xbf, 0x24, 40));
    }
}

void TimelinePane::wheelEvent(QWheelEvent* event)
{
    const double notches = event->angleDelta().y() / 120.0;
    if (event->position().x() < kLabelWidth || (event->modifiers() & Qt::AltModifier)) {
        // Over the lane titles the wheel scrolls the lanes.
        setFirstLane(m_firstLane - int(std::round(notches * 3)));
        event->accept();
        return;
    }
    if (event->modifiers() & Qt::ShiftModifier)
        m_controller->panBy(-notches * 80);
    else
        m_controller->zoomAt(std::pow(0.8, notches), event->position().x() - kLabelWidth);
    event->accept();
}

void TimelinePane::mousePressEvent(QMouseEvent* event)
{
    if (event->button() != Qt::LeftButton)
        return;
    m_dragging = true;
    m_dragged = false;
    m_dragFrom = event->pos();
}

void TimelinePane::mouseMoveEvent(QMouseEvent* event)
{
    if (!m_dragging)
        return;
    const int dx = event->pos().x() - m_dragFrom.x();
    if (!m_dragged && std::abs(dx) < 3)
        return;
    m_dragged = true;
    m_controller->panBy(-dx);
    m_dragFrom = event->pos();
}

void TimelinePane::mouseReleaseEvent(QMouseEvent* event)
{
    if (m_dragging && !m_dragged && event->button() == Qt::LeftButton)
        m_controller->selectSpan(spanAt(event->pos()));
    m_dragging = false;
}

void TimelinePane::mouseDoubleClickEvent(QMouseEvent*)
{
    emit fitRequested();
}

void TimelinePane::keyPressEvent(QKeyEvent* event)
{
    const double middle = (width() - kLabelWidth) / 2.0;
    switch (event->key()) {
    case Qt::Key_F:
    case Qt::Key_Home:
        emit fitRequested();
        return;
    case Qt::Key_Plus:
    case Qt::Key_Equal:
        m_controller->zoomAt(0.5, middle);
        return;
    case Qt::Key_Minus:
        m_controller->zoomAt(2.0, middle);
        return;
    case Qt::Key_Left:
        m_controller->panBy(-width() / 8.0);
        return;
    case Qt::Key_Right:
        m_controller->panBy(width() / 8.0);
        return;
    case Qt::Key_Backspace:
        m_controller->back();
        return;
    default:
        QWidget::keyPressEvent(event);
    }
}

QString TimelinePane::tooltipFor(const SpanRef& ref) const
{
    const auto& track = m_run->run.tracks()[size_t(ref.track)];
    const auto& trace = *track.trace;
    const auto& span = trace.spans[size_t(ref.span)];
    QString text
        = tr("<b>%1</b> — %2, %3<br>%4 after the run's start, lasted %5")
              .arg(toQString(trace.spanName(span)).toHtmlEscaped(),
                  toQString(timeline::toString(trace.spanKind(span))),
                  toQString(timeline::toString(trace.source)),
                  formatDuration(span.startNs + track.offsetNs - m_run->run.startNs()),
                  span.unfinished()
                      ? tr("at least %1 (did not finish)").arg(formatDuration(span.durationNs()))
                      : formatDuration(span.durationNs()));
    if (span.unfinished())
        text += tr("<br><span style='color:#d64545'>started, never ended: killed, still "
                   "running, or its end was lost</span>");
    else if (span.hasError())
        text += QStringLiteral("<br><span style='color:#d64545'>%1</span>")
                    .arg(toQString(trace.str(span.error)).left(300).toHtmlEscaped());
    return text;
}

bool TimelinePane::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip && m_run) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const SpanRef hit = spanAt(help->pos());
        if (!hit.isValid()) {
            QToolTip::hideText();
            return true;
        }
        QToolTip::showText(help->globalPos(), tooltipFor(hit), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace tt::gui
