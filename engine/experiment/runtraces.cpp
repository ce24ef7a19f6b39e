// SPDX-License-Identifier: MIT
#include "runtraces.h"

#include "importers/common/files.h"
#include "importers/restate/restateimporter.h"

#include <QDateTime>
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
    const QString gpu = QDir(outDir).filePath(QStringLiteral("gpu.jsonl"));
    if (QFileInfo::exists(gpu)) {
        auto result = importers::importPath(gpu.toStdString());
        for (auto& trace : result.traces)
            journals.gpu.push_back(std::make_shared<const timeline::Trace>(std::move(trace)));
        std::move(
            result.warnings.begin(), result.warnings.end(), std::back_inserter(journals.warnings));
    }
    return journals;
}

namespace {

// The GPU readings of one run's time (a flat trace: its spans have no parents).
std::optional<timeline::Trace> gpuDuring(const timeline::Trace& gpu, int64_t start, int64_t end)
{
    timeline::Trace slice;
    slice.source = gpu.source;
    slice.id = gpu.id;
    slice.name = gpu.name;
    slice.origin = gpu.origin;
    slice.types = gpu.types;
    slice.strings = gpu.strings;
    for (const timeline::Span& span : gpu.spans)
        if (span.endNs >= start && span.startNs <= end) {
            timeline::Span copy = span;
            copy.parent = -1;
            slice.spans.push_back(copy);
        }
    if (slice.spans.empty())
        return std::nullopt;
    slice.startNs = slice.spans.front().startNs;
    slice.endNs = slice.spans.back().endNs;
    slice.root = 0;
    return slice;
}

} // namespace

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
    else if (!journals.gpu.empty()) {
        // The run's own traces say when it ran (its record's times are the engine's).
        int64_t start = INT64_MAX, end = INT64_MIN;
        for (const auto& trace : out.traces) {
            start = std::min(start, trace.startNs);
            end = std::max(end, trace.endNs);
        }
        for (const auto& gpu : journals.gpu)
            if (auto slice = gpuDuring(*gpu, start, end))
                out.traces.push_back(std::move(*slice));
    }
    return out;
}

timeline::RunView runViewOfRun(const QString& outDir, const RunRecord& run,
    const ExperimentJournals& journals, std::vector<timeline::Warning>* warnings)
{
    auto imported = importRunTraces(outDir, run, journals);
    if (warnings)
        std::move(
            imported.warnings.begin(), imported.warnings.end(), std::back_inserter(*warnings));
    timeline::RunView view(
        QStringLiteral("%1/%2/%3").arg(run.scenario, run.variant).arg(run.runIndex).toStdString());
    // Every file of a run was written on this machine (the Writer's traces, restate-server's
    // journal, the GPU readings): one clock, nothing to estimate.
    for (auto& trace : imported.traces)
        view.addTrace(std::make_shared<const timeline::Trace>(std::move(trace)), true);
    return view;
}

} // namespace tt::engine
