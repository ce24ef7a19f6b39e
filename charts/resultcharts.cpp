// SPDX-License-Identifier: MIT
#include "resultcharts.h"

#include <QtCharts/QBarCategoryAxis>
#include <QtCharts/QBarSeries>
#include <QtCharts/QBarSet>
#include <QtCharts/QBoxPlotSeries>
#include <QtCharts/QBoxSet>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChart>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>

#include <QDir>
#include <QGraphicsScene>
#include <QImage>
#include <QPainter>

#include <map>

namespace tt::charts {

namespace {

const QColor kBaseline(0xd9, 0x5f, 0x02);
const QColor kRestart(0x75, 0x70, 0xb3);
const QColor kRestate(0x1b, 0x9e, 0x77);

QColor colorOf(const QString& variant)
{
    if (variant == QLatin1String("restate"))
        return kRestate;
    return variant == QLatin1String("baseline-restart") ? kRestart : kBaseline;
}

QString label(const QString& variant)
{
    if (variant == QLatin1String("restate"))
        return QStringLiteral("durable (Restate)");
    return variant == QLatin1String("baseline-restart") ? QStringLiteral("baseline, restarted")
                                                        : QStringLiteral("baseline");
}

// The variants the summary holds, in the tables' order (any number of them).
QStringList variantsOf(const engine::Summary& summary)
{
    QStringList variants;
    for (const QString& variant : engine::knownVariants())
        for (const auto& cell : summary.cells)
            if (cell.variant == variant && !variants.contains(variant))
                variants << variant;
    return variants;
}

QStringList scenariosOf(const engine::Summary& summary)
{
    QStringList scenarios;
    for (const auto& cell : summary.cells)
        if (!scenarios.contains(cell.scenario))
            scenarios << cell.scenario;
    return scenarios;
}

// Scenario names are long: past a few, they are slanted so they show whole.
void slantIfCrowded(QBarCategoryAxis* axis)
{
    if (axis->count() > 5)
        axis->setLabelsAngle(-30);
}

QChart* newChart(const QString& title)
{
    auto* chart = new QChart;
    chart->setTitle(title);
    QFont font = chart->titleFont();
    font.setPointSize(13);
    font.setBold(true);
    chart->setTitleFont(font);
    chart->legend()->setAlignment(Qt::AlignBottom);
    chart->setBackgroundRoundness(0);
    chart->setMargins(QMargins(8, 8, 8, 8));
    return chart;
}

} // namespace

QChart* successChart(const engine::Summary& summary)
{
    QChart* chart = newChart(QStringLiteral("Success rate by scenario (95 % Wilson interval)"));
    const QStringList scenarios = scenariosOf(summary);
    auto* xAxis = new QValueAxis;
    xAxis->setRange(0, 100);
    xAxis->setLabelFormat(QStringLiteral("%d %"));
    xAxis->setTitleText(QStringLiteral("runs that succeeded"));
    auto* yAxis = new QCategoryAxis;
    yAxis->setRange(0, scenarios.size());
    yAxis->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    // Top to bottom in catalog order; a category axis wants increasing values.
    for (int i = int(scenarios.size()) - 1; i >= 0; --i)
        yAxis->append(scenarios[i], scenarios.size() - i - 0.5);
    chart->addAxis(xAxis, Qt::AlignBottom);
    chart->addAxis(yAxis, Qt::AlignLeft);
    const QStringList variants = variantsOf(summary);
    for (const QString& variant : variants) {
        // Side by side within the scenario's row, first variant on top.
        const double offset
            = 0.3 * (double(variants.size() - 1) / 2 - double(variants.indexOf(variant)));
        auto* points = new QScatterSeries;
        points->setName(label(variant));
        points->setColor(colorOf(variant));
        points->setBorderColor(colorOf(variant));
        points->setMarkerSize(11);
        chart->addSeries(points);
        points->attachAxis(xAxis);
        points->attachAxis(yAxis);
        for (const auto& cell : summary.cells) {
            if (cell.variant != variant)
                continue;
            const double y = scenarios.size() - scenarios.indexOf(cell.scenario) - 0.5 + offset;
            points->append(cell.successRate.value * 100, y);
            auto* whisker = new QLineSeries;
            whisker->setPen(QPen(colorOf(variant), 2));
            whisker->append(cell.successRate.low * 100, y);
            whisker->append(cell.successRate.high * 100, y);
            chart->addSeries(whisker);
            whisker->attachAxis(xAxis);
            whisker->attachAxis(yAxis);
            for (QLegendMarker* marker : chart->legend()->markers(whisker))
                marker->setVisible(false);
        }
    }
    return chart;
}

QChart* latencyChart(const engine::Summary& summary, const std::vector<engine::RunRecord>& runs)
{
    QChart* chart = newChart(QStringLiteral("Wall time of successful runs (box: quartiles)"));
    const QStringList scenarios = scenariosOf(summary);
    auto* axisX = new QBarCategoryAxis;
    axisX->append(scenarios);
    slantIfCrowded(axisX);
    auto* axisY = new QValueAxis;
    axisY->setTitleText(QStringLiteral("seconds"));
    axisY->setLabelFormat(QStringLiteral("%.1f"));
    chart->addAxis(axisX, Qt::AlignBottom);
    chart->addAxis(axisY, Qt::AlignLeft);
    double top = 0;
    for (const QString& variant : variantsOf(summary)) {
        auto* series = new QBoxPlotSeries;
        series->setName(label(variant));
        series->setBrush(colorOf(variant).lighter(150));
        series->setPen(QPen(colorOf(variant), 1.5));
        for (const QString& scenario : scenarios) {
            std::vector<double> walls;
            for (const auto& run : runs)
                if (run.scenario == scenario && run.variant == variant && run.success)
                    walls.push_back(run.wallMs / 1000);
            auto* box = new QBoxSet(scenario);
            if (walls.empty()) {
                // No successful run: nothing to draw (a box at zero would read as "instant"),
                // so it sits below the axis, out of sight.
                for (int which = QBoxSet::LowerExtreme; which <= QBoxSet::UpperExtreme; ++which)
                    box->setValue(which, -1);
            } else {
                box->setValue(QBoxSet::LowerExtreme, engine::percentile(walls, 0));
                box->setValue(QBoxSet::LowerQuartile, engine::percentile(walls, 0.25));
                box->setValue(QBoxSet::Median, engine::percentile(walls, 0.5));
                box->setValue(QBoxSet::UpperQuartile, engine::percentile(walls, 0.75));
                box->setValue(QBoxSet::UpperExtreme, engine::percentile(walls, 1));
                top = std::max(top, engine::percentile(walls, 1));
            }
            series->append(box);
        }
        chart->addSeries(series);
        series->attachAxis(axisX);
        series->attachAxis(axisY);
    }
    axisY->setRange(0, top * 1.1 + 0.1);
    axisY->applyNiceNumbers();
    return chart;
}

QChart* callsChart(const engine::Summary& summary)
{
    QChart* chart = newChart(QStringLiteral("LLM calls and retries per run (mean)"));
    const QStringList scenarios = scenariosOf(summary);
    auto* series = new QBarSeries;
    double top = 0;
    for (const QString& variant : variantsOf(summary)) {
        auto* calls = new QBarSet(label(variant) + QStringLiteral(": LLM calls"));
        calls->setColor(colorOf(variant));
        auto* retries = new QBarSet(label(variant) + QStringLiteral(": retries"));
        retries->setColor(colorOf(variant).lighter(160));
        for (const QString& scenario : scenarios) {
            double c = 0, r = 0;
            for (const auto& cell : summary.cells)
                if (cell.scenario == scenario && cell.variant == variant) {
                    c = cell.llmCallsMean;
                    r = cell.retriesMean;
                }
            *calls << c;
            *retries << r;
            top = std::max({ top, c, r });
        }
        series->append(calls);
        series->append(retries);
    }
    chart->addSeries(series);
    auto* axisX = new QBarCategoryAxis;
    axisX->append(scenarios);
    slantIfCrowded(axisX);
    auto* axisY = new QValueAxis;
    axisY->setRange(0, std::ceil(top) + 1);
    axisY->setTickType(QValueAxis::TicksDynamic);
    axisY->setTickAnchor(0);
    axisY->setTickInterval(1);
    axisY->setLabelFormat(QStringLiteral("%d"));
    chart->addAxis(axisX, Qt::AlignBottom);
    chart->addAxis(axisY, Qt::AlignLeft);
    series->attachAxis(axisX);
    series->attachAxis(axisY);
    return chart;
}

QStringList renderResultCharts(const engine::Summary& summary,
    const std::vector<engine::RunRecord>& runs, const QString& dir, QString& error)
{
    const QString images = QDir(dir).filePath(QStringLiteral("images"));
    if (!QDir().mkpath(images)) {
        error = QStringLiteral("cannot create %1").arg(images);
        return {};
    }
    const std::pair<const char*, QChart*> charts[] = {
        { "success-rate.png", successChart(summary) },
        { "wall-time.png", latencyChart(summary, runs) },
        { "llm-calls.png", callsChart(summary) },
    };
    QStringList written;
    for (const auto& [name, chart] : charts) {
        const int rows = int(scenariosOf(summary).size());
        const bool success = name == std::string("success-rate.png");
        // Wide enough for every scenario's name under its group of bars.
        const QSizeF size(
            success ? 1200 : std::max(1200, 215 * rows), success ? 160 + 48 * rows : 600);
        QGraphicsScene scene;
        scene.addItem(chart); // the scene owns the chart from here
        chart->resize(size);
        QImage image((size * 2).toSize(), QImage::Format_ARGB32_Premultiplied);
        image.setDevicePixelRatio(2);
        image.fill(Qt::white);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        scene.render(&painter, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
        painter.end();
        const QString path = QDir(images).filePath(QLatin1String(name));
        if (!image.save(path)) {
            error = QStringLiteral("cannot write %1").arg(path);
            return written;
        }
        written << QStringLiteral("images/") + QLatin1String(name);
    }
    return written;
}

} // namespace tt::charts
