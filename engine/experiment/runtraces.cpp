// SPDX-License-Identifier: MIT
#include "runtraces.h"

#include "importers/common/files.h"
#include "importers/llmlog/requestlogimporter.h"
#include "importers/restate/restateimporter.h"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

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

// The run's requests in the LLM log of its scenario (DIR/logs/llm-<scenario>-<session>.jsonl):
// its run id is "<scenario>/<variant>/<n>/<session>", and a resumed experiment may hold an
// interrupted attempt's requests too, so the last session that served the run is the run's.
timeline::ImportResult requestsOfRun(const QString& outDir, const RunRecord& run)
{
    QString scenario = run.scenario;
    scenario.replace(QLatin1Char('#'), QLatin1Char('_'));
    const QDir logs(QDir(outDir).filePath(QStringLiteral("logs")));
    const QByteArray prefix
        = QStringLiteral("%1/%2/%3/").arg(run.scenario, run.variant).arg(run.runIndex).toUtf8();
    QString latestFile;
    std::string latestRun;
    double latestTs = -1;
    for (const QString& name :
        logs.entryList({ QStringLiteral("llm-%1-*.jsonl").arg(scenario) }, QDir::Files)) {
        QFile file(logs.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine();
            if (!line.contains("\"run_id\":\"" + prefix))
                continue;
            const QJsonObject entry = QJsonDocument::fromJson(line).object();
            const double ts = entry.value(QLatin1String("ts_ms")).toDouble();
            if (ts > latestTs) {
                latestTs = ts;
                latestFile = file.fileName();
                latestRun = entry.value(QLatin1String("run_id")).toString().toStdString();
            }
        }
    }
    if (latestFile.isEmpty())
        return {};
    std::string error;
    const auto bytes = importers::readFile(latestFile.toStdString(), error);
    if (!bytes)
        return { {}, { { latestFile.toStdString(), 0, error } } };
    return importers::llmlog::importRequestLog(bytes, latestFile.toStdString(), latestRun);
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
        out.append(importers::importPath(path.toStdString()));
    }
    // A Writer that left no trace of its own (the team's baseline in DGX Spark mode): what the
    // proxy saw of its LLM calls is what there is.
    if (out.traces.empty())
        out.append(requestsOfRun(outDir, run));
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

namespace {

// baseline-restart: its first Writer printed its crash point (ms since it started) before it
// was killed; its first step started at the run's start on the run's clock.
std::optional<int64_t> restartKilledAt(
    const QString& outDir, const RunRecord& run, const timeline::RunView& view)
{
    QFile progress(runFolder(outDir, run.scenario, run.variant, run.runIndex)
        + QStringLiteral("/writer.jsonl"));
    if (!progress.open(QIODevice::ReadOnly))
        return std::nullopt;
    double firstStepMs = -1;
    while (!progress.atEnd()) {
        const QJsonObject line = QJsonDocument::fromJson(progress.readLine()).object();
        const QString event = line.value(QLatin1String("event")).toString();
        const double t = line.value(QLatin1String("t_ms")).toDouble(-1);
        if (event == QLatin1String("step_started") && firstStepMs < 0)
            firstStepMs = t;
        else if (event == QLatin1String("crash_point") && firstStepMs >= 0 && t >= firstStepMs)
            return view.startNs() + int64_t((t - firstStepMs) * 1e6);
    }
    return std::nullopt;
}

// When a crashed run's Writer was killed, on the run's clock, when the experiment knows it. A
// killed baseline is not restarted: the engine saw it die as the run finished (within its own
// overhead, engineMs). A durable run goes on: Restate's first failed attempt of it ends when
// Restate saw the connection drop (the only fault of a crash scenario). A restart loop's first
// Writer said where it was killed.
std::optional<int64_t> killedAt(
    const QString& outDir, const RunRecord& run, const timeline::RunView& view)
{
    if (run.variant == QLatin1String("baseline")) {
        const QDateTime finished = QDateTime::fromString(run.finishedAt, Qt::ISODateWithMs);
        if (finished.isValid())
            return finished.toMSecsSinceEpoch() * 1'000'000;
        return std::nullopt;
    }
    if (run.variant == QLatin1String("baseline-restart"))
        return restartKilledAt(outDir, run, view);
    for (const timeline::SourceTrack& track : view.tracks()) {
        const timeline::Trace& trace = *track.trace;
        if (trace.source != timeline::Source::Restate)
            continue;
        // Spans are sorted by start: the first failed attempt found is the earliest.
        for (const timeline::Span& span : trace.spans)
            if (trace.spanKind(span) == timeline::SpanKind::RetryAttempt)
                return span.endNs + track.offsetNs;
    }
    return std::nullopt;
}

} // namespace

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
    if (run.crashed)
        view.markKilled(killedAt(outDir, run, view));
    // restate-crash, restate-down-at-start: the engine timed the server's outage on the wall
    // clock, which the run's files share.
    if (run.restateDownAtMs >= 0 && run.restateUpAtMs >= run.restateDownAtMs)
        view.addOutage({ int64_t(run.restateDownAtMs * 1e6), int64_t(run.restateUpAtMs * 1e6),
            "restate-server down" });
    return view;
}

} // namespace tt::engine
