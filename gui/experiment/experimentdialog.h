// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/runner.h"

#include <QDialog>
#include <QFutureWatcher>

#include <atomic>
#include <memory>
#include <utility>
#include <vector>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;

namespace tt::gui {

// Chooses scenarios, variants, runs, seed and folder, then runs the experiment off the GUI
// thread: a progress bar, the runs as they end, Cancel (children stopped, finished runs kept;
// the same folder resumes), and the report written at the end. Each finished run is announced,
// so that the window's browser and timelines follow the experiment live.
class ExperimentDialog : public QDialog
{
    Q_OBJECT
public:
    // The results folder starts as the open experiment's (experimentDir), else a new dated
    // folder under the user's documents: never the process's working directory.
    explicit ExperimentDialog(QWidget* parent = nullptr, const QString& experimentDir = {});
    // experiment-2026-11-29-1850 under Documents/TwinTrace (the home folder without one).
    static QString newExperimentDir();
    ~ExperimentDialog() override;

    engine::ExperimentOptions options() const;
    void setOptions(const engine::ExperimentOptions& options);
    bool followsLive() const;
    bool isRunning() const;
    void start();
    void cancel();
    QProgressBar* progressBar() const { return m_progress; }
    QPushButton* startButton() const { return m_start; }
    QPushButton* cancelButton() const { return m_cancel; }
    // The box that chooses a variant (baseline, baseline-restart, restate), or null.
    QCheckBox* variantBox(const QString& variant) const;

signals:
    void runFinished(const QString& dir, const engine::RunRecord& run);
    void experimentFinished(const QString& dir, bool completed, const QString& message);

protected:
    void closeEvent(QCloseEvent* event) override;
    void reject() override;

private:
    struct Outcome
    {
        bool completed = false;
        bool started = false;
        QString error;
        QString report;
    };
    void onProgress(int done, int total, const QString& message,
        std::shared_ptr<const engine::RunRecord> finished);
    void onFinished(const Outcome& outcome);
    void setRunning(bool running);

    QListWidget* m_scenarios;
    std::vector<std::pair<QString, QCheckBox*>> m_variants; // engine::knownVariants() order
    QSpinBox* m_runs;
    QSpinBox* m_seed;
    QDoubleSpinBox* m_timeScale;
    QSpinBox* m_parallel; // runs at once (engine::ExperimentOptions::parallel)
    QLineEdit* m_outDir;
    QCheckBox* m_follow;
    QProgressBar* m_progress;
    QLabel* m_state;
    QPlainTextEdit* m_log;
    QPushButton* m_start;
    QPushButton* m_cancel;
    QPushButton* m_close;
    std::shared_ptr<std::atomic<bool>> m_cancelFlag;
    // Set when the dialog goes away mid-run: the worker then stops waiting for the GUI thread.
    std::shared_ptr<std::atomic<bool>> m_abandonFlag = std::make_shared<std::atomic<bool>>(false);
    bool m_closeWhenDone = false;
    QFutureWatcher<Outcome> m_watcher;
    QString m_runningDir;
};

} // namespace tt::gui
