// SPDX-License-Identifier: MIT
#include "cellview.h"

#include "spanstyle.h"

#include <QMouseEvent>
#include <QPainter>

#include <algorithm>

namespace tt::gui {

namespace {
constexpr int kRowHeight = 26;
constexpr int kHeader = 28;
constexpr int kLabelWidth = 300;
} // namespace

CellView::CellView(QWidget* parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Every run of the cell"));
    setMouseTracking(true);
}

std::vector<CellView::Row> CellView::rowsOf(const QString& dir, const engine::CellSpread& spread,
    const engine::ExperimentJournals& journals)
{
    std::vector<Row> rows;
    for (const engine::CellRun& cell : spread.runs) {
        const timeline::RunView view = engine::runViewOfRun(dir, cell.run, journals);
        rows.push_back({ cell, view.steps(), view.startNs() });
    }
    return rows;
}

void CellView::setRows(QString title, std::vector<Row> rows)
{
    m_title = std::move(title);
    m_rows = std::move(rows);
    m_longestNs = 1;
    for (const Row& row : m_rows)
        m_longestNs = std::max(m_longestNs, int64_t(row.cell.run.wallMs * 1e6));
    updateGeometry();
    update();
}

QRect CellView::rowRect(int row) const
{
    return QRect(0, kHeader + row * kRowHeight, width(), kRowHeight);
}

QSize CellView::sizeHint() const
{
    return QSize(1200, kHeader + int(m_rows.size()) * kRowHeight + 8);
}

int CellView::rowAt(QPoint point) const
{
    const int row = (point.y() - kHeader) / kRowHeight;
    return point.y() >= kHeader && row < int(m_rows.size()) ? row : -1;
}

void CellView::mousePressEvent(QMouseEvent* event)
{
    const int row = rowAt(event->position().toPoint());
    if (row >= 0)
        emit runClicked(m_rows[size_t(row)].cell.run);
}

void CellView::paintEvent(QPaintEvent*)
{
    QPainter painter(this);
    painter.fillRect(rect(), palette().base());
    painter.setPen(palette().text().color());
    painter.drawText(QRect(6, 0, width() - 12, kHeader), Qt::AlignVCenter,
        tr("%1 · %2 runs · axis %3 s from each run's start · click a run for its pair")
            .arg(m_title)
            .arg(m_rows.size())
            .arg(double(m_longestNs) / 1e9, 0, 'f', 2));
    const double plotWidth = std::max(50, width() - kLabelWidth - 12);
    const auto x = [&](int64_t ns) { return kLabelWidth + plotWidth * double(ns) / m_longestNs; };
    for (size_t r = 0; r < m_rows.size(); ++r) {
        const Row& row = m_rows[r];
        const QRect band = rowRect(int(r));
        if (row.cell.median)
            painter.fillRect(band, palette().alternateBase());
        QString label = QStringLiteral("%1 #%2 · %3 s · %4")
                            .arg(row.cell.run.variant)
                            .arg(row.cell.run.runIndex)
                            .arg(row.cell.run.wallMs / 1000, 0, 'f', 2)
                            .arg(row.cell.run.outcome);
        if (row.cell.median)
            label += tr(" · median");
        if (row.cell.outlier)
            label += tr(" · outlier")
                + (row.cell.reason.isEmpty() ? QString() : QStringLiteral(": ") + row.cell.reason);
        painter.setPen(row.cell.outlier ? QColor(0xc0, 0x39, 0x2b) : palette().text().color());
        painter.drawText(band.adjusted(6, 0, -(width() - kLabelWidth), 0),
            Qt::AlignVCenter | Qt::TextSingleLine, label);
        for (const timeline::Step& step : row.steps) {
            const double left = x(step.startNs - row.startNs);
            const double right = std::max(left + 2, x(step.endNs - row.startNs));
            const QRectF bar(left, band.top() + 5, right - left, band.height() - 10);
            painter.fillRect(bar,
                step.status == timeline::SpanStatus::Error ? QColor(0xd9, 0x53, 0x4f)
                                                           : kindColor(step.kind));
        }
        // The run's end (the engine's clock): where the wall time stops.
        painter.setPen(palette().mid().color());
        const double end = x(int64_t(row.cell.run.wallMs * 1e6));
        painter.drawLine(QPointF(end, band.top() + 3), QPointF(end, band.bottom() - 3));
    }
}

} // namespace tt::gui
