// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/results.h"
#include "engine/experiment/runtraces.h"
#include "gui/timeline/panerun.h"

#include <QFuture>

#include <memory>
#include <optional>

namespace tt::gui {

// An experiment folder read off the GUI thread.
struct LoadedExperiment
{
    QString dir;
    std::optional<engine::ExperimentResults> results;
    QString error;
};
QFuture<LoadedExperiment> loadExperiment(const QString& dir);

// Both sides of a pair of runs, ready to show; a side without a run stays empty.
struct LoadedPair
{
    std::shared_ptr<const PaneRun> left;
    std::shared_ptr<const PaneRun> right;
    // The experiment's journals, kept so that the next pair does not import them again.
    std::shared_ptr<const engine::ExperimentJournals> journals;
};
QFuture<LoadedPair> loadRunPair(const QString& dir, std::optional<engine::RunRecord> left,
    std::optional<engine::RunRecord> right,
    std::shared_ptr<const engine::ExperimentJournals> journals);

// One pane from traces already imported (lanes and steps built off the GUI thread), with the
// warnings their import gave.
QFuture<std::shared_ptr<const PaneRun>> loadTraces(
    std::vector<std::shared_ptr<const timeline::Trace>> traces, QString title,
    std::vector<timeline::Warning> warnings = {});

// "baseline · crash-at-llm_call_2 #1" and its outcome line, as panes and screenshots title runs.
QString runTitle(const engine::RunRecord& run);
// A recorded run's pane; its warnings are its own files' and those of the journals that name
// its invocation. llmLogs: the stand-in's requests of the experiment (engine::readLlmLogs), when
// read.
std::shared_ptr<const PaneRun> paneOfRun(const QString& dir, const engine::RunRecord& run,
    const engine::ExperimentJournals& journals,
    const std::map<QString, std::vector<engine::LlmRequest>>* llmLogs = nullptr);

} // namespace tt::gui
