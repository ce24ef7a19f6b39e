// SPDX-License-Identifier: MIT
#pragma once

#include "browser/loaders.h"
#include "importjob.h"
#include "welcome/firstscreen.h"

#include <QFutureWatcher>
#include <QMainWindow>
#include <QSet>

#include <array>
#include <map>
#include <memory>
#include <optional>

class QAction;
class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QMenu;
class QProgressBar;
class QStackedWidget;
class QTabWidget;
class QTableView;
class QTreeView;
class QTreeWidget;

namespace tt::gui {

class AlignedRowsModel;
class BrowserModel;
class Inspector;
class PairView;
class CellView;
class ResultsPage;

// What a screenshot shows.
enum class ShotView
{
    LeftPane,
    RightPane,
    Pair,
    Charts,
    Window,
};

// The browser of experiments and imports on the left; the two synchronized timelines with the
// diff gutter in the middle, the aligned steps and the import warnings under them; the inspector
// on the right; the charts page in the second tab. Everything slow (imports, results, run
// traces) is read off the GUI thread and arrives as values.
class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens files, folders (a results folder becomes an experiment), or Restate admin URLs.
    void openPaths(const QStringList& paths);
    void openResults(const QString& dir);
    // Shows a run on one side; its counterpart (other variant, same scenario and index) opens on
    // the other side unless `alone`.
    void showRun(const QModelIndex& runIndex, bool alone = false);
    // Two runs side by side, the variant that tables show first on the left.
    void showPair(const QModelIndex& runIndex, const QModelIndex& otherIndex);
    void showRunOnSide(int side, const QModelIndex& runIndex);
    void showTracesOnSide(int side, const QModelIndex& index);
    // Imports two sources (files, folders, admin URLs) and shows the first on the left, the
    // second on the right (File > Compare).
    void compareSources(const QString& left, const QString& right);
    // The browser's context menu for a row ("Show on the left/right", and for a run "Compare
    // with" each other variant of its scenario and index), or nullptr.
    QMenu* browserMenu(const QModelIndex& index);
    bool isBusy() const;

    // The experiment dialog (Experiment > Run): its finished runs appear in the browser live.
    class ExperimentDialog* openExperimentDialog();
    // A timed debugging exercise series on the experiment in the browser (the selected one, else
    // the first); nullptr with a message when none is open.
    class ExerciseScreen* openExerciseScreen();

    bool saveScreenshot(
        ShotView view, const QString& path, double scale, bool redact, QString& error);

    BrowserModel* browser() const { return m_browser; }
    QTreeView* browserView() const { return m_browserView; }
    PairView* pairView() const { return m_pair; }
    Inspector* inspector() const { return m_inspector; }
    AlignedRowsModel* rowsModel() const { return m_rowsModel; }
    QTableView* rowsView() const { return m_rowsView; }
    ResultsPage* resultsPage() const { return m_results; }
    QTreeWidget* warningsView() const { return m_warnings; }
    QLineEdit* filterEdit() const { return m_filterText; }
    QCheckBox* errorsOnlyBox() const { return m_errorsOnly; }
    QTabWidget* tabs() const { return m_tabs; }
    FirstScreen* firstScreen() const { return m_firstScreen; }
    class CellView* cellView() const { return m_cell; }

signals:
    // Fired when nothing is left loading (imports, results, run traces): the window shows it all.
    void idle();
    void importsFinished();

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;
    void dragEnterEvent(QDragEnterEvent* event) override;
    void dropEvent(QDropEvent* event) override;

private:
    // The experiment of the browser's current item, else the first one open, else "".
    QString currentExperimentDir() const;
    void createMenus();
    QWidget* createToolBarWidgets();
    void startNextImport();
    void showImported(const ImportedTraces& imported);
    // Adds the sources with traces to the browser (their rows, invalid for the others, whose
    // warnings go to `traceless`) and keeps each source's warnings.
    std::vector<QModelIndex> addImported(
        const ImportedTraces& imported, std::vector<timeline::Warning>& traceless);
    std::vector<timeline::Warning> importWarningsOf(const QModelIndex& index) const;
    // An import (or one of its traces) on the left, nothing on the right.
    void showImportAlone(const QModelIndex& index);
    void clearSide(int side);
    void compareDialog();
    // The Warnings tab: the warnings of the runs on screen, plus loose ones (a folder that could
    // not be read, a file without traces) until something else is shown.
    void listWarnings();
    void setLooseWarnings(std::vector<timeline::Warning> warnings);
    void onBrowserActivated(const QModelIndex& index);
    void onSelectionChanged();
    void onRowsChanged();
    void applyFilter();
    void beginWork();
    void endWork();
    void rebuildRecentMenu();
    // The first screen's ways in, by the menu actions that do the same.
    void createFirstScreen(QAction* openTraces, QAction* openFolder, QAction* openAdmin);
    // The Cell tab: every run of the scenario on screen; a click opens that run's pair.
    void createCellTab();
    void showCell(const QString& dir, const QString& scenario);
    void exportScreenshotDialog();
    // Loads the runs off the GUI thread into the sides asked for (a side without a run empties).
    void loadRuns(const QString& dir, std::optional<engine::RunRecord> left,
        std::optional<engine::RunRecord> right, std::array<bool, 2> sides);
    void keepJournals(
        const QString& dir, int epoch, std::shared_ptr<const engine::ExperimentJournals> journals);
    void forgetJournals(const QString& dir);

    BrowserModel* m_browser;
    QTreeView* m_browserView = nullptr;
    PairView* m_pair = nullptr;
    Inspector* m_inspector = nullptr;
    AlignedRowsModel* m_rowsModel = nullptr;
    QTableView* m_rowsView = nullptr;
    QTreeWidget* m_warnings = nullptr;
    ResultsPage* m_results = nullptr;
    QTabWidget* m_tabs = nullptr;
    QStackedWidget* m_stack = nullptr; // the first screen until something is open
    FirstScreen* m_firstScreen = nullptr;
    CellView* m_cell = nullptr;
    QString m_cellShown; // dir and scenario of the cell on the Cell tab
    QTabWidget* m_bottomTabs = nullptr;
    QLineEdit* m_filterText = nullptr;
    QCheckBox* m_errorsOnly = nullptr;
    QComboBox* m_kind = nullptr;
    QComboBox* m_timeMode = nullptr;
    QMenu* m_recentMenu = nullptr;
    QProgressBar* m_busy = nullptr;
    QLabel* m_status = nullptr;
    QFutureWatcher<ImportedTraces> m_importWatcher;
    QStringList m_queue;
    bool m_importing = false;
    bool m_syncingRow = false; // the table is being set from the selection, not by a person
    int m_pending = 0; // background loads not yet shown
    // A newer request for a side makes older answers for it stale.
    int m_generation[2] = { 0, 0 };
    std::map<QString, std::shared_ptr<const engine::ExperimentJournals>> m_journals;
    std::map<QString, int> m_journalEpoch; // bumped when an experiment's journals change
    std::vector<timeline::Warning> m_looseWarnings;
    std::map<QString, std::vector<timeline::Warning>> m_importWarnings; // by opened source
    QAction* m_redactAction = nullptr;
};

} // namespace tt::gui
