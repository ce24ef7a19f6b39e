// SPDX-License-Identifier: MIT
#include "pairview.h"

#include "diffgutter.h"
#include "timelinepane.h"

#include "importers/timeline/timemap.h"

#include <QLabel>
#include <QResizeEvent>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace tt::gui {

PairView::PairView(QWidget* parent)
    : QWidget(parent)
    , m_controller(new ViewController(this))
    , m_left(new TimelinePane(0, m_controller))
    , m_right(new TimelinePane(1, m_controller))
    , m_gutter(new DiffGutter(m_left, m_right, m_controller))
    , m_explanation(new QLabel(this))
{
    setAccessibleName(tr("Side-by-side timelines"));
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(0);
    // Panes are as tall as their lanes (they scroll when the window is shorter); what is left
    // stays below them rather than as empty lanes.
    m_explanation->setWordWrap(true);
    m_explanation->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_explanation->setContentsMargins(6, 4, 6, 4);
    m_explanation->setAccessibleName(tr("Where the runs part"));
    m_explanation->hide();
    layout->addWidget(m_explanation);
    layout->addWidget(m_left);
    layout->addWidget(m_gutter);
    layout->addWidget(m_right);
    layout->addStretch(1);
    m_right->setPlaceholder(tr("Pick a second run to compare (the counterpart of a run opens "
                               "here by itself)"));
    for (TimelinePane* pane : { m_left, m_right })
        connect(pane, &TimelinePane::fitRequested, this, &PairView::fit);
    connect(m_controller, &ViewController::selectionChanged, this, &PairView::onSelectionChanged);
}

void PairView::setRun(int side, std::shared_ptr<const PaneRun> run)
{
    pane(side)->setRun(std::move(run));
    realign();
    // After the rows changed: nobody may read an old row against the new runs.
    m_controller->clearSelection();
    fit();
}

std::shared_ptr<const PaneRun> PairView::run(int side) const
{
    return pane(side)->run();
}

void PairView::setTimeMode(TimeMode mode)
{
    m_mode = mode;
    realign();
    fit();
}

const std::vector<timeline::AlignedRow>& PairView::rows() const
{
    return m_gutter->rows();
}

void PairView::realign()
{
    const auto left = m_left->run();
    const auto right = m_right->run();
    std::vector<timeline::AlignedRow> rows;
    if (left && right)
        rows = timeline::alignSteps(left->steps, right->steps);
    const int64_t leftStart = left ? left->run.startNs() : 0;
    const int64_t rightStart = right ? right->run.startNs() : 0;
    switch (m_mode) {
    case TimeMode::FromStart:
        m_left->setTimeMap(timeline::TimeMap::shifted(leftStart));
        m_right->setTimeMap(timeline::TimeMap::shifted(rightStart));
        break;
    case TimeMode::Absolute: {
        const int64_t origin
            = left && right ? std::min(leftStart, rightStart) : (left ? leftStart : rightStart);
        m_left->setTimeMap(timeline::TimeMap::shifted(origin));
        m_right->setTimeMap(timeline::TimeMap::shifted(origin));
        break;
    }
    case TimeMode::AlignedBySteps:
        if (left && right) {
            auto [l, r]
                = timeline::alignByStep(left->steps, leftStart, right->steps, rightStart, rows);
            m_left->setTimeMap(l);
            m_right->setTimeMap(r);
        } else {
            m_left->setTimeMap(timeline::TimeMap::shifted(leftStart));
            m_right->setTimeMap(timeline::TimeMap::shifted(rightStart));
        }
        break;
    }
    for (TimelinePane* pane : { m_left, m_right })
        pane->setAxisLabels(
            m_mode == TimeMode::Absolute ? AxisLabels::WallClock : AxisLabels::SinceRunStart);
    m_gutter->setRows(std::move(rows));
    m_explanation->setText(left && right ? explainPanes(*left, *right).text : QString());
    m_explanation->setVisible(left && right);
    emit rowsChanged();
}

QString PairView::explanation() const
{
    return m_explanation->text();
}

QRect PairView::contentRect() const
{
    return QRect(0, 0, width(), m_right->geometry().bottom() + 1);
}

int PairView::firstDifference() const
{
    const auto& all = rows();
    for (size_t r = 0; r < all.size(); ++r)
        if (all[r].status != timeline::RowStatus::Same)
            return int(r);
    return all.empty() ? -1 : 0;
}

void PairView::fit()
{
    int64_t from = INT64_MAX;
    int64_t to = INT64_MIN;
    for (const TimelinePane* pane : { m_left, m_right }) {
        if (!pane->run())
            continue;
        from = std::min(from, pane->displayOf(pane->run()->run.startNs()));
        to = std::max(to, pane->displayOf(pane->run()->run.endNs()));
    }
    if (from > to)
        return;
    m_fitted = width() > TimelinePane::kLabelWidth + 50;
    m_controller->fit(from, to, std::max(50, width() - TimelinePane::kLabelWidth - 8));
}

void PairView::resizeEvent(QResizeEvent* event)
{
    QWidget::resizeEvent(event);
    if (!m_fitted) { // the first real size: show everything
        fit();
        return;
    }
    // Later sizes keep the time range on screen: the same span of time, wider or narrower.
    const int oldArea = event->oldSize().width() - TimelinePane::kLabelWidth - 8;
    const int newArea = width() - TimelinePane::kLabelWidth - 8;
    if (oldArea > 0 && newArea > 0 && oldArea != newArea)
        m_controller->setView(m_controller->viewStartNs(),
            m_controller->nsPerPixel() * double(oldArea) / double(newArea));
}

int PairView::stepOfSpan(const SpanRef& span) const
{
    const auto run = this->run(span.side);
    if (!run)
        return -1;
    for (size_t s = 0; s < run->steps.size(); ++s) {
        if (run->steps[s].track != span.track)
            continue;
        const auto& attempts = run->steps[s].attempts;
        if (std::find(attempts.begin(), attempts.end(), span.span) != attempts.end())
            return int(s);
    }
    return -1;
}

int PairView::rowOfSpan(const SpanRef& span) const
{
    int step = stepOfSpan(span);
    const auto run = this->run(span.side);
    if (step < 0 && run) {
        // Not an attempt of a step: the step it speaks for (a log line, a journal entry's
        // lifecycle) by its label.
        const std::string label = run->run.stepLabelOf(span.track, span.span);
        for (size_t s = 0; s < run->steps.size() && !label.empty(); ++s)
            if (run->steps[s].label() == label) {
                step = int(s);
                break;
            }
    }
    return rowOfStep(span.side, step);
}

int PairView::rowOfStep(int side, int step) const
{
    if (step < 0)
        return -1;
    const auto& all = rows();
    for (size_t r = 0; r < all.size(); ++r)
        if ((side == 0 ? all[r].left : all[r].right) == step)
            return int(r);
    return -1;
}

void PairView::onSelectionChanged()
{
    // A span of a step selects its row; a row outlines its steps on both sides.
    const SpanRef span = m_controller->selectedSpan();
    if (span.isValid() && !(span == m_lastSpan)) {
        m_lastSpan = span;
        // A span outside every step selects no row: an old row must not stay beside it.
        m_controller->selectRow(rowOfSpan(span), true);
    }
    m_lastSpan = span;
    const int row = m_controller->selectedRow();
    const bool valid = row >= 0 && row < int(rows().size());
    m_left->setHighlightedStep(valid ? rows()[size_t(row)].left : -1);
    m_right->setHighlightedStep(valid ? rows()[size_t(row)].right : -1);
}

} // namespace tt::gui
