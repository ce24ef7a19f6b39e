// SPDX-License-Identifier: MIT
#include "cellview.h"

#include "spanstyle.h"

#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>
#include <cmath>

namespace tt::gui {

namespace {
constexpr int kRowHeight = 26;
constexpr int kReasonHeight = 18; // an outlier's reason, on a line of its own under its bars
constexpr int kTitle = 26;
constexpr int kColumns = 34; // the step names over their columns, on two lines
constexpr int kMinLabelWidth = 260;
constexpr int kMargin = 12;

QColor outlierColor()
{
    return QColor(0xc0, 0x39, 0x2b);
}

// A round length for the scale bar, about a tenth of the axis.
int64_t scaleStep(int64_t lengthNs)
{
    const double target = double(lengthNs) / 8;
    double unit = 1e6; // 1 ms
    for (double base = 1e6; base <= 1e12; base *= 10)
        for (double m : { 1.0, 2.0, 5.0 })
            if (base * m <= target)
                unit = base * m;
    return int64_t(unit);
}
} // namespace

CellView::CellView(QWidget* parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Every run of the cell"));
}

void CellView::setCell(QString title, engine::CellSpread spread)
{
    m_title = std::move(title);
    m_spread = std::move(spread);
    m_rowTops.clear();
    int y = kTitle + kColumns;
    for (const engine::CellRun& cell : m_spread.runs) {
        m_rowTops.push_back(y);
        y += kRowHeight + (cell.outlier && !cell.reason.isEmpty() ? kReasonHeight : 0);
    }
    m_rowTops.push_back(y);
    // Room for the longest label (bold, as the median and outliers are drawn).
    const QFontMetrics metrics(boldFont());
    m_labelWidth = kMinLabelWidth;
    for (const engine::CellRun& cell : m_spread.runs)
        m_labelWidth = std::max(m_labelWidth, metrics.horizontalAdvance(labelOf(cell)) + 24);
    updateGeometry();
    update();
}

QString CellView::labelOf(const engine::CellRun& cell)
{
    QString label = QStringLiteral("%1 #%2 · %3 s · %4")
                        .arg(cell.run.variant)
                        .arg(cell.run.runIndex)
                        .arg(cell.run.wallMs / 1000, 0, 'f', 2)
                        .arg(cell.run.outcome);
    // A relaunched baseline keeps only its last launch's traces: the row draws that one.
    if (cell.run.attempts > 1)
        label += tr(" · %1 launches").arg(cell.run.attempts);
    if (cell.median)
        label += tr(" · median");
    if (cell.outlier)
        label += tr(" · outlier");
    return label;
}

QFont CellView::boldFont() const
{
    QFont bold = font();
    bold.setBold(true);
    return bold;
}

QRect CellView::rowRect(int row) const
{
    if (row < 0 || size_t(row) + 1 >= m_rowTops.size())
        return QRect(
            0, m_rowTops.empty() ? kTitle + kColumns : m_rowTops.back(), width(), kRowHeight);
    return QRect(
        0, m_rowTops[size_t(row)], width(), m_rowTops[size_t(row) + 1] - m_rowTops[size_t(row)]);
}

QSize CellView::sizeHint() const
{
    return QSize(1200, (m_rowTops.empty() ? kTitle + kColumns : m_rowTops.back()) + 8);
}

double CellView::xOf(int64_t displayNs) const
{
    const double plotWidth = std::max(50, width() - m_labelWidth - kMargin);
    return m_labelWidth
        + plotWidth * double(displayNs) / double(std::max<int64_t>(1, m_spread.columns.lengthNs));
}

QRectF CellView::stepRect(int row, int step) const
{
    const auto& columns = m_spread.columns;
    if (row < 0 || size_t(row) >= m_spread.runs.size() || size_t(row) >= columns.columnOfStep.size()
        || step < 0 || size_t(step) >= columns.columnOfStep[size_t(row)].size())
        return {};
    const timeline::Step& s = m_spread.runs[size_t(row)].steps[size_t(step)];
    const int64_t start = columns.stepStart(size_t(row), size_t(step));
    const double left = xOf(start);
    const double right = std::max(left + 2, xOf(start + s.durationNs()));
    const int top = m_rowTops[size_t(row)];
    return QRectF(left, top + 5, right - left, kRowHeight - 10);
}

int CellView::rowAt(QPoint point) const
{
    for (size_t r = 0; r + 1 < m_rowTops.size(); ++r)
        if (point.y() >= m_rowTops[r] && point.y() < m_rowTops[r + 1])
            return int(r);
    return -1;
}

bool CellView::event(QEvent* event)
{
    if (event->type() != QEvent::ToolTip)
        return QWidget::event(event);
    const QPoint point = static_cast<QHelpEvent*>(event)->pos();
    const int row = rowAt(point);
    QString tip;
    if (row >= 0) {
        const engine::CellRun& cell = m_spread.runs[size_t(row)];
        for (size_t s = 0; s < cell.steps.size() && tip.isEmpty(); ++s)
            if (stepRect(row, int(s)).adjusted(-2, -4, 2, 4).contains(point)) {
                const timeline::Step& step = cell.steps[s];
                tip = QStringLiteral("%1 #%2 · %3 · %4")
                          .arg(cell.run.variant)
                          .arg(cell.run.runIndex)
                          .arg(QString::fromStdString(step.label()),
                              formatDuration(step.durationNs()));
                if (s < cell.failedAttempts.size() && !cell.failedAttempts[s].empty())
                    tip += tr(
                        " · %n failed attempt(s)", nullptr, int(cell.failedAttempts[s].size()));
            }
        if (tip.isEmpty() && cell.outlier)
            tip = tr("outlier: ") + cell.reason;
    }
    if (tip.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(static_cast<QHelpEvent*>(event)->globalPos(), tip, this);
    return true;
}

void CellView::mousePressEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint());
    if (row >= 0)
        emit runClicked(m_spread.runs[size_t(row)].run);
}

void CellView::paintHeader(QPainter& painter)
{
    const int64_t unit = scaleStep(m_spread.columns.lengthNs);
    const QString scale = formatDuration(unit);
    const QFontMetrics metrics(font());
    const int scaleWidth = int(xOf(unit) - xOf(0));
    const int scaleTextWidth = metrics.horizontalAdvance(scale) + 8;
    painter.setPen(palette().text().color());
    painter.drawText(QRect(6, 0, width() - scaleWidth - scaleTextWidth - 24, kTitle),
        Qt::AlignVCenter | Qt::TextSingleLine,
        tr("%1 · %2 runs · aligned by step: each step a column as wide as its slowest run, every "
           "bar its real length, a thin line the real wait before it · click a run for its pair")
            .arg(m_title)
            .arg(m_spread.runs.size()));
    // The scale bar: the same length means the same time everywhere on the axis.
    const int right = width() - kMargin;
    const int y = kTitle / 2;
    painter.drawLine(right - scaleWidth, y, right, y);
    painter.drawLine(right - scaleWidth, y - 4, right - scaleWidth, y + 4);
    painter.drawLine(right, y - 4, right, y + 4);
    painter.drawText(QRect(right - scaleWidth - scaleTextWidth, 0, scaleTextWidth - 4, kTitle),
        Qt::AlignVCenter | Qt::AlignRight, scale);

    // The step names over their columns, on the first of two lines where a name has room (a
    // narrow column's name reaches over its neighbours), and a faint line down each column's
    // left edge.
    const auto& columns = m_spread.columns.columns;
    const int bottom = m_rowTops.empty() ? height() : m_rowTops.back();
    const int lineHeight = kColumns / 2;
    double lineEnd[2] = { 0, 0 };
    for (size_t c = 0; c < columns.size(); ++c) {
        const double left = xOf(columns[c].startNs);
        painter.setPen(QPen(palette().mid().color(), 1, Qt::DotLine));
        painter.drawLine(QPointF(left, kTitle + 2), QPointF(left, bottom));
        const QString name = QString::fromStdString(columns[c].label);
        // A name too long for the room left at the right edge ends at the edge instead.
        const double edge = double(width() - kMargin);
        const double start = std::max(
            m_labelWidth + 0.0, std::min(left + 2, edge - metrics.horizontalAdvance(name)));
        const int line = lineEnd[0] <= start ? 0 : lineEnd[1] <= start ? 1 : 0;
        const QString label = metrics.elidedText(name, Qt::ElideRight, int(edge - start) + 2);
        lineEnd[line] = start + metrics.horizontalAdvance(label) + 8;
        painter.setPen(palette().text().color());
        painter.drawText(QRectF(start, kTitle + line * lineHeight, edge - start, lineHeight),
            Qt::AlignVCenter | Qt::AlignLeft | Qt::TextSingleLine, label);
    }
    painter.setPen(palette().text().color());
    painter.drawText(QRect(6, kTitle, m_labelWidth - 12, kColumns), Qt::AlignVCenter,
        tr("run · wall time · outcome"));
}

void CellView::paintRow(QPainter& painter, size_t r)
{
    const engine::CellRun& cell = m_spread.runs[r];
    const QRect band = rowRect(int(r));
    const QRect bars(band.left(), band.top(), band.width(), kRowHeight);
    if (cell.median)
        painter.fillRect(band, palette().alternateBase());
    if (r > 0 && m_spread.runs[r - 1].run.variant != cell.run.variant) {
        painter.setPen(palette().mid().color());
        painter.drawLine(band.topLeft(), band.topRight());
    }
    if (cell.outlier)
        painter.fillRect(QRect(band.left(), band.top() + 2, 4, band.height() - 4), outlierColor());
    const QString label = labelOf(cell);
    const QFont bold = boldFont();
    painter.setFont(cell.median || cell.outlier ? bold : font());
    painter.setPen(cell.outlier ? outlierColor() : palette().text().color());
    painter.drawText(bars.adjusted(10, 0, -(width() - m_labelWidth) - 4, 0),
        Qt::AlignVCenter | Qt::TextSingleLine,
        QFontMetrics(bold).elidedText(label, Qt::ElideRight, m_labelWidth - 14));
    painter.setFont(font());
    if (cell.outlier && !cell.reason.isEmpty()) {
        const QRect strip(4, bars.bottom() + 1, width() - 4, band.bottom() - bars.bottom());
        painter.fillRect(strip, cell.median ? palette().alternateBase() : palette().base());
        painter.drawText(QRect(10, bars.bottom() - 2, width() - 10 - kMargin, kReasonHeight),
            Qt::AlignTop | Qt::TextSingleLine,
            QFontMetrics(font()).elidedText(
                tr("outlier: ") + cell.reason, Qt::ElideRight, width() - 10 - kMargin));
    }
    if (r >= m_spread.columns.runEndNs.size())
        return;

    // The run's life: a faint line from its start to its end, the real waits darker, the steps
    // as bars at their real length, their failed attempts in red inside them.
    const double mid = bars.center().y() + 0.5;
    const double end = xOf(m_spread.columns.runEndNs[r]);
    painter.setPen(QPen(palette().mid().color(), 1));
    painter.drawLine(QPointF(xOf(0), mid), QPointF(end, mid));
    painter.drawLine(QPointF(end, bars.top() + 4), QPointF(end, bars.bottom() - 4));
    for (size_t s = 0; s < cell.steps.size(); ++s) {
        const timeline::Step& step = cell.steps[s];
        const QRectF bar = stepRect(int(r), int(s));
        const int64_t before = s > 0 ? cell.steps[s - 1].endNs : cell.startNs;
        const int64_t wait = std::max<int64_t>(0, step.startNs - before);
        if (wait > 0) {
            const int64_t start = m_spread.columns.stepStart(r, s);
            painter.setPen(QPen(palette().text().color(), 2));
            painter.drawLine(QPointF(xOf(start - wait), mid), QPointF(bar.left(), mid));
        }
        painter.fillRect(
            bar, step.status == timeline::SpanStatus::Error ? errorColor() : kindColor(step.kind));
        if (s < cell.failedAttempts.size())
            for (const auto& [from, to] : cell.failedAttempts[s]) {
                const int64_t start = m_spread.columns.stepStart(r, s);
                const double left = xOf(start + (from - step.startNs));
                const double right = std::max(left + 2, xOf(start + (to - step.startNs)));
                painter.fillRect(QRectF(left, bar.top() + 3, right - left, bar.height() - 6),
                    errorColor().darker(120));
            }
    }
}

void CellView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    paintHeader(painter);
    for (size_t r = 0; r < m_spread.runs.size(); ++r)
        paintRow(painter, r);
}

} // namespace tt::gui
