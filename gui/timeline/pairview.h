// SPDX-License-Identifier: MIT
#pragma once

#include "panerun.h"
#include "viewcontroller.h"

#include "importers/timeline/alignment.h"

#include <QWidget>

#include <memory>

class QLabel;

namespace tt::gui {

class DiffGutter;
class TimelinePane;

// How the two runs share the time axis.
enum class TimeMode
{
    FromStart, // both start at 0
    Absolute, // wall-clock time, one origin for both (runs that overlapped in time)
    AlignedBySteps, // matched steps start and end together; gaps open where one side did more
};

// Two synchronized panes, left above right, with the diff gutter between them. Both panes read
// one ViewController; the rows come from aligning the two runs' steps.
class PairView : public QWidget
{
    Q_OBJECT
public:
    explicit PairView(QWidget* parent = nullptr);

    ViewController* controller() const { return m_controller; }
    TimelinePane* pane(int side) const { return side == 0 ? m_left : m_right; }
    DiffGutter* gutter() const { return m_gutter; }

    void setRun(int side, std::shared_ptr<const PaneRun> run);
    std::shared_ptr<const PaneRun> run(int side) const;
    void setTimeMode(TimeMode mode);
    TimeMode timeMode() const { return m_mode; }
    const std::vector<timeline::AlignedRow>& rows() const;
    // The aligned row of a step on one side, or -1.
    int rowOfStep(int side, int step) const;
    // Where the two panes and the gutter are, without the space left below them.
    QRect contentRect() const;
    // The first row that is not "same" (the first row when all are), or -1 without rows.
    int firstDifference() const;
    // The step of a span (its attempts included) on one side, or -1.
    int stepOfSpan(const SpanRef& span) const;
    // The aligned row a span belongs to (as an attempt, or by the step it speaks for), or -1.
    int rowOfSpan(const SpanRef& span) const;

public slots:
    void fit();
    // Where the two runs part, in words; empty until both sides hold a run.
    QString explanation() const;

signals:
    void rowsChanged();

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void realign();
    void onSelectionChanged();

    ViewController* m_controller;
    TimelinePane* m_left;
    TimelinePane* m_right;
    DiffGutter* m_gutter;
    QLabel* m_explanation;
    TimeMode m_mode = TimeMode::FromStart;
    bool m_fitted = false;
    SpanRef m_lastSpan; // a span maps to its row once, when it is clicked
};

} // namespace tt::gui
