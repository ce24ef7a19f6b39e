// SPDX-License-Identifier: MIT
#include "loaders.h"

#include <QtConcurrent/QtConcurrentRun>

namespace tt::gui {

QFuture<LoadedExperiment> loadExperiment(const QString& dir)
{
    return QtConcurrent::run([dir]() {
        LoadedExperiment loaded;
        loaded.dir = dir;
        loaded.results = engine::loadResults(dir, loaded.error);
        return loaded;
    });
}

QString runTitle(const engine::RunRecord& run)
{
    return QStringLiteral("%1 · %2 #%3").arg(run.variant, run.scenario).arg(run.runIndex);
}

std::shared_ptr<const PaneRun> paneOfRun(const QString& dir, const engine::RunRecord& run,
    const engine::ExperimentJournals& journals, std::vector<timeline::Warning>& warnings,
    const std::map<QString, std::vector<engine::LlmRequest>>* llmLogs)
{
    timeline::RunView view = engine::runViewOfRun(dir, run, journals, &warnings);
    QString outcome = run.outcome;
    if (run.crashed && run.outcome != QLatin1String("crashed"))
        outcome += QStringLiteral(" after a crash");
    if (run.restateRetries > 0)
        outcome += QStringLiteral(", %1 Restate retries").arg(run.restateRetries);
    if (run.clientRetries > 0)
        outcome += QStringLiteral(", %1 client retries").arg(run.clientRetries);
    auto pane = std::const_pointer_cast<PaneRun>(
        makePaneRun(std::move(view), runTitle(run), outcome, !run.success));
    pane->record = run;
    if (llmLogs)
        if (const auto it = llmLogs->find(engine::llmLogKey(run)); it != llmLogs->end())
            pane->llm = it->second;
    return pane;
}

QFuture<LoadedPair> loadRunPair(const QString& dir, std::optional<engine::RunRecord> left,
    std::optional<engine::RunRecord> right,
    std::shared_ptr<const engine::ExperimentJournals> journals)
{
    return QtConcurrent::run([=]() {
        LoadedPair pair;
        pair.journals = journals ? journals
                                 : std::make_shared<const engine::ExperimentJournals>(
                                     engine::importExperimentJournals(dir));
        if (!journals)
            pair.warnings = pair.journals->warnings;
        const auto llmLogs = engine::readLlmLogs(dir, &pair.warnings);
        if (left)
            pair.left = paneOfRun(dir, *left, *pair.journals, pair.warnings, &llmLogs);
        if (right)
            pair.right = paneOfRun(dir, *right, *pair.journals, pair.warnings, &llmLogs);
        return pair;
    });
}

QFuture<std::shared_ptr<const PaneRun>> loadTraces(
    std::vector<std::shared_ptr<const timeline::Trace>> traces, QString title)
{
    return QtConcurrent::run([traces = std::move(traces), title]() {
        timeline::RunView view(title.toStdString());
        for (const auto& trace : traces)
            view.addTrace(trace);
        return makePaneRun(std::move(view), title);
    });
}

} // namespace tt::gui
