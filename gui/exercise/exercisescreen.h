// SPDX-License-Identifier: MIT
#pragma once

#include "engine/exercise/series.h"
#include "engine/experiment/runtraces.h"
#include "gui/timeline/panerun.h"

#include <QDialog>
#include <QElapsedTimer>
#include <QFuture>
#include <QTimer>

#include <memory>
#include <optional>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

namespace tt::gui {

class Inspector;
class TimelinePane;
class ViewController;

// A timed debugging exercise series on a recorded experiment (issue 9). The setup page takes an
// optional person id and notes, the number of scenarios, the seed and which view comes first;
// then each screen shows one recorded fault run in one view only, its scenario hidden (titles,
// file names and the scenario's name in any value), and starts a clock. The person clicks the
// failing step on the timeline and picks the fault kind; Submit stops the clock and stores the
// answer in the experiment's results store. The practice round says whether it was right; the
// counted ones do not. The last page sums the series up per view.
class ExerciseScreen : public QDialog
{
    Q_OBJECT
public:
    // readExperiment false: a preview (showPreview) that reads nothing by itself.
    explicit ExerciseScreen(
        QString experimentDir, QWidget* parent = nullptr, bool readExperiment = true);

    // Set-up (what the page's fields hold), then start: false with a reason shown.
    void setPerson(const QString& person);
    void setSeriesOptions(const engine::SeriesOptions& options);
    bool start();

    const std::vector<engine::ExerciseItem>& series() const { return m_series; }
    int current() const { return m_current; } // -1 before the first screen
    TimelinePane* pane() const { return m_pane; }
    QComboBox* faultBox() const { return m_kind; }
    QPushButton* submitButton() const { return m_submit; }
    QPushButton* startButton() const { return m_start; }
    QString chosenStep() const { return m_chosenStep; }
    QString seriesId() const { return m_seriesId; }
    QString summaryText() const;
    // What the set-up page says (reading, ready, or why no series can start).
    QString setupMessage() const;
    // A screen of a series with its run already loaded, without clock or store: what the
    // report's screenshot of the exercise shows.
    void showPreview(const std::vector<engine::ExerciseItem>& series, int position,
        std::shared_ptr<const PaneRun> run);
    // A recorded run as a screen shows it: on one clock, titled without its scenario.
    static std::shared_ptr<const PaneRun> runToDiagnose(const QString& dir,
        const engine::RunRecord& run, const engine::ExperimentJournals& journals);
    // Clicks (programmatically) the widest span of a step, as a person answering would.
    bool selectStep(const QString& label);

public slots:
    // Escape: in the middle of a series, asks whether to leave (the clock paused meanwhile).
    void reject() override;
    // Closing waits for the answers still being stored.
    void done(int result) override;

signals:
    void itemShown(int position); // the run is on screen and the clock runs
    void answerStored(const engine::ExerciseRecord& record);
    void seriesFinished(); // the last answer is on screen and every answer is stored
    void failed(const QString& reason);

private:
    void showPage(int page);
    // Time on the current screen, the pauses excluded.
    qint64 elapsedMs() const;
    void showItem(int position);
    void prepareItem(int position);
    void presentRun(std::shared_ptr<const PaneRun> run, const engine::ExerciseItem& item);
    void onSpanSelected();
    void submit();
    void finish();
    void updateClock();
    void updateSubmit();

    QString m_dir;
    std::optional<engine::ExperimentResults> m_results;
    std::vector<engine::ExerciseItem> m_series;
    std::vector<engine::ExerciseRecord> m_answers;
    int m_current = -1;
    QString m_seriesId;
    QString m_chosenStep;
    std::shared_ptr<const PaneRun> m_run;
    int m_loadGeneration = 0;
    // The experiment's journals, read for the first screen and kept for the others.
    std::shared_ptr<const engine::ExperimentJournals> m_journals;
    int m_pendingWrites = 0;
    std::vector<QFuture<QString>> m_writes;
    bool m_done = false;
    QElapsedTimer m_clock;
    qint64 m_pausedMs = 0;
    QTimer m_tick;

    QStackedWidget* m_pages;
    // set-up
    QLineEdit* m_person;
    QLineEdit* m_notes;
    QSpinBox* m_scenarios;
    QSpinBox* m_seed;
    QComboBox* m_firstView;
    QCheckBox* m_practice;
    QLabel* m_setupState;
    QPushButton* m_start;
    // exercise
    QLabel* m_heading;
    QLabel* m_clockLabel;
    QLabel* m_feedback;
    ViewController* m_controller;
    TimelinePane* m_pane;
    Inspector* m_inspector;
    QLabel* m_stepLabel;
    QComboBox* m_kind;
    QPushButton* m_submit;
    // end
    QLabel* m_summary;
    QPushButton* m_close;
};

} // namespace tt::gui
