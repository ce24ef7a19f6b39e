// SPDX-License-Identifier: MIT
#include "mainwindow.h"

#include "browser/browsermodel.h"
#include "browser/comparedialog.h"
#include "browser/langsmithdialog.h"
#include "environment/envdialog.h"
#include "exercise/exercisescreen.h"
#include "experiment/experimentdialog.h"
#include "inspector/inspector.h"
#include "qtext.h"
#include "results/resultspage.h"
#include "screenshot/imageexport.h"
#include "settings/appsettings.h"
#include "timeline/alignedrowsmodel.h"
#include "timeline/cellview.h"
#include "timeline/pairview.h"
#include "timeline/spanstyle.h"
#include "timeline/timelinepane.h"

#include "engine/experiment/catalog.h"
#include "engine/experiment/celltraces.h"
#include "gui/whenready.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QDragEnterEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QMouseEvent>
#include <QProgressBar>
#include <QScopedValueRollback>
#include <QScrollArea>
#include <QSet>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QTreeWidget>
#include <QtConcurrent/QtConcurrentRun>

namespace tt::gui {

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent)
    , m_browser(new BrowserModel(this))
{
    setWindowTitle(tr("TwinTrace"));
    setAcceptDrops(true);
    resize(1440, 860);

    m_browserView = new QTreeView;
    m_browserView->setModel(m_browser);
    m_browserView->setAccessibleName(tr("Browser of experiments and imported traces"));
    m_browserView->setUniformRowHeights(true);
    m_browserView->setContextMenuPolicy(Qt::CustomContextMenu);
    // A right click opens the menu without making the row current (which would load it).
    m_browserView->viewport()->installEventFilter(this);
    m_browserView->header()->setSectionResizeMode(BrowserModel::Name, QHeaderView::Stretch);
    m_browserView->header()->setStretchLastSection(false);
    m_browserView->header()->setSectionResizeMode(
        BrowserModel::Result, QHeaderView::ResizeToContents);
    m_browserView->header()->setSectionResizeMode(
        BrowserModel::Time, QHeaderView::ResizeToContents);
    m_browserView->expandAll();

    m_pair = new PairView;
    m_inspector = new Inspector;

    m_rowsModel = new AlignedRowsModel(this);
    m_rowsView = new QTableView;
    m_rowsView->setModel(m_rowsModel);
    m_rowsView->setAccessibleName(tr("Aligned steps"));
    m_rowsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_rowsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_rowsView->verticalHeader()->hide();
    m_rowsView->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_rowsView->horizontalHeader()->setStretchLastSection(true);

    m_warnings = new QTreeWidget;
    m_warnings->setHeaderLabels({ tr("File"), tr("Line"), tr("Problem") });
    m_warnings->setRootIsDecorated(false);
    m_warnings->setAccessibleName(tr("Import warnings"));

    m_bottomTabs = new QTabWidget;
    m_bottomTabs->addTab(m_rowsView, tr("Aligned steps"));
    m_bottomTabs->addTab(m_warnings, tr("Warnings"));

    auto* middle = new QSplitter(Qt::Vertical);
    middle->addWidget(m_pair);
    middle->addWidget(m_bottomTabs);
    middle->setStretchFactor(0, 3);
    middle->setStretchFactor(1, 1);

    auto* timelines = new QSplitter(Qt::Horizontal);
    timelines->addWidget(m_browserView);
    timelines->addWidget(middle);
    timelines->addWidget(m_inspector);
    timelines->setStretchFactor(1, 1);
    timelines->setSizes({ 330, 800, 310 });

    m_results = new ResultsPage;
    m_tabs = new QTabWidget;
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(timelines, tr("&Timelines"));
    m_tabs->addTab(m_results, tr("&Results and charts"));
    setCentralWidget(m_tabs);

    m_status = new QLabel(tr("Ready"));
    m_busy = new QProgressBar;
    m_busy->setRange(0, 0);
    m_busy->setMaximumWidth(160);
    m_busy->hide();
    statusBar()->addWidget(m_status, 1);
    statusBar()->addPermanentWidget(m_busy);

    auto* toolbar = addToolBar(tr("Timeline"));
    toolbar->setObjectName(QStringLiteral("timelineToolbar"));
    toolbar->addWidget(createToolBarWidgets());
    createMenus();

    connect(m_browserView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { onBrowserActivated(current); });
    connect(m_browserView, &QTreeView::customContextMenuRequested, this, [this](const QPoint& at) {
        if (QMenu* menu = browserMenu(m_browserView->indexAt(at))) {
            menu->exec(m_browserView->viewport()->mapToGlobal(at));
            menu->deleteLater();
        }
    });
    connect(m_pair->controller(), &ViewController::selectionChanged, this,
        &MainWindow::onSelectionChanged);
    connect(m_pair, &PairView::rowsChanged, this, &MainWindow::onRowsChanged);
    connect(m_rowsView->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) {
            if (!m_syncingRow)
                m_pair->controller()->selectRow(current.row());
        });
    connect(&m_importWatcher, &QFutureWatcher<ImportedTraces>::finished, this, [this]() {
        showImported(m_importWatcher.result());
        endWork();
        startNextImport();
    });
}

MainWindow::~MainWindow()
{
    m_importWatcher.waitForFinished();
}

QWidget* MainWindow::createToolBarWidgets()
{
    auto* bar = new QWidget;
    auto* layout = new QHBoxLayout(bar);
    layout->setContentsMargins(4, 0, 4, 0);
    m_timeMode = new QComboBox;
    m_timeMode->setAccessibleName(tr("Time axis"));
    m_timeMode->addItem(tr("Time from each run's start"), int(TimeMode::FromStart));
    m_timeMode->addItem(tr("Aligned by step"), int(TimeMode::AlignedBySteps));
    m_timeMode->addItem(tr("Absolute time"), int(TimeMode::Absolute));
    connect(m_timeMode, &QComboBox::currentIndexChanged, this,
        [this]() { m_pair->setTimeMode(TimeMode(m_timeMode->currentData().toInt())); });
    m_filterText = new QLineEdit;
    m_filterText->setPlaceholderText(tr("Filter spans by name (Ctrl+F)"));
    m_filterText->setClearButtonEnabled(true);
    m_filterText->setAccessibleName(tr("Filter by name"));
    m_filterText->setMinimumWidth(220);
    m_errorsOnly = new QCheckBox(tr("&Errors only"));
    m_kind = new QComboBox;
    m_kind->setAccessibleName(tr("Filter by kind"));
    m_kind->addItem(tr("Any kind"), -1);
    using timeline::SpanKind;
    for (SpanKind kind : { SpanKind::LlmCall, SpanKind::ToolCall, SpanKind::JournalEntry,
             SpanKind::RetryAttempt, SpanKind::Lifecycle, SpanKind::Agent, SpanKind::LogLine })
        m_kind->addItem(toQString(timeline::toString(kind)), int(kind));
    connect(m_filterText, &QLineEdit::textChanged, this, &MainWindow::applyFilter);
    connect(m_errorsOnly, &QCheckBox::toggled, this, &MainWindow::applyFilter);
    connect(m_kind, &QComboBox::currentIndexChanged, this, &MainWindow::applyFilter);
    layout->addWidget(new QLabel(tr("Time:")));
    layout->addWidget(m_timeMode);
    layout->addSpacing(16);
    layout->addWidget(m_filterText);
    layout->addWidget(m_kind);
    layout->addWidget(m_errorsOnly);
    layout->addStretch(1);
    return bar;
}

void MainWindow::createMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    QAction* openTraces
        = file->addAction(tr("&Open traces..."), QKeySequence::Open, this, [this]() {
              const QStringList paths
                  = QFileDialog::getOpenFileNames(this, tr("Open traces"), {}, traceFileFilter());
              if (!paths.isEmpty())
                  openPaths(paths);
          });
    QAction* openFolder = file->addAction(
        tr("Open results &folder..."), QKeySequence(tr("Ctrl+Shift+O")), this, [this]() {
            const QString dir
                = QFileDialog::getExistingDirectory(this, tr("Open results or snapshot folder"));
            if (!dir.isEmpty())
                openPaths({ dir });
        });
    file->addAction(
        tr("&Compare..."), QKeySequence(tr("Ctrl+Shift+C")), this, &MainWindow::compareDialog);
    QAction* openAdmin = file->addAction(tr("Open &Restate admin API..."), this, [this]() {
        bool ok = false;
        const QString url = QInputDialog::getText(this, tr("Open Restate admin API"),
            tr("Admin URL (its invocations, journals and retry events are imported):"),
            QLineEdit::Normal, QStringLiteral("http://127.0.0.1:9070"), &ok);
        if (ok && !url.trimmed().isEmpty())
            openPaths({ url.trimmed() });
    });
    file->addAction(tr("Import from &LangSmith API..."), this, [this]() {
        LangSmithDialog dialog(this);
        if (dialog.exec() != QDialog::Accepted)
            return;
        if (!dialog.hasKey() || dialog.query().project.empty()) {
            m_status->setText(
                tr("LangSmith: a project and an API key (File > Settings) are needed"));
            return;
        }
        beginWork();
        m_status->setText(tr("Reading runs from LangSmith..."));
        whenReady(this,
            importLangSmithInBackground(
                settings::langSmithUrl(), settings::langSmithKey(), dialog.query()),
            [this](const ImportedTraces& imported) {
                showImported(imported);
                endWork();
            });
    });
    m_recentMenu = file->addMenu(tr("Open &recent"));
    createFirstScreen(openTraces, openFolder, openAdmin);
    createCellTab();
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("Export &screenshot..."), QKeySequence(tr("Ctrl+Shift+S")), this,
        &MainWindow::exportScreenshotDialog);
    file->addAction(tr("Se&ttings..."), QKeySequence::Preferences, this, [this]() {
        SettingsDialog dialog(this);
        dialog.exec();
    });
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::quit);

    QMenu* view = menuBar()->addMenu(tr("&View"));
    ViewController* zoom = m_pair->controller();
    view->addAction(tr("&Fit both timelines"), QKeySequence(Qt::Key_F), m_pair, &PairView::fit);
    view->addAction(tr("Zoom &in"), QKeySequence::ZoomIn, this,
        [this, zoom]() { zoom->zoomAt(0.5, (m_pair->width() - TimelinePane::kLabelWidth) / 2.0); });
    view->addAction(tr("Zoom &out"), QKeySequence::ZoomOut, this,
        [this, zoom]() { zoom->zoomAt(2.0, (m_pair->width() - TimelinePane::kLabelWidth) / 2.0); });
    view->addAction(tr("Zoom &back"), QKeySequence::Back, zoom, &ViewController::back);
    view->addAction(tr("&Swap left and right"), QKeySequence(tr("Ctrl+Shift+X")), this, [this]() {
        const auto left = m_pair->run(0);
        const auto right = m_pair->run(1);
        m_pair->setRun(0, right);
        m_pair->setRun(1, left);
    });
    view->addAction(tr("Find in timelines"), QKeySequence::Find, this, [this]() {
        m_filterText->setFocus();
        m_filterText->selectAll();
    });
    view->addSeparator();
    QMenu* theme = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    for (const auto& [id, label] : { std::pair { QStringLiteral("light"), tr("&Light") },
             std::pair { QStringLiteral("dark"), tr("&Dark") } }) {
        QAction* action = theme->addAction(label, this, [id]() { settings::setTheme(id); });
        action->setCheckable(true);
        action->setChecked(settings::theme() == id);
        themes->addAction(action);
    }
    m_redactAction = view->addAction(tr("&Redact prompts and outputs in the inspector"));
    m_redactAction->setCheckable(true);
    connect(m_redactAction, &QAction::toggled, m_inspector, &Inspector::setRedactContent);

    QMenu* experiment = menuBar()->addMenu(tr("&Experiment"));
    experiment->addAction(tr("&Run experiment..."), QKeySequence(tr("Ctrl+R")), this,
        &MainWindow::openExperimentDialog);

    QMenu* exercise = menuBar()->addMenu(tr("E&xercise"));
    exercise->addAction(
        tr("&Start series..."), QKeySequence(tr("Ctrl+E")), this, &MainWindow::openExerciseScreen);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&Environment check..."), this, [this]() {
        auto* dialog = new EnvDialog(this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        dialog->show();
        dialog->check();
    });
    help->addAction(tr("&Keyboard and mouse"), this, [this]() {
        QMessageBox::information(this, tr("Keyboard and mouse"),
            tr("Wheel: zoom around the pointer · Shift+wheel or drag: pan · double click or F: "
               "fit · +/−: zoom · ←/→: pan · Backspace or Alt+←: zoom back · click a span: "
               "inspect it and select its step on both sides · click a band between the "
               "timelines: select that step · Ctrl+F: filter · Ctrl+Shift+S: screenshot"));
    });
}

void MainWindow::createFirstScreen(QAction* openTraces, QAction* openFolder, QAction* openAdmin)
{
    m_firstScreen = new FirstScreen;
    m_stack = new QStackedWidget;
    m_stack->addWidget(m_firstScreen);
    m_stack->addWidget(takeCentralWidget());
    setCentralWidget(m_stack);
    // Whatever opens (results, traces, an experiment's first run) shows in the browser.
    connect(m_browser, &QAbstractItemModel::rowsInserted, this,
        [this]() { m_stack->setCurrentIndex(1); });
    connect(m_firstScreen, &FirstScreen::recentRequested, this,
        [this](const QString& source) { openPaths({ source }); });
    connect(m_firstScreen, &FirstScreen::actionRequested, this, [=](FirstScreen::Action action) {
        switch (action) {
        case FirstScreen::Action::RunExperiment:
            openExperimentDialog();
            break;
        case FirstScreen::Action::OpenResults:
            openFolder->trigger();
            break;
        case FirstScreen::Action::OpenSample: {
            const QDir samples(engine::resourcePath(QStringLiteral("samples")));
            openPaths({ samples.filePath(QStringLiteral("writer-clean")),
                samples.filePath(QStringLiteral("writer-rate-limited")) });
            break;
        }
        case FirstScreen::Action::ImportTraces:
            openTraces->trigger();
            break;
        case FirstScreen::Action::OpenAdminUrl:
            openAdmin->trigger();
            break;
        }
    });
}

void MainWindow::createCellTab()
{
    m_cell = new CellView;
    auto* scroll = new QScrollArea;
    scroll->setWidget(m_cell);
    scroll->setWidgetResizable(true);
    m_tabs->addTab(scroll, tr("&Cell"));
    connect(m_cell, &CellView::runClicked, this, [this](const engine::RunRecord& run) {
        const QString dir = m_cellShown.section(QLatin1Char('\n'), 0, 0);
        const QModelIndex index = m_browser->findRun(dir, run.scenario, run.variant, run.runIndex);
        if (!index.isValid())
            return;
        m_browserView->setCurrentIndex(index);
        showRun(index);
        m_tabs->setCurrentIndex(0);
    });
}

void MainWindow::showCell(const QString& dir, const QString& scenario)
{
    const QString key = dir + QLatin1Char('\n') + scenario;
    if (key == m_cellShown)
        return;
    m_cellShown = key;
    whenReady(this, QtConcurrent::run([dir, scenario]() {
        QString error;
        const auto results = engine::loadResults(dir, error);
        if (!results)
            return engine::CellSpread();
        engine::CellSpread spread = engine::cellSpread(results->runs, scenario);
        engine::readCellTraces(results->dir, spread, engine::importExperimentJournals(results->dir),
            engine::readLlmLogs(results->dir));
        return spread;
    }),
        [this, key, scenario](const engine::CellSpread& spread) {
            if (key == m_cellShown) // a later cell was asked for meanwhile
                m_cell->setCell(scenario, spread);
        });
}

void MainWindow::rebuildRecentMenu()
{
    m_firstScreen->setRecentSources(settings::recentSources());
    m_recentMenu->clear();
    const QStringList recent = settings::recentSources();
    for (const QString& source : recent)
        m_recentMenu->addAction(source, this, [this, source]() { openPaths({ source }); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::beginWork()
{
    ++m_pending;
    m_busy->show();
}

void MainWindow::endWork()
{
    m_pending = std::max(0, m_pending - 1);
    if (m_pending == 0 && !m_importing) {
        m_busy->hide();
        emit idle();
    }
}

bool MainWindow::isBusy() const
{
    return m_pending > 0 || m_importing;
}

void MainWindow::openPaths(const QStringList& paths)
{
    QStringList traces;
    for (const QString& path : paths) {
        if (path.isEmpty())
            continue;
        settings::addRecentSource(path);
        if (engine::isResultsFolder(path))
            openResults(path);
        else
            traces << path;
    }
    rebuildRecentMenu();
    m_queue += traces;
    if (!m_importing && !m_queue.isEmpty()) {
        m_importing = true;
        startNextImport();
    } else if (!isBusy()) {
        emit idle();
    }
}

void MainWindow::startNextImport()
{
    if (m_queue.isEmpty()) {
        m_importing = false;
        emit importsFinished();
        if (m_pending == 0) {
            m_busy->hide();
            emit idle();
        }
        return;
    }
    const QStringList batch = m_queue;
    m_queue.clear();
    beginWork();
    m_status->setText(
        tr("Importing ") + counted(qint64(batch.size()), tr("source"), tr("sources")) + tr("..."));
    m_importWatcher.setFuture(importInBackground(batch));
}

void MainWindow::listWarnings()
{
    m_warnings->clear();
    QSet<QString> keys;
    const auto list = [&](const std::vector<timeline::Warning>& warnings) {
        for (const auto& warning : warnings) {
            const QString source = QString::fromStdString(warning.source);
            const QString message = QString::fromStdString(warning.message);
            const QString key = source + QLatin1Char('\n') + QString::number(warning.line)
                + QLatin1Char('\n') + message;
            if (keys.contains(key))
                continue; // one file on both sides
            keys.insert(key);
            auto* item = new QTreeWidgetItem(m_warnings);
            item->setText(0, QFileInfo(source).fileName());
            item->setToolTip(0, source);
            item->setText(1, warning.line > 0 ? QString::number(warning.line) : QString());
            item->setText(2, message);
            item->setToolTip(2, message);
        }
    };
    for (int side : { 0, 1 })
        if (const auto run = m_pair->run(side))
            list(run->warnings);
    list(m_looseWarnings);
    m_bottomTabs->setTabText(1, tr("Warnings (%1)").arg(m_warnings->topLevelItemCount()));
}

void MainWindow::setLooseWarnings(std::vector<timeline::Warning> warnings)
{
    m_looseWarnings = std::move(warnings);
    listWarnings();
}

std::vector<QModelIndex> MainWindow::addImported(
    const ImportedTraces& imported, std::vector<timeline::Warning>& traceless)
{
    std::vector<QModelIndex> rows;
    for (const auto& source : imported.sources) {
        m_importWarnings[source.path] = source.warnings;
        if (source.traces.empty()) {
            // Nothing to show: its warnings are all there is to see of it.
            traceless.insert(traceless.end(), source.warnings.begin(), source.warnings.end());
            rows.emplace_back();
            continue;
        }
        rows.push_back(m_browser->addImport(source.path, source.traces));
    }
    m_browserView->expand(m_browser->importsRoot());
    m_status->setText(
        tr("Imported %1, %2, %3")
            .arg(counted(qint64(imported.traceCount()), tr("trace"), tr("traces")),
                counted(qint64(imported.spanCount()), tr("span"), tr("spans")),
                counted(qint64(imported.warningCount()), tr("warning"), tr("warnings"))));
    return rows;
}

void MainWindow::showImported(const ImportedTraces& imported)
{
    std::vector<timeline::Warning> traceless;
    const auto rows = addImported(imported, traceless);
    // What was opened is shown, alone: the first source that has traces.
    const auto shown = std::find_if(
        rows.begin(), rows.end(), [](const QModelIndex& row) { return row.isValid(); });
    if (shown != rows.end()) {
        {
            const QSignalBlocker block(m_browserView->selectionModel());
            m_browserView->setCurrentIndex(*shown);
        }
        showImportAlone(*shown);
    }
    setLooseWarnings(std::move(traceless));
}

void MainWindow::compareSources(const QString& left, const QString& right)
{
    for (const QString& source : { left, right })
        settings::addRecentSource(source);
    rebuildRecentMenu();
    beginWork();
    m_status->setText(tr("Importing %1 and %2...").arg(left, right));
    whenReady(this, importInBackground({ left, right }), [this](const ImportedTraces& imported) {
        std::vector<timeline::Warning> traceless;
        const auto rows = addImported(imported, traceless);
        for (int side : { 0, 1 }) {
            if (size_t(side) < rows.size() && rows[size_t(side)].isValid())
                showTracesOnSide(side, rows[size_t(side)]);
            else
                clearSide(side);
        }
        setLooseWarnings(std::move(traceless));
        endWork();
    });
}

void MainWindow::compareDialog()
{
    CompareDialog dialog(this);
    if (dialog.exec() == QDialog::Accepted)
        compareSources(dialog.source(0), dialog.source(1));
}

void MainWindow::openResults(const QString& dir)
{
    beginWork();
    m_status->setText(tr("Reading results in %1...").arg(dir));
    whenReady(this, loadExperiment(dir), [this](const LoadedExperiment& loaded) {
        if (!loaded.results) {
            setLooseWarnings({ { loaded.dir.toStdString(), 0, loaded.error.toStdString() } });
            m_status->setText(loaded.error);
            endWork();
            return;
        }
        const bool first = !m_pair->run(0);
        for (const auto& run : loaded.results->runs)
            m_browser->addRun(loaded.dir, run);
        m_results->setResults(*loaded.results);
        m_browserView->expand(m_browser->experimentsRoot());
        m_status->setText(tr("%1: %2").arg(
            loaded.dir, counted(qint64(loaded.results->runs.size()), tr("run"), tr("runs"))));
        if (first && !loaded.results->runs.empty()) {
            const auto& r = loaded.results->runs.front();
            const QModelIndex run
                = m_browser->findRun(loaded.dir, r.scenario, r.variant, r.runIndex);
            m_browserView->expand(run.parent().parent().parent());
            m_browserView->setCurrentIndex(run);
        }
        endWork();
    });
}

void MainWindow::onBrowserActivated(const QModelIndex& index)
{
    switch (m_browser->kindOf(index)) {
    case BrowserModel::NodeKind::Run:
        showRun(index);
        break;
    case BrowserModel::NodeKind::Scenario:
    case BrowserModel::NodeKind::Variant:
        showRun(m_browser->firstRunUnder(index));
        break;
    case BrowserModel::NodeKind::Import:
    case BrowserModel::NodeKind::Trace:
        showImportAlone(index);
        break;
    default:
        break;
    }
}

void MainWindow::showRun(const QModelIndex& runIndex, bool alone)
{
    showPair(runIndex, alone ? QModelIndex() : m_browser->counterpartOf(runIndex));
}

void MainWindow::showPair(const QModelIndex& runIndex, const QModelIndex& otherIndex)
{
    const engine::RunRecord* run = m_browser->runAt(runIndex);
    if (!run)
        return;
    // The variant that comes first in the tables goes left: baseline, then baseline-restart,
    // then restate; a run alone goes left.
    const engine::RunRecord* other = m_browser->runAt(otherIndex);
    const QStringList order = engine::knownVariants();
    const bool runFirst = !other || order.indexOf(run->variant) <= order.indexOf(other->variant);
    std::optional<engine::RunRecord> left, right;
    (runFirst ? left : right) = *run;
    if (other)
        (runFirst ? right : left) = *other;
    loadRuns(m_browser->experimentDirOf(runIndex), left, right, { true, true });
    showCell(m_browser->experimentDirOf(runIndex), run->scenario);
}

void MainWindow::showRunOnSide(int side, const QModelIndex& runIndex)
{
    const engine::RunRecord* run = m_browser->runAt(runIndex);
    if (!run)
        return;
    std::optional<engine::RunRecord> left, right;
    (side == 0 ? left : right) = *run;
    loadRuns(m_browser->experimentDirOf(runIndex), left, right, { side == 0, side == 1 });
}

void MainWindow::loadRuns(const QString& dir, std::optional<engine::RunRecord> left,
    std::optional<engine::RunRecord> right, std::array<bool, 2> sides)
{
    std::array<int, 2> generation {};
    for (int side : { 0, 1 })
        if (sides[size_t(side)])
            generation[size_t(side)] = ++m_generation[side];
    const int epoch = m_journalEpoch[dir];
    beginWork();
    m_looseWarnings.clear();
    const auto cached = m_journals.count(dir) ? m_journals[dir] : nullptr;
    whenReady(this, loadRunPair(dir, left, right, cached), [=](const LoadedPair& pair) {
        keepJournals(dir, epoch, pair.journals);
        for (int side : { 0, 1 })
            if (sides[size_t(side)] && generation[size_t(side)] == m_generation[side])
                m_pair->setRun(side, side == 0 ? pair.left : pair.right);
        endWork();
    });
}

void MainWindow::showTracesOnSide(int side, const QModelIndex& index)
{
    auto traces = m_browser->tracesUnder(index);
    if (traces.empty())
        return;
    const QString title = index.data().toString();
    const int generation = ++m_generation[side];
    beginWork();
    m_looseWarnings.clear();
    whenReady(this, loadTraces(std::move(traces), title, importWarningsOf(index)),
        [=](std::shared_ptr<const PaneRun> run) {
            if (generation == m_generation[side])
                m_pair->setRun(side, std::move(run));
            endWork();
        });
}

std::vector<timeline::Warning> MainWindow::importWarningsOf(const QModelIndex& index) const
{
    // A file's warnings go with any of its traces: they may concern it.
    const auto it = m_importWarnings.find(m_browser->importSourceOf(index));
    return it == m_importWarnings.end() ? std::vector<timeline::Warning>() : it->second;
}

void MainWindow::showImportAlone(const QModelIndex& index)
{
    // An imported file is compared on purpose (File > Compare, or the browser's menu), never
    // with whatever run was on the other side.
    showTracesOnSide(0, index);
    clearSide(1);
}

void MainWindow::clearSide(int side)
{
    ++m_generation[side]; // answers still on their way for this side are stale
    m_pair->setRun(side, nullptr);
}

void MainWindow::keepJournals(
    const QString& dir, int epoch, std::shared_ptr<const engine::ExperimentJournals> journals)
{
    // Journals read before the experiment saved newer ones must not come back into the cache.
    if (m_journalEpoch[dir] == epoch)
        m_journals[dir] = std::move(journals);
}

void MainWindow::forgetJournals(const QString& dir)
{
    m_journals.erase(dir);
    ++m_journalEpoch[dir];
}

void MainWindow::onRowsChanged()
{
    listWarnings();
    m_rowsModel->setRows(m_pair->run(0), m_pair->run(1), m_pair->rows());
    int changed = 0;
    for (const auto& row : m_pair->rows())
        changed += row.status == timeline::RowStatus::Same ? 0 : 1;
    m_bottomTabs->setTabText(
        0, tr("Aligned steps (%1, %2 differ)").arg(m_pair->rows().size()).arg(changed));
    m_bottomTabs->setTabToolTip(0, toleranceLegend());
    applyFilter();
}

void MainWindow::onSelectionChanged()
{
    ViewController* controller = m_pair->controller();
    const int row = controller->selectedRow();
    {
        // The table follows (its row shown selected), without selecting back.
        const QScopedValueRollback<bool> syncing(m_syncingRow, true);
        if (row >= 0 && row < m_rowsModel->rowCount()) {
            m_rowsView->selectRow(row);
            m_rowsView->scrollTo(m_rowsModel->index(row, 0));
        } else {
            m_rowsView->clearSelection();
            m_rowsView->selectionModel()->setCurrentIndex({}, QItemSelectionModel::NoUpdate);
        }
    }
    SpanRef span = controller->selectedSpan();
    QJsonObject compared;
    if (row >= 0 && row < int(m_pair->rows().size())) {
        const auto& aligned = m_pair->rows()[size_t(row)];
        compared[QStringLiteral("status")] = rowLabel(aligned.status);
        if (aligned.left >= 0 && aligned.right >= 0)
            compared[QStringLiteral("delta_ms")] = double(aligned.deltaNs) / 1e6;
        for (int side : { 0, 1 }) {
            const int step = side == 0 ? aligned.left : aligned.right;
            const auto run = m_pair->run(side);
            if (step >= 0 && run && step < int(run->steps.size()))
                compared[side == 0 ? QStringLiteral("left") : QStringLiteral("right")]
                    = QStringLiteral("%1, %2, %3")
                          .arg(toQString(run->steps[size_t(step)].label()),
                              formatDuration(run->steps[size_t(step)].durationNs()),
                              counted(qint64(run->steps[size_t(step)].attempts.size()),
                                  tr("attempt"), tr("attempts")));
        }
        // A row picked in the gutter or the table: inspect its last attempt.
        if (!span.isValid()) {
            const int side = aligned.left >= 0 ? 0 : 1;
            const int step = side == 0 ? aligned.left : aligned.right;
            const auto run = m_pair->run(side);
            if (run && step >= 0 && step < int(run->steps.size()))
                span = { side, run->steps[size_t(step)].track,
                    run->steps[size_t(step)].attempts.back() };
        }
    }
    const auto run = span.isValid() ? m_pair->run(span.side) : nullptr;
    m_inspector->showSpan(run.get(), span, compared);
}

void MainWindow::applyFilter()
{
    SpanFilter filter;
    filter.text = m_filterText->text().trimmed();
    filter.errorsOnly = m_errorsOnly->isChecked();
    if (const int kind = m_kind->currentData().toInt(); kind >= 0)
        filter.kind = timeline::SpanKind(kind);
    m_pair->controller()->setFilter(filter);
    if (!filter.isActive())
        return;
    int matches = 0;
    for (int side : { 0, 1 })
        if (const auto run = m_pair->run(side))
            for (const auto& track : run->run.tracks())
                for (const auto& span : track.trace->spans)
                    matches += filter.matches(*track.trace, span) ? 1 : 0;
    m_status->setText(counted(matches, tr("span matches"), tr("spans match")) + tr(" the filter"));
}

bool MainWindow::saveScreenshot(
    ShotView view, const QString& path, double scale, bool redact, QString& error)
{
    QWidget* target = this;
    QRect region;
    switch (view) {
    case ShotView::LeftPane:
        target = m_pair->pane(0);
        break;
    case ShotView::RightPane:
        target = m_pair->pane(1);
        break;
    case ShotView::Pair:
        target = m_pair;
        QCoreApplication::sendPostedEvents(nullptr, QEvent::LayoutRequest);
        region = m_pair->contentRect();
        break;
    case ShotView::Charts:
        m_tabs->setCurrentWidget(m_results);
        target = m_results;
        break;
    case ShotView::Window:
        break;
    }
    const bool wasRedacting = m_inspector->redactContent();
    m_inspector->setRedactContent(redact || wasRedacting);
    const bool saved = saveWidgetImage(target, path, scale, error, region);
    m_inspector->setRedactContent(wasRedacting);
    return saved;
}

void MainWindow::exportScreenshotDialog()
{
    QStringList views = { tr("Both timelines (pair)"), tr("Left timeline"), tr("Right timeline"),
        tr("Results and charts"), tr("Whole window") };
    bool ok = false;
    const QString choice = QInputDialog::getItem(
        this, tr("Export screenshot"), tr("What to capture:"), views, 0, false, &ok);
    if (!ok)
        return;
    const ShotView view[] = { ShotView::Pair, ShotView::LeftPane, ShotView::RightPane,
        ShotView::Charts, ShotView::Window };
    const QString path = QFileDialog::getSaveFileName(this, tr("Save screenshot"),
        QStringLiteral("twintrace.png"), tr("PNG image, 2x (*.png);;SVG drawing (*.svg)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!saveScreenshot(
            view[views.indexOf(choice)], path, 2.0, settings::redactScreenshots(), error))
        QMessageBox::warning(this, tr("Export screenshot"), error);
    else
        m_status->setText(tr("Screenshot saved to %1").arg(path));
}

QString MainWindow::currentExperimentDir() const
{
    const QString dir = m_browser->experimentDirOf(m_browserView->currentIndex());
    if (!dir.isEmpty())
        return dir;
    return m_browser->index(0, 0, m_browser->experimentsRoot())
        .data(BrowserModel::PathRole)
        .toString();
}

ExperimentDialog* MainWindow::openExperimentDialog()
{
    auto* dialog = new ExperimentDialog(this, currentExperimentDir());
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ExperimentDialog::runFinished, this,
        [this, dialog](const QString& dir, const engine::RunRecord& run) {
            const bool first
                = !m_browser->findRun(dir, run.scenario, run.variant, run.runIndex).isValid()
                && m_browser->rowCount(m_browser->experimentsRoot()) == 0;
            m_browser->addRun(dir, run);
            m_browserView->expand(m_browser->experimentsRoot());
            // Live: the newest run (and its counterpart) replaces what the panes showed.
            const QModelIndex index
                = m_browser->findRun(dir, run.scenario, run.variant, run.runIndex);
            forgetJournals(dir);
            if (first || m_pair->run(0) == nullptr || dialog->followsLive())
                m_browserView->setCurrentIndex(index);
        });
    connect(dialog, &ExperimentDialog::experimentFinished, this, [this](const QString& dir) {
        forgetJournals(dir);
        openResults(dir);
    });
    dialog->show();
    return dialog;
}

ExerciseScreen* MainWindow::openExerciseScreen()
{
    const QString dir = currentExperimentDir();
    if (dir.isEmpty()) {
        m_status->setText(tr("Exercises show an experiment's recorded fault runs: open its results "
                             "folder first (File > Open results folder), or run one (Experiment > "
                             "Run)."));
        return nullptr;
    }
    auto* screen = new ExerciseScreen(dir, this);
    screen->setAttribute(Qt::WA_DeleteOnClose);
    // The debugging criterion and the Results tab follow the answers: when the series ends,
    // and when it is left before its end (its answers so far are stored).
    connect(screen, &ExerciseScreen::seriesFinished, this, [this, dir]() { openResults(dir); });
    connect(screen, &QDialog::finished, this, [this, dir]() { openResults(dir); });
    screen->show();
    return screen;
}

bool MainWindow::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_browserView->viewport()
        && (event->type() == QEvent::MouseButtonPress || event->type() == QEvent::MouseButtonRelease
            || event->type() == QEvent::MouseButtonDblClick)
        && static_cast<QMouseEvent*>(event)->button() == Qt::RightButton)
        return true;
    return QMainWindow::eventFilter(watched, event);
}

QMenu* MainWindow::browserMenu(const QModelIndex& index)
{
    const auto kind = m_browser->kindOf(index);
    const bool isRun = kind == BrowserModel::NodeKind::Run;
    const bool hasTraces
        = kind == BrowserModel::NodeKind::Trace || kind == BrowserModel::NodeKind::Import;
    if (!index.isValid() || !(isRun || hasTraces))
        return nullptr;
    auto* menu = new QMenu(this);
    const QPersistentModelIndex row(index);
    for (int side : { 0, 1 })
        menu->addAction(side == 0 ? tr("Show on the left") : tr("Show on the right"), this,
            [this, side, row, isRun]() {
                if (!row.isValid())
                    return;
                isRun ? showRunOnSide(side, row) : showTracesOnSide(side, row);
            });
    // Any two variants of the run side by side: baseline-restart vs restate (what Restate saves
    // over a restart loop), baseline vs baseline-restart (what the loop buys).
    if (isRun) {
        const QStringList others = m_browser->otherVariantsOf(index);
        if (!others.isEmpty())
            menu->addSeparator();
        for (const QString& variant : others)
            menu->addAction(tr("Compare with %1").arg(variant), this, [this, row, variant]() {
                if (row.isValid())
                    showPair(row, m_browser->sibling(row, variant));
            });
    }
    return menu;
}

void MainWindow::dragEnterEvent(QDragEnterEvent* event)
{
    if (event->mimeData()->hasUrls())
        event->acceptProposedAction();
}

void MainWindow::dropEvent(QDropEvent* event)
{
    QStringList paths;
    for (const QUrl& url : event->mimeData()->urls())
        if (url.isLocalFile())
            paths << url.toLocalFile();
    openPaths(paths);
}

} // namespace tt::gui
