// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/results.h"

#include <QWidget>

class QGridLayout;
class QLabel;

namespace tt::gui {

// The charts page: one card per Go/NoGo criterion (verdict, measured value, threshold), and the
// experiment's charts (success rate with intervals, wall-time distributions, LLM calls and
// retries) through the Qt Charts adapter.
class ResultsPage : public QWidget
{
    Q_OBJECT
public:
    explicit ResultsPage(QWidget* parent = nullptr);

    void setResults(const engine::ExperimentResults& results);
    void clear();
    int cardCount() const;
    int chartCount() const;

protected:
    // A theme switched while the page is shown: the charts follow.
    void changeEvent(QEvent* event) override;

private:
    QLabel* m_heading;
    QGridLayout* m_cards;
    QGridLayout* m_charts;
};

} // namespace tt::gui
