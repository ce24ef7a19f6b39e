// SPDX-License-Identifier: MIT
#include "loaders.h"

#include "gui/qtext.h"

#include <QObject>
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
    const engine::ExperimentJournals& journals,
    const std::map<QString, std::vector<engine::LlmRequest>>* llmLogs)
{
    std::vector<timeline::Warning> warnings;
    if (!run.invocationId.isEmpty())
        for (const timeline::Warning& warning : journals.warnings)
            if (warning.message.find(run.invocationId.toStdString()) != std::string::npos)
                warnings.push_back(warning);
    timeline::RunView view = engine::runViewOfRun(dir, run, journals, &warnings);
    QString outcome = run.outcome;
    if (run.crashed && run.outcome != QLatin1String("crashed"))
        outcome += QStringLiteral(" after a crash");
    if (run.restateRetries > 0)
        outcome += QStringLiteral(", ")
            + counted(
                run.restateRetries, QObject::tr("Restate retry"), QObject::tr("Restate retries"));
    if (run.clientRetries > 0)
        outcome += QStringLiteral(", ")
            + counted(
                run.clientRetries, QObject::tr("client retry"), QObject::tr("client retries"));
    auto pane = std::const_pointer_cast<PaneRun>(
        makePaneRun(std::move(view), runTitle(run), outcome, !run.success, std::move(warnings)));
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
        // The stand-in's requests, for the divergence paragraph; a log that cannot be read
        // only leaves the paragraph with less to say.
        std::vector<timeline::Warning> logWarnings;
        const auto llmLogs = engine::readLlmLogs(dir, &logWarnings);
        if (left)
            pair.left = paneOfRun(dir, *left, *pair.journals, &llmLogs);
        if (right)
            pair.right = paneOfRun(dir, *right, *pair.journals, &llmLogs);
        return pair;
    });
}

QFuture<std::shared_ptr<const PaneRun>> loadTraces(
    std::vector<std::shared_ptr<const timeline::Trace>> traces, QString title,
    std::vector<timeline::Warning> warnings)
{
    return QtConcurrent::run(
        [traces = std::move(traces), title, warnings = std::move(warnings)]() mutable {
            timeline::RunView view(title.toStdString());
            for (const auto& trace : traces)
                view.addTrace(trace);
            return makePaneRun(std::move(view), title, {}, false, std::move(warnings));
        });
}

} // namespace tt::gui
