// SPDX-License-Identifier: MIT
#include "screenshotcommand.h"

#include "engine/experiment/catalog.h"
#include "engine/experiment/celltraces.h"

#include "gui/browser/browsermodel.h"
#include "gui/mainwindow.h"
#include "gui/screenshot/imageexport.h"
#include "gui/settings/appsettings.h"
#include "gui/timeline/cellview.h"
#include "gui/timeline/pairview.h"
#include "gui/timeline/timelinepane.h"

#include <QCommandLineParser>
#include <QEventLoop>
#include <QTimer>
#include <QTreeView>

#include <cstdio>

namespace tt::gui {

namespace {

constexpr int kWaitMs = 120000; // a large import or a slow admin API

// Waits until the window has shown everything it was asked to load.
bool waitUntilIdle(MainWindow& window)
{
    if (!window.isBusy())
        return true;
    QEventLoop loop;
    QTimer timeout;
    timeout.setSingleShot(true);
    QObject::connect(&window, &MainWindow::idle, &loop, [&]() {
        if (!window.isBusy())
            loop.quit();
    });
    QObject::connect(&timeout, &QTimer::timeout, &loop, [&]() { loop.exit(1); });
    timeout.start(kWaitMs);
    return loop.exec() == 0;
}

int fail(const QString& message)
{
    std::fprintf(stderr, "twintrace screenshot: %s\n", qPrintable(message));
    return 2;
}

// Every run of a scenario's cell (both variants; the widest cell when no scenario is named).
int cellShot(const QString& dir, QString scenario, const QString& out, double scale, int width)
{
    QString error;
    const auto results = engine::loadResults(dir, error);
    if (!results)
        return fail(error);
    if (scenario.isEmpty())
        scenario = engine::widestCells(results->runs, 1).value(0);
    engine::CellSpread spread = engine::cellSpread(results->runs, scenario);
    if (spread.runs.empty())
        return fail(QStringLiteral("%1 has no runs of %2").arg(dir, scenario));
    engine::readCellTraces(results->dir, spread, engine::importExperimentJournals(results->dir),
        engine::readLlmLogs(results->dir));
    CellView view;
    view.setAttribute(Qt::WA_DontShowOnScreen);
    view.setCell(scenario, std::move(spread));
    view.resize(width, view.sizeHint().height());
    view.show();
    if (!saveWidgetImage(&view, out, scale, error))
        return fail(error);
    std::printf("screenshot saved to %s\n", qPrintable(out));
    return 0;
}

} // namespace

int screenshotCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Renders what the window shows, headless, to PNG (2x by default) or SVG."));
    parser.addOptions({
        { QStringLiteral("left"),
            QStringLiteral("Trace file, folder or admin URL for the left "
                           "(top) timeline."),
            QStringLiteral("SRC") },
        { QStringLiteral("right"), QStringLiteral("The same for the right (bottom) timeline."),
            QStringLiteral("SRC") },
        { QStringLiteral("results"), QStringLiteral("An experiment folder (results.sqlite)."),
            QStringLiteral("DIR") },
        { QStringLiteral("scenario"),
            QStringLiteral("With --results: whose pair to show (default: the first run)."),
            QStringLiteral("ID") },
        { QStringLiteral("run"), QStringLiteral("With --scenario: which run (default 1)."),
            QStringLiteral("N"), QStringLiteral("1") },
        { QStringLiteral("variants"),
            QStringLiteral("With --scenario: the two variants side by side, left first "
                           "(default baseline,restate; also baseline-restart)."),
            QStringLiteral("A,B"), QStringLiteral("baseline,restate") },
        { QStringLiteral("view"),
            QStringLiteral("pair (default), left, right, charts, window or cell (every run of "
                           "--scenario, the widest cell without it)."),
            QStringLiteral("VIEW"), QStringLiteral("pair") },
        { QStringLiteral("time"), QStringLiteral("start (default), steps or absolute."),
            QStringLiteral("MODE"), QStringLiteral("start") },
        { QStringLiteral("size"), QStringLiteral("Window size (default 1440x860)."),
            QStringLiteral("WxH"), QStringLiteral("1440x860") },
        { QStringLiteral("scale"), QStringLiteral("Pixels per point for PNG (default 2)."),
            QStringLiteral("N"), QStringLiteral("2") },
        { QStringLiteral("redact"),
            QStringLiteral("Mask prompts, outputs and tool data (keys are always masked).") },
        { QStringLiteral("theme"), QStringLiteral("light (default) or dark."),
            QStringLiteral("THEME"), QStringLiteral("light") },
        { QStringLiteral("out"), QStringLiteral("FILE.png or FILE.svg."), QStringLiteral("FILE") },
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace screenshot")) + arguments))
        return fail(parser.errorText());
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    const QString out = parser.value(QStringLiteral("out"));
    if (out.isEmpty())
        return fail(QStringLiteral("--out FILE.png|.svg is required"));
    const QMap<QString, ShotView> views { { QStringLiteral("pair"), ShotView::Pair },
        { QStringLiteral("left"), ShotView::LeftPane },
        { QStringLiteral("right"), ShotView::RightPane },
        { QStringLiteral("charts"), ShotView::Charts },
        { QStringLiteral("window"), ShotView::Window } };
    const QString viewName = parser.value(QStringLiteral("view"));
    const bool cell = viewName == QLatin1String("cell");
    if (!views.contains(viewName) && !cell)
        return fail(
            QStringLiteral("--view: expected pair, left, right, charts, window or cell, not %1")
                .arg(viewName));
    const QMap<QString, TimeMode> modes { { QStringLiteral("start"), TimeMode::FromStart },
        { QStringLiteral("steps"), TimeMode::AlignedBySteps },
        { QStringLiteral("absolute"), TimeMode::Absolute } };
    if (!modes.contains(parser.value(QStringLiteral("time"))))
        return fail(QStringLiteral("--time: expected start, steps or absolute"));
    const QStringList size = parser.value(QStringLiteral("size")).split(QLatin1Char('x'));
    bool okW = false, okH = false, okScale = false;
    const int width = size.value(0).toInt(&okW);
    const int height = size.value(1).toInt(&okH);
    const double scale = parser.value(QStringLiteral("scale")).toDouble(&okScale);
    if (!okW || !okH || width < 200 || height < 150 || width > 8000 || height > 8000)
        return fail(QStringLiteral("--size: expected WxH between 200x150 and 8000x8000"));
    if (!okScale || scale <= 0 || scale > 4)
        return fail(QStringLiteral("--scale: expected a number in (0, 4]"));
    const QString left = parser.value(QStringLiteral("left"));
    const QString right = parser.value(QStringLiteral("right"));
    const QString results = parser.value(QStringLiteral("results"));
    if (cell && results.isEmpty())
        return fail(QStringLiteral("--view cell: give --results DIR"));
    if (cell)
        return cellShot(results, parser.value(QStringLiteral("scenario")), out, scale, width);
    // With nothing to open, the whole window shows its first screen.
    if (left.isEmpty() && right.isEmpty() && results.isEmpty()
        && views.value(viewName) != ShotView::Window)
        return fail(
            QStringLiteral("nothing to show: give --left/--right sources or --results DIR"));

    settings::applyTheme(parser.value(QStringLiteral("theme")));
    MainWindow window;
    window.setAttribute(Qt::WA_DontShowOnScreen);
    window.resize(width, height);
    window.show();
    window.pairView()->setTimeMode(modes.value(parser.value(QStringLiteral("time"))));
    if (!results.isEmpty()) {
        window.openResults(results);
        if (!waitUntilIdle(window))
            return fail(QStringLiteral("timed out reading %1").arg(results));
        const int shownRuns = window.browser()->rowCount(window.browser()->experimentsRoot());
        if (shownRuns == 0)
            return fail(QStringLiteral("%1 has no runs to show").arg(results));
        const QString scenario = parser.value(QStringLiteral("scenario"));
        if (!scenario.isEmpty()) {
            const int run = parser.value(QStringLiteral("run")).toInt();
            const QStringList variants
                = parser.value(QStringLiteral("variants")).split(QLatin1Char(','));
            const QStringList known = engine::knownVariants();
            if (variants.size() != 2 || !known.contains(variants[0]) || !known.contains(variants[1])
                || variants[0] == variants[1])
                return fail(QStringLiteral("--variants: expected two of %1, as A,B")
                                .arg(known.join(QLatin1Char(','))));
            QModelIndex index = window.browser()->findRun(results, scenario, variants[0], run);
            QModelIndex other = window.browser()->findRun(results, scenario, variants[1], run);
            if (!index.isValid())
                std::swap(index, other);
            if (!index.isValid())
                return fail(QStringLiteral("%1 has no run %2 of %3 (%4)")
                                .arg(results)
                                .arg(run)
                                .arg(scenario, variants.join(QLatin1Char(','))));
            window.browserView()->setCurrentIndex(index);
            window.showPair(index, other);
        }
    }
    const QStringList sources = QStringList { left, right };
    QStringList toOpen;
    for (const QString& source : sources)
        if (!source.isEmpty())
            toOpen << source;
    if (!toOpen.isEmpty()) {
        window.openPaths(toOpen);
        if (!waitUntilIdle(window))
            return fail(
                QStringLiteral("timed out importing %1").arg(toOpen.join(QStringLiteral(", "))));
        BrowserModel* browser = window.browser();
        const QModelIndex imports = browser->importsRoot();
        for (int side : { 0, 1 }) {
            const QString& source = sources[side];
            if (source.isEmpty())
                continue;
            QModelIndex found;
            for (int row = 0; row < browser->rowCount(imports); ++row) {
                const QModelIndex index = browser->index(row, 0, imports);
                if (index.data(BrowserModel::PathRole).toString() == source)
                    found = index;
            }
            if (!found.isValid())
                return fail(QStringLiteral("nothing could be imported from %1").arg(source));
            window.showTracesOnSide(side, found);
        }
    }
    if (!waitUntilIdle(window))
        return fail(QStringLiteral("timed out loading the runs"));
    window.pairView()->fit();
    if (qEnvironmentVariableIsSet("TT_DEBUG_LAYOUT"))
        for (int side : { 0, 1 })
            std::fprintf(stderr, "pane %d: %d high, hint %d, lanes %d\n", side,
                window.pairView()->pane(side)->height(),
                window.pairView()->pane(side)->sizeHint().height(),
                window.pairView()->pane(side)->laneCount());
    // The first difference selected: the gutter, the table and the inspector say what changed.
    window.pairView()->controller()->selectRow(window.pairView()->firstDifference());
    QString error;
    if (!window.saveScreenshot(
            views.value(viewName), out, scale, parser.isSet(QStringLiteral("redact")), error))
        return fail(error);
    std::printf("screenshot saved to %s\n", qPrintable(out));
    return 0;
}

} // namespace tt::gui
