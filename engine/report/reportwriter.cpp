// SPDX-License-Identifier: MIT
#include "reportwriter.h"

#include "engine/gpu/nvml.h"

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

QString overallVerdict(const Summary& summary)
{
    bool anyNoGo = false, allMeasured = true;
    for (const Criterion& c : summary.goNoGo) {
        anyNoGo |= c.verdict == QLatin1String("NO-GO");
        allMeasured &= c.verdict == QLatin1String("GO") || c.verdict == QLatin1String("NO-GO");
    }
    if (anyNoGo)
        return QStringLiteral("NO-GO on at least one criterion");
    return allMeasured
        ? QStringLiteral("GO on every criterion")
        : QStringLiteral("GO on every criterion measured; some are not measured yet");
}

} // namespace

std::map<QString, QString> describeEnvironment(const QString& restateVersion)
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
        = restateVersion.isEmpty() ? QStringLiteral("not used") : restateVersion;
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
    env[QStringLiteral("LLM")]
        = QStringLiteral("twintrace-llm stand-in, latency model of gpt-oss-20b "
                         "on a DGX Spark (DESIGN.md section 5)");
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

    out << "## Decision\n\n" << overallVerdict(s) << ".\n\n";
    out << "| Criterion | Measured | Threshold | Verdict |\n|---|---|---|---|\n";
    for (const Criterion& c : s.goNoGo)
        out << "| " << c.criterion << " | " << c.value << " | " << c.threshold << " | "
            << verdictMark(c.verdict) << " |\n";
    out << "\n";
    for (const Criterion& c : s.goNoGo)
        if (!c.detail.isEmpty())
            out << "- **" << c.criterion << "**: " << c.detail << ".\n";
    out << "\n";

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
                    << ")\n\n*" << image.caption << "*\n\n";
    }

    out << exerciseSection(in);

    out << "## Results by scenario\n\n";
    out << "Success rates with 95 % Wilson intervals; times are the runs' own wall time "
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
            out << "\n### " << cell.scenario << "\n\n";
            if (found != byId.end() && !found->second->description.isEmpty())
                out << found->second->description << "\n\n";
            out << "| Variant | Runs | Success | Expected | Median time | p95 | LLM calls | "
                   "Retries "
                   "(client / Restate) | LLM calls wasted | Reports written (max) | Recovery "
                   "(median) |\n|---|---|---|---|---|---|---|---|---|---|---|\n";
        }
        const bool anySuccess = cell.successes > 0;
        out << "| " << cell.variant << " | " << cell.runs << " | " << cell.successes << "/"
            << cell.runs << " = " << interval(cell.successRate, pct) << " | "
            << (cell.expected.isEmpty() ? QStringLiteral("-") : cell.expected) << " | "
            << (anySuccess ? interval(cell.wallMedian, ms) : QStringLiteral("-")) << " | "
            << (anySuccess ? ms(cell.wallP95.value) : QStringLiteral("-")) << " | "
            << QString::number(cell.llmCallsMean, 'f', 1) << " | "
            << QString::number(cell.clientRetriesMean, 'f', 1) << " / "
            << QString::number(cell.restateRetriesMean, 'f', 1) << " | "
            << QString::number(cell.wastedCallsMean, 'f', 1) << " | " << cell.reportsWrittenMax
            << " | " << (cell.recoverMedianMs >= 0 ? ms(cell.recoverMedianMs) : QStringLiteral("-"))
            << " |\n";
    }

    out << "\n## Failures seen\n\n";
    std::map<QString, int> failures;
    for (const RunRecord& run : in.runs)
        if (!run.success)
            ++failures[run.scenario + QStringLiteral(" / ") + run.variant + QStringLiteral(": ")
                + run.outcome];
    if (failures.empty())
        out << "None.\n";
    for (const auto& [what, count] : failures)
        out << "- " << what << " (" << count << "x)\n";

    out << "\n## Method\n\n" << in.method << "\n\n";
    out << "- Each run has its own folder under `runs/` with the Writer's three trace files "
           "(OpenAI Agents JSONL, LangSmith runs, `trace.log`) and its report; the durable runs' "
           "Restate journals are in `restate/` (one snapshot per session, importable with "
           "`twintrace import`).\n"
        << "- LLM calls are counted from the stand-in's request log (by run id); Restate retries "
           "are its TransientError journal events (Restate merges consecutive identical errors, "
           "so this is a lower bound); client retries are the requests the client repeated.\n"
        << "- The baseline runs as one process per run. A crash kills it: the run is lost (the "
           "team's pipeline would have to start it again). The durable variant's endpoint is "
           "killed at the same point and restarted after a short delay; Restate resumes the "
           "invocation.\n"
        << "- Overhead compares the mean wall time of successful nominal runs; its interval is "
           "a bootstrap of the ratio of means.\n\n";

    out << "## Environment\n\n| | |\n|---|---|\n";
    for (const auto& [name, value] : in.environment)
        out << "| " << name << " | " << value << " |\n";

    out << "\n## Limits of this study\n\n"
        << "- The LLM is a deterministic stand-in with a latency model, not the team's llama.cpp "
           "server: overhead in % depends on how long the real LLM calls take (the absolute cost "
           "per durable step is the transferable figure).\n"
        << "- The durable Writer is TwinTrace's C++ implementation of Restate's protocol in "
           "request-response mode (one HTTP round trip per step); the team's Python SDK over "
           "HTTP/2 may differ.\n"
        << "- Few runs per cell give wide intervals; run more (`--runs 10` or more) before "
           "deciding.\n"
        << "- Setup time is measured on a machine where everything is already installed; the "
           "one-time installation is not included.\n";
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
      << overallVerdict(s) << " (see `"
      << QDir(in.adrDir).relativeFilePath(
             QDir(in.outDir).filePath(QStringLiteral("RESTATE_POC_RESULTS.md")))
      << "`).\n\n| Criterion | Measured | Threshold | Verdict |\n|---|---|---|---|\n";
    for (const Criterion& c : s.goNoGo)
        a << "| " << c.criterion << " | " << c.value << " | " << c.threshold << " | " << c.verdict
          << " |\n";
    a << "\n## Consequences\n\n- To be completed by the team: operating a Restate server, the "
         "refactor of the Writer, what the debugging exercises showed.\n";
    if (!in.adrDir.isEmpty()
        && !save(
            QDir(in.adrDir).filePath(QStringLiteral("0001-restate-for-the-writer.md")), adr, error))
        return {};
    return QDir(in.outDir).filePath(QStringLiteral("RESTATE_POC_RESULTS.md"));
}

} // namespace tt::engine
