// SPDX-License-Identifier: MIT
#include "reportwriter.h"

#include "engine/gpu/nvml.h"
#include "engine/report/markdowntext.h"

#include <algorithm>

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QSysInfo>
#include <QTextStream>
#include <QThread>

#include <map>

namespace tt::engine {

namespace {

QString pct(double value)
{
    return QString::number(value * 100, 'f', 0) + QStringLiteral(" %");
}

QString ms(double value)
{
    return value >= 10000 ? QString::number(value / 1000, 'f', 1) + QStringLiteral(" s")
                          : QString::number(value, 'f', 0) + QStringLiteral(" ms");
}

QString interval(const Interval& i, QString (*format)(double))
{
    return QStringLiteral("%1 [%2, %3]").arg(format(i.value), format(i.low), format(i.high));
}

QString verdictMark(const QString& verdict)
{
    if (verdict == QLatin1String("GO"))
        return QStringLiteral("**GO**");
    if (verdict == QLatin1String("NO-GO"))
        return QStringLiteral("**NO-GO**");
    return verdict;
}

bool save(const QString& path, const QString& text, QString& error)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(text.toUtf8()) < 0 || !file.commit()) {
        error = path + QStringLiteral(": ") + file.errorString();
        return false;
    }
    return true;
}

bool dgxMode(const std::map<QString, QString>& meta)
{
    return meta.count(QStringLiteral("external_config")) > 0;
}

// How many runs went at once (the store's "parallel"; older stores ran one at a time), and how
// far apart the lanes started (stores from before the stagger have no "lane_stagger_ms").
QString parallelNote(const std::map<QString, QString>& meta)
{
    const auto found = meta.find(QStringLiteral("parallel"));
    const int lanes = found == meta.end() ? 1 : found->second.toInt();
    if (lanes <= 1)
        return QStringLiteral("- **Parallelism**: one run at a time (`--parallel 1`).\n");
    const auto stagger = meta.find(QStringLiteral("lane_stagger_ms"));
    const QString apart = stagger == meta.end()
        ? QString()
        : QStringLiteral(" The lanes took their first runs %1 ms apart, so that runs of equal "
                         "length do not queue for the CPU at the same moments.")
              .arg(stagger->second.toInt());
    return QStringLiteral(
        "- **Parallelism**: %1 runs at once (`--parallel %1`), in %1 lanes that each have their "
        "own stand-in (and, for the durable runs, their own restate-server and durable "
        "endpoint) and take the next run left as they finish one; a run that kills its Writer, its "
        "endpoint or its server disturbs only its own lane.%2 The results store is written by "
        "one thread, in the order the runs end.\n")
        .arg(lanes)
        .arg(apart);
}

QString metaOr(const std::map<QString, QString>& meta, const char* key, const QString& fallback)
{
    const auto found = meta.find(QLatin1String(key));
    return found == meta.end() || found->second.isEmpty() ? fallback : found->second;
}

QString signedMs(double value)
{
    return (value >= 0 ? QStringLiteral("+") : QString()) + QString::number(value, 'f', 1)
        + QStringLiteral(" ms");
}

// The absolute cost of durability, beside the %: what carries over to another LLM's latency.
QString costSection(const Summary& s)
{
    QString text;
    QTextStream out(&text);
    out << "## What durability costs\n\n";
    if (!s.cost) {
        out << "Not measured: it needs successful nominal runs of both variants.\n\n";
        return text;
    }
    const DurabilityCost& c = *s.cost;
    out << "From the successful nominal runs of both variants, in the same experiment.\n\n"
        << "| | Baseline | Durable | Difference (95 % interval) |\n|---|---|---|---|\n"
        << "| Wall time, engine's clock (mean) | " << ms(c.baselineWallMs) << " | "
        << ms(c.durableWallMs) << " | " << signedMs(c.perRunMs.value) << " ["
        << signedMs(c.perRunMs.low) << ", " << signedMs(c.perRunMs.high) << "] |\n";
    if (c.writerSpanMs)
        out << "| The Writer's own span, first step to last (mean) | " << ms(*c.baselineSpanMs)
            << " | " << ms(*c.durableSpanMs) << " | " << signedMs(c.writerSpanMs->value) << " ["
            << signedMs(c.writerSpanMs->low) << ", " << signedMs(c.writerSpanMs->high) << "] |\n";
    out << "\n";
    if (c.perStepMs)
        out << "**" << signedMs(*c.perStepMs) << " per durable step**, over "
            << QString::number(c.durableSteps, 'f', 0)
            << " durable steps per run (the journal's Run commands: the Writer's LLM calls, its "
               "tool call and its report). Per run, durability costs "
            << signedMs(c.perRunMs.value)
            << " on the engine's clock. To carry this over, add that many ms to a run of the "
               "team's Writer on their LLM: on runs of 60 s it is "
            << QString::number(c.perRunMs.value / 600.0, 'f', 2) << " %.\n\n";
    else
        out << "Per run, durability costs " << signedMs(c.perRunMs.value)
            << " on the engine's clock; the per-step figure needs the Writers' traces and the "
               "journal's step count, which these runs did not leave.\n\n";
    return text;
}

} // namespace

std::map<QString, QString> describeEnvironment(const std::map<QString, QString>& meta)
{
    std::map<QString, QString> env;
    env[QStringLiteral("machine")] = QSysInfo::currentCpuArchitecture();
    env[QStringLiteral("os")]
        = QSysInfo::prettyProductName() + QStringLiteral(", kernel ") + QSysInfo::kernelVersion();
    env[QStringLiteral("cpu cores")] = QString::number(QThread::idealThreadCount());
    QFile meminfo(QStringLiteral("/proc/meminfo"));
    if (meminfo.open(QIODevice::ReadOnly)) {
        const QString first = QString::fromUtf8(meminfo.readLine()).simplified();
        env[QStringLiteral("memory")] = first.section(QLatin1Char(' '), 1);
    }
    env[QStringLiteral("Qt")] = QString::fromLatin1(qVersion());
    env[QStringLiteral("restate-server")]
        = metaOr(meta, "restate_version", QStringLiteral("not used"));
    QString noGpu;
    if (const auto nvml = Nvml::open(noGpu)) {
        QStringList names;
        for (const GpuDevice& d : nvml->devices())
            names << QStringLiteral("%1 (compute %2.%3, %4 GiB)")
                         .arg(d.name)
                         .arg(d.computeMajor)
                         .arg(d.computeMinor)
                         .arg(double(d.memoryTotalBytes) / double(1ull << 30), 0, 'f', 0);
        env[QStringLiteral("GPU")] = names.join(QStringLiteral("; "))
            + QStringLiteral(", driver %1, CUDA %2")
                  .arg(nvml->driverVersion(), nvml->cudaDriverVersion());
    } else {
        env[QStringLiteral("GPU")] = noGpu;
    }
    env[QStringLiteral("LLM")] = metaOr(meta, "llm",
        QStringLiteral("twintrace-llm stand-in, latency model of gpt-oss-20b on a DGX Spark "
                       "(DESIGN.md section 5)"));
    const QString writers = metaOr(meta, "writers", {});
    if (!writers.isEmpty())
        env[QStringLiteral("Writers")] = writers;
    return env;
}

QString writeReport(const ReportInputs& in, QString& error)
{
    const Summary& s = in.summary;
    QString md;
    QTextStream out(&md);
    out << "# Restate for the Writer: proof-of-concept results\n\n";
    out << "_Written by TwinTrace on " << QDateTime::currentDateTimeUtc().toString(Qt::ISODate)
        << " from " << in.runs.size() << " runs. Every figure below comes from the results store "
        << "(`results.sqlite`) in this folder; `twintrace report " << QDir(in.outDir).dirName()
        << "` writes this page again._\n\n";

    out << "## Decision\n\n**" << decisionLine(s) << ".**\n\n";
    out << "| Criterion | Measured | Threshold | Verdict |\n|---|---|---|---|\n";
    for (const Criterion& c : s.goNoGo)
        out << "| " << c.criterion << " | " << markdownText(c.value) << " | " << c.threshold
            << " | " << verdictMark(c.verdict) << " |\n";
    out << "\n";
    for (const Criterion& c : s.goNoGo)
        if (!c.detail.isEmpty())
            out << "- **" << c.criterion << "**: " << markdownText(c.detail) << ".\n";
    out << "\n";
    bool anyUnmeasured = false;
    for (const Criterion& c : s.goNoGo)
        if (!c.measured()) {
            if (!anyUnmeasured)
                out << "Not measured, and not part of the decision:\n\n";
            anyUnmeasured = true;
            out << "- **" << c.criterion << "**: " << markdownText(c.value)
                << (c.howToMeasure.isEmpty() ? QString()
                                             : QStringLiteral("; to measure it, ") + c.howToMeasure)
                << ".\n";
        }
    if (anyUnmeasured)
        out << "\n";
    out << costSection(s);
    out << savingsSection(s);
    out << restateFailureSection(in);

    const auto charts = std::count_if(in.images.begin(), in.images.end(),
        [](const ReportImage& image) { return image.caption.isEmpty(); });
    if (charts > 0) {
        out << "## Charts\n\n";
        for (const ReportImage& image : in.images)
            if (image.caption.isEmpty())
                out << "![" << QFileInfo(image.path).completeBaseName() << "](" << image.path
                    << ")\n\n";
    }
    if (charts < qsizetype(in.images.size())) {
        out << "## Screenshots\n\n"
            << "Baseline on top, Restate below, on one time axis from each run's start. Between "
               "them, each band joins a step to the same step on the other side: grey same, "
               "orange slower, green faster, red changed outcome, purple only on one side.\n\n";
        for (const ReportImage& image : in.images)
            if (!image.caption.isEmpty())
                out << "![" << QFileInfo(image.path).completeBaseName() << "](" << image.path
                    << ")\n\n*" << image.caption << "*\n\n"
                    << (image.explanation.isEmpty()
                               ? QString()
                               : markdownText(image.explanation) + QStringLiteral("\n\n"));
    }

    out << exerciseSection(in);

    out << "## Results by scenario\n\n";
    out << "Success rates with 95 % Wilson intervals (a success is the Writer's outcome and "
           "exactly one complete report on disk); times are wall times on the engine's clock "
           "(successful runs only) with 95 % bootstrap intervals; `expected` is what the "
           "evaluation plan expects.\n\n";
    std::map<QString, const Scenario*> byId;
    for (const Scenario& scenario : in.scenarios)
        byId[scenario.id] = &scenario;
    QString current;
    for (const CellSummary& cell : s.cells) {
        if (cell.scenario != current) {
            current = cell.scenario;
            const auto found = byId.find(cell.scenario);
            out << "\n### " << markdownText(cell.scenario) << "\n\n";
            if (found != byId.end() && !found->second->description.isEmpty())
                out << markdownText(found->second->description) << "\n\n";
            out << "| Variant | Runs | Success | Expected | Median time | p95 | LLM calls | "
                   "Retries (client / Restate) | Attempts | Answered calls repeated (tokens) | "
                   "Reports written (max) | Recovery (median) "
                   "|\n|---|---|---|---|---|---|---|---|---|---|---|---|\n";
        }
        const bool anySuccess = cell.successes > 0;
        out << "| " << markdownText(cell.variant) << " | " << cell.runs << " | " << cell.successes
            << "/" << cell.runs << " = " << interval(cell.successRate, pct) << " | "
            << (cell.expected.isEmpty() ? QStringLiteral("-") : markdownText(cell.expected))
            << " | " << (anySuccess ? interval(cell.wallMedian, ms) : QStringLiteral("-")) << " | "
            << (anySuccess ? ms(cell.wallP95.value) : QStringLiteral("-")) << " | "
            << QString::number(cell.llmCallsMean, 'f', 1) << " | "
            << QString::number(cell.clientRetriesMean, 'f', 1) << " / "
            << QString::number(cell.restateRetriesMean, 'f', 1) << " | "
            << QString::number(cell.attemptsMean, 'f', 1) << " | "
            << QString::number(cell.repeatedCallsMean, 'f', 1) << " ("
            << QString::number(cell.repeatedTokensMean, 'f', 0) << ") | " << cell.reportsWrittenMax
            << " | " << (cell.recoverMedianMs >= 0 ? ms(cell.recoverMedianMs) : QStringLiteral("-"))
            << " |\n";
    }

    out << "\n## Failures seen\n\n";
    std::map<QString, std::pair<int, QString>> failures; // what -> count, a reason
    for (const RunRecord& run : in.runs)
        if (!run.success) {
            auto& [count, reason] = failures[markdownText(run.scenario) + QStringLiteral(" / ")
                + markdownText(run.variant) + QStringLiteral(": ") + markdownText(run.outcome)];
            ++count;
            if (reason.isEmpty())
                reason = markdownText(run.message.section(QLatin1Char('\n'), 0, 0).left(200));
        }
    if (failures.empty())
        out << "None.\n";
    for (const auto& [what, seen] : failures)
        out << "- " << what << " (" << seen.first << "x)"
            << (seen.second.isEmpty() ? QString() : QStringLiteral(": ") + seen.second) << "\n";

    const bool dgx = dgxMode(in.meta);
    out << "\n## Method\n\n" << markdownText(in.method) << "\n\n"; // as stored: text
    out << "- **Runs**: each run has its own folder under `runs/` with what its Writer left ("
        << (dgx ? "the team's Writers leave what their own code writes"
                : "the OpenAI Agents JSONL, the LangSmith runs and `trace.log`")
        << ") and its report; the durable runs' Restate journals are in `restate/` (one "
           "snapshot per session, importable with `twintrace import`).\n"
        << parallelNote(in.meta)
        << "- **Wall time**: every variant on the engine's clock, from handing the work over (the "
           "baseline's process spawned; the durable run's ingress request sent) to the result "
           "known (the process exited; the ingress answered the attached invocation).\n"
        << "- **The Writer's own span**: from its OpenAI Agents trace, the first step's start to "
           "the last step's end, for both variants.\n"
        << "- **Success**: the Writer's outcome is success and exactly one report with every "
           "required heading is in the run's output folder; otherwise the run fails with "
           "`no_report`, `duplicate_reports` or `incomplete_report`.\n"
        << "- **Same work**: for a scenario, seed and run number, both variants read the same "
           "notes folder, so the LLM receives byte-identical requests (the stand-in logs a hash "
           "of each).\n"
        << "- **LLM calls** are counted from the stand-in's request log (by run id); **Restate "
           "retries** are the invocation's TransientError journal events (Restate merges "
           "consecutive identical errors, so this is a lower bound); **client retries** are the "
           "requests the client repeated.\n"
        << "- **Warm-up**: after each registration of TwinTrace's durable endpoint, one empty "
           "invocation opens Restate's connection to it, so no measured run pays for it (that "
           "cost is in the setup's registration part).\n"
        << "- **Restart loop**: `baseline-restart` is the same baseline relaunched from scratch "
           "by a supervisor when it fails or dies, as a job queue would, with Restate's retry "
           "policy from the catalog as attempts and waits (after a death, at least the "
           "engine's restart delay, as for the durable endpoint); a crash point fires once per "
           "run. Its "
           "repeated calls are those answered to the attempts thrown away; for the other "
           "variants, answered requests whose body was already answered in the run.\n"
        << "- **restate-crash**: restate-server itself is SIGKILLed once the durable run starts "
           "the named step and started again on its data folder after the restart delay; its "
           "recovery is from the kill to the result known, and each run's message gives the "
           "server's outage (kill -> answering again).\n"
        << "- **restate-down-at-start**: restate-server is SIGKILLed just before the durable run "
           "is submitted and started again on its data folder after the catalog's delay; the "
           "engine's ingress client tries the submission again (same idempotency key) on no "
           "answer or a 5xx, waiting from `retry_initial_ms` doubling to `retry_max_ms`, for up "
           "to its patience (`ingress_client` in the catalog). What it saw, and when it got "
           "through, is in each run's row.\n"
        << "- **Crashes**: the baseline runs as one process per run, and a crash loses the run. "
           "The durable endpoint is killed at the same point and restarted after a short delay; "
           "Restate resumes the invocation.\n"
        << "- **Overhead**: the mean wall time of successful nominal runs, durable over baseline; "
           "its interval is a bootstrap of the ratio of means. **Cost per durable step**: the "
           "difference of the Writers' own spans divided by the journal's Run commands.\n"
        << "- **Setup time**: the plan's Phase 1 in parts (install, server start, registration, "
           "first durable run), each timed on its own; a part not timed is named.\n"
        << "- **Refactor size**: code lines the durable version of the team's Writer adds, from "
           "`--refactor`; never measured on TwinTrace's own Writers.\n\n";

    out << "## Environment\n\n| | |\n|---|---|\n";
    for (const auto& [name, value] : in.environment)
        out << "| " << markdownText(name) << " | " << markdownText(value) << " |\n";

    out << "\n## Limits of this study\n\n";
    if (dgx)
        out << "- The Writers, the LLM and the Restate server are the team's, named in the "
               "Environment section; TwinTrace only drove them and injected the LLM faults through "
               "its proxy.\n";
    else
        out << "- The LLM is a deterministic stand-in with a latency model, not the team's "
               "llama.cpp server: overhead in % depends on how long the real LLM calls take; the "
               "absolute cost per durable step (above) is the figure to carry over.\n"
            << (metaOr(in.meta, "transport", QStringLiteral("h1")) == QLatin1String("h1")
                       // Stores from before the transport was recorded ran HTTP/1.1.
                       ? "- The durable Writer is TwinTrace's C++ implementation of Restate's "
                         "protocol in request-response mode over HTTP/1.1 (one HTTP round trip "
                         "per step); the team's Python SDK serves HTTP/2 with a bidirectional "
                         "stream, which costs less per step.\n"
                       : "- The durable Writer is TwinTrace's C++ implementation of Restate's "
                         "protocol over HTTP/2 with a bidirectional stream, the mode Restate's "
                         "SDKs (the team's Python one among them) serve by default; its own cost "
                         "per step may still differ from the Python SDK's.\n");
    out << "- Few runs per cell give wide intervals; run more (`--runs 10` or more) before "
           "deciding.\n";
    if (!save(QDir(in.outDir).filePath(QStringLiteral("RESTATE_POC_RESULTS.md")), md, error))
        return {};

    // The ADR draft, in the experiment's own adr folder unless told otherwise.
    QString adr;
    QTextStream a(&adr);
    a << "# ADR: durable execution (Restate) for the Writer agent\n\n"
      << "- Status: proposed (draft written by TwinTrace from measured data)\n"
      << "- Date: " << QDate::currentDate().toString(Qt::ISODate) << "\n\n"
      << "## Context\n\nThe Writer turns research notes into a report with 2 LLM calls and 1 "
         "tool call. Transient LLM faults and crashes lose the whole run today. The evaluation "
         "plan asks whether Restate makes it resilient at an acceptable cost.\n\n"
      << "## Decision\n\n"
      << decisionLine(s) << " (see `"
      << QDir(in.adrDir).relativeFilePath(
             QDir(in.outDir).filePath(QStringLiteral("RESTATE_POC_RESULTS.md")))
      << "`).\n\n| Criterion | Measured | Threshold | Verdict |\n|---|---|---|---|\n";
    for (const Criterion& c : s.goNoGo)
        a << "| " << c.criterion << " | " << markdownText(c.value) << " | " << c.threshold << " | "
          << c.verdict << " |\n";
    if (!s.savings.empty()) {
        a << "\n## What Restate saves over a restart loop\n\nAgainst the cheap alternative, a "
             "job queue running the Writer again from scratch (per run, from the data):\n\n";
        for (const RestartSaving& saving : s.savings)
            a << "- " << markdownText(savingsSentence(saving)) << ".\n";
    }
    a << "\n## Consequences\n\n- To be completed by the team: operating a Restate server, the "
         "refactor of the Writer, what the debugging exercises showed.\n";
    if (!in.adrDir.isEmpty()
        && !save(
            QDir(in.adrDir).filePath(QStringLiteral("0001-restate-for-the-writer.md")), adr, error))
        return {};
    return QDir(in.outDir).filePath(QStringLiteral("RESTATE_POC_RESULTS.md"));
}

} // namespace tt::engine
