// SPDX-License-Identifier: MIT
#include "resultspage.h"

#include "charts/resultcharts.h"

#include <QAbstractAxis>
#include <QChart>
#include <QChartView>
#include <QFrame>
#include <QGridLayout>
#include <QLabel>
#include <QLegend>
#include <QScrollArea>
#include <QVBoxLayout>

namespace tt::gui {

namespace {

void clearLayout(QLayout* layout)
{
    while (QLayoutItem* item = layout->takeAt(0)) {
        delete item->widget();
        delete item;
    }
}

// Charts draw with their own light theme; in the window they take its palette (the dark theme
// included), keeping the series' colours, which carry meaning.
void applyPalette(QChart* chart, const QPalette& palette)
{
    const QColor text = palette.color(QPalette::WindowText);
    const QColor grid = palette.color(QPalette::Mid);
    chart->setBackgroundBrush(palette.base());
    chart->setTitleBrush(text);
    chart->legend()->setLabelColor(text);
    for (QAbstractAxis* axis : chart->axes()) {
        axis->setLabelsBrush(text);
        axis->setTitleBrush(text);
        axis->setGridLineColor(grid);
        axis->setLinePenColor(grid);
    }
}

QWidget* card(const engine::Criterion& criterion)
{
    auto* frame = new QFrame;
    frame->setFrameShape(QFrame::StyledPanel);
    frame->setAccessibleName(criterion.criterion);
    const bool go = criterion.verdict == QLatin1String("GO");
    const bool nogo = criterion.verdict == QLatin1String("NO-GO");
    const QString colour = go ? QStringLiteral("#2f855a")
        : nogo                ? QStringLiteral("#c53030")
                              : QStringLiteral("#718096");
    frame->setStyleSheet(QStringLiteral("QFrame { border: 2px solid %1; border-radius: 6px; }"
                                        "QLabel { border: none; }")
                             .arg(colour));
    auto* layout = new QVBoxLayout(frame);
    auto* name = new QLabel(criterion.criterion);
    QFont bold = name->font();
    bold.setBold(true);
    name->setFont(bold);
    auto* verdict = new QLabel(QStringLiteral("<span style='color:%1; font-size:16pt; "
                                              "font-weight:600'>%2</span>")
                                   .arg(colour, criterion.verdict.toHtmlEscaped()));
    auto* value
        = new QLabel(QObject::tr("%1 (threshold %2)").arg(criterion.value, criterion.threshold));
    value->setWordWrap(true);
    layout->addWidget(name);
    layout->addWidget(verdict);
    layout->addWidget(value);
    if (!criterion.detail.isEmpty()) {
        auto* detail = new QLabel(criterion.detail);
        detail->setWordWrap(true);
        detail->setStyleSheet(QStringLiteral("color: palette(mid);"));
        layout->addWidget(detail);
    }
    layout->addStretch(1);
    return frame;
}

} // namespace

ResultsPage::ResultsPage(QWidget* parent)
    : QWidget(parent)
    , m_heading(new QLabel)
    , m_cards(new QGridLayout)
    , m_charts(new QGridLayout)
{
    setAccessibleName(tr("Experiment results"));
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    m_heading->setWordWrap(true);
    layout->addWidget(m_heading);
    layout->addLayout(m_cards);
    layout->addLayout(m_charts, 1);
    auto* scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    scroll->setFrameShape(QFrame::NoFrame);
    auto* outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);
    clear();
}

void ResultsPage::clear()
{
    clearLayout(m_cards);
    clearLayout(m_charts);
    m_heading->setText(tr("Open a results folder (File > Open results) or run an experiment "
                          "(Experiment > Run) to see its Go/NoGo criteria and charts."));
}

int ResultsPage::cardCount() const
{
    return m_cards->count();
}

int ResultsPage::chartCount() const
{
    return m_charts->count();
}

void ResultsPage::setResults(const engine::ExperimentResults& results)
{
    clearLayout(m_cards);
    clearLayout(m_charts);
    int successes = 0;
    for (const auto& run : results.runs)
        successes += run.success ? 1 : 0;
    m_heading->setText(tr("<b>%1</b> — %2 runs, %3 succeeded")
                           .arg(results.dir.toHtmlEscaped())
                           .arg(results.runs.size())
                           .arg(successes));
    const auto& criteria = results.summary.goNoGo;
    for (size_t i = 0; i < criteria.size(); ++i)
        m_cards->addWidget(card(criteria[i]), 0, int(i));
    const std::pair<QChart*, int> charts[] = {
        { charts::successChart(results.summary), 0 },
        { charts::latencyChart(results.summary, results.runs), 1 },
        { charts::callsChart(results.summary), 2 },
    };
    for (const auto& [chart, column] : charts) {
        applyPalette(chart, palette());
        auto* view = new QChartView(chart);
        view->setRenderHint(QPainter::Antialiasing);
        // One chart a row: ten scenarios need the whole width for their names.
        view->setMinimumSize(600, column == 0 ? 460 : 400);
        view->setAccessibleName(chart->title());
        m_charts->addWidget(view, column, 0);
    }
}

void ResultsPage::changeEvent(QEvent* event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        for (QChartView* view : findChildren<QChartView*>())
            applyPalette(view->chart(), palette());
}

} // namespace tt::gui
