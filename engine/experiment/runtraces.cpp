// SPDX-License-Identifier: MIT
#include "runtraces.h"

#include "importers/common/files.h"
#include "importers/restate/restateimporter.h"

#include <QDir>
#include <QFileInfo>

namespace tt::engine {

QString runFolder(const QString& outDir, const QString& scenario, const QString& variant, int index)
{
    return QDir(outDir).filePath(
        QStringLiteral("runs/%1/%2-%3")
            .arg(QString(scenario).replace(QLatin1Char('#'), QLatin1Char('_')), variant)
            .arg(index));
}

ExperimentJournals importExperimentJournals(const QString& outDir)
{
    ExperimentJournals journals;
    const QDir sessions(QDir(outDir).filePath(QStringLiteral("restate")));
    for (const QString& name : sessions.entryList(QDir::Dirs | QDir::NoDotAndDotDot, QDir::Name)) {
        const std::string folder = sessions.filePath(name).toStdString();
        if (!importers::restate::isSnapshotFolder(folder))
            continue;
        auto result = importers::restate::importSnapshotFolder(folder);
        for (auto& trace : result.traces) {
            const std::string id = trace.id;
            journals.byInvocation[id] = std::make_shared<const timeline::Trace>(std::move(trace));
        }
        std::move(
            result.warnings.begin(), result.warnings.end(), std::back_inserter(journals.warnings));
    }
    return journals;
}

timeline::ImportResult importRunTraces(
    const QString& outDir, const RunRecord& run, const ExperimentJournals& journals)
{
    timeline::ImportResult out;
    const QDir folder(runFolder(outDir, run.scenario, run.variant, run.runIndex));
    if (!run.invocationId.isEmpty()) {
        const auto it = journals.byInvocation.find(run.invocationId.toStdString());
        if (it != journals.byInvocation.end())
            out.traces.push_back(*it->second);
        else
            out.warnings.push_back(
                { QDir(outDir).filePath(QStringLiteral("restate")).toStdString(), 0,
                    "no journal for invocation " + run.invocationId.toStdString()
                        + " (saved when its session ends)" });
    }
    // The Writer's own traces, in the order the panes show them.
    for (const char* name : { "openai.jsonl", "trace.log", "langsmith.jsonl" }) {
        const QString path = folder.filePath(QLatin1String(name));
        if (!QFileInfo::exists(path))
            continue;
        auto result = importers::importPath(path.toStdString());
        std::move(result.traces.begin(), result.traces.end(), std::back_inserter(out.traces));
        std::move(result.warnings.begin(), result.warnings.end(), std::back_inserter(out.warnings));
    }
    if (out.traces.empty())
        out.warnings.push_back(
            { folder.path().toStdString(), 0, "no traces in this run's folder" });
    return out;
}

} // namespace tt::engine
