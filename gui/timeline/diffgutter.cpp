// SPDX-License-Identifier: MIT
#include "diffgutter.h"

#include "spanstyle.h"
#include "timelinepane.h"

#include "gui/qtext.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace tt::gui {

namespace {

// The x range a step covers in a pane (never thinner than 3 px, so every row stays visible).
std::pair<double, double> stepRange(const TimelinePane* pane, int step)
{
    const auto& s = pane->run()->steps[size_t(step)];
    const double x0 = pane->xOfDisplay(pane->displayOf(s.startNs));
    const double x1 = pane->xOfDisplay(pane->displayOf(s.endNs));
    return { x0, std::max(x1, x0 + 3) };
}

} // namespace

DiffGutter::DiffGutter(
    TimelinePane* left, TimelinePane* right, ViewController* controller, QWidget* parent)
    : QWidget(parent)
    , m_left(left)
    , m_right(right)
    , m_controller(controller)
{
    setMouseTracking(true);
    setAccessibleName(tr("Differences between the left and right runs"));
    connect(controller, &ViewController::viewChanged, this, qOverload<>(&QWidget::update));
    connect(controller, &ViewController::selectionChanged, this, qOverload<>(&QWidget::update));
}

void DiffGutter::setRows(std::vector<timeline::AlignedRow> rows)
{
    m_rows = std::move(rows);
    update();
}

QPolygonF DiffGutter::bandOf(int row) const
{
    const auto& r = m_rows[size_t(row)];
    const double bottom = height();
    const bool hasLeft = r.left >= 0 && m_left->run();
    const bool hasRight = r.right >= 0 && m_right->run();
    if (hasLeft && hasRight) {
        const auto [l0, l1] = stepRange(m_left, r.left);
        const auto [r0, r1] = stepRange(m_right, r.right);
        return QPolygonF({ { l0, 0 }, { l1, 0 }, { r1, bottom }, { r0, bottom } });
    }
    // Only one side: a wedge from that side's step towards the other pane, stopping halfway.
    if (hasLeft) {
        const auto [x0, x1] = stepRange(m_left, r.left);
        return QPolygonF({ { x0, 0 }, { x1, 0 }, { (x0 + x1) / 2, bottom * 0.6 } });
    }
    if (hasRight) {
        const auto [x0, x1] = stepRange(m_right, r.right);
        return QPolygonF({ { x0, bottom }, { x1, bottom }, { (x0 + x1) / 2, bottom * 0.4 } });
    }
    return {};
}

int DiffGutter::rowAt(const QPoint& point) const
{
    for (int row = int(m_rows.size()) - 1; row >= 0; --row)
        if (bandOf(row).containsPoint(point, Qt::OddEvenFill))
            return row;
    return -1;
}

void DiffGutter::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().window());
    painter.setClipRect(QRect(TimelinePane::kLabelWidth, 0, width(), height()));
    painter.setRenderHint(QPainter::Antialiasing, true);
    const QFontMetrics metrics(font());
    double lastLabelEnd = -1e9;
    for (int row = 0; row < int(m_rows.size()); ++row) {
        const QPolygonF band = bandOf(row);
        if (band.isEmpty())
            continue;
        const auto& r = m_rows[size_t(row)];
        QColor fill = rowColor(r.status);
        fill.setAlpha(row == m_controller->selectedRow() ? 200 : 110);
        painter.setPen(
            QPen(rowColor(r.status).darker(120), row == m_controller->selectedRow() ? 2 : 1));
        painter.setBrush(fill);
        painter.drawPolygon(band);
        if (r.status == timeline::RowStatus::Same)
            continue;
        const QString label
            = r.left >= 0 && r.right >= 0 ? formatDuration(r.deltaNs, true) : rowLabel(r.status);
        const double w = metrics.horizontalAdvance(label) + 8;
        // Labels stay inside the time area, even for a band at its edge.
        QPointF centre = band.boundingRect().center();
        centre.setX(std::clamp(centre.x(), TimelinePane::kLabelWidth + w / 2, width() - w / 2 - 2));
        if (centre.x() - w / 2 < lastLabelEnd)
            continue; // no overlapping labels; the tooltip tells the rest
        const QRectF box(
            centre.x() - w / 2, centre.y() - metrics.height() / 2.0 - 1, w, metrics.height() + 2);
        // A solid tag in the row's colour reads on light and dark themes alike.
        painter.setPen(Qt::NoPen);
        painter.setBrush(rowColor(r.status).darker(115));
        painter.drawRoundedRect(box, 3, 3);
        painter.setPen(Qt::white);
        painter.drawText(box, Qt::AlignCenter, label);
        lastLabelEnd = box.right() + 4;
    }
    painter.setClipping(false);
    painter.setPen(palette().color(QPalette::WindowText));
    // The legend: how many rows, and what "same" means.
    painter.drawText(QRect(6, 0, TimelinePane::kLabelWidth - 12, height()),
        Qt::AlignVCenter | Qt::AlignLeft,
        tr("steps: ") + counted(qint64(m_rows.size()), tr("row"), tr("rows")) + QLatin1Char('\n')
            + toleranceLegend());
}

void DiffGutter::mouseReleaseEvent(QMouseEvent* event)
{
    if (event->button() == Qt::LeftButton)
        m_controller->selectRow(rowAt(event->pos()));
}

QString DiffGutter::describe(int row) const
{
    const auto& r = m_rows[size_t(row)];
    auto side = [](const TimelinePane* pane, int step) -> QString {
        if (step < 0 || !pane->run())
            return QObject::tr("—");
        const auto& s = pane->run()->steps[size_t(step)];
        QString text = toQString(s.label()) + QStringLiteral(" ") + formatDuration(s.durationNs());
        if (s.attempts.size() > 1)
            text += QObject::tr(", %1 attempts").arg(s.attempts.size());
        if (s.status == timeline::SpanStatus::Error)
            text += QObject::tr(", failed");
        return text;
    };
    return tr("<b>%1</b> %2<br>left: %3<br>right: %4")
        .arg(rowLabel(r.status),
            r.left >= 0 && r.right >= 0 ? formatDuration(r.deltaNs, true) : QString(),
            side(m_left, r.left), side(m_right, r.right));
}

bool DiffGutter::event(QEvent* event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto* help = static_cast<QHelpEvent*>(event);
        const int row = rowAt(help->pos());
        if (row < 0)
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), describe(row), this);
        return true;
    }
    return QWidget::event(event);
}

} // namespace tt::gui
