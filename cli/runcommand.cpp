// SPDX-License-Identifier: MIT
// twintrace run / twintrace report: the experiment matrix and its results report (DESIGN.md
// section 6).
#include "cli.h"
#include "commands.h"
#include "report.h"

#include "engine/experiment/refactor.h"
#include "engine/experiment/runner.h"
#include "engine/experiment/setuptime.h"
#include "engine/experiment/stats.h"
#include "engine/report/reportwriter.h"
#include "engine/report/resultsreport.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

#include <nlohmann/json.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>

namespace tt::cli {

namespace {

std::atomic<bool> g_cancel { false };

void onSignal(int)
{
    g_cancel = true; // the runner stops its children and returns; finished runs are stored
}

nlohmann::json summaryJson(const QString& out, const engine::Summary& summary)
{
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& cell : summary.cells)
        cells.push_back({ { "scenario", cell.scenario.toStdString() },
            { "variant", cell.variant.toStdString() }, { "runs", cell.runs },
            { "successes", cell.successes }, { "success_rate", cell.successRate.value },
            { "wall_ms_median", cell.wallMedian.value }, { "llm_calls_mean", cell.llmCallsMean },
            { "retries_mean", cell.retriesMean }, { "attempts_mean", cell.attemptsMean },
            { "llm_repeated_mean", cell.repeatedCallsMean },
            { "tokens_repeated_mean", cell.repeatedTokensMean },
            { "expected", cell.expected.toStdString() },
            { "reports_written_max", cell.reportsWrittenMax } });
    nlohmann::json criteria = nlohmann::json::array();
    for (const auto& c : summary.goNoGo)
        criteria.push_back({ { "criterion", c.criterion.toStdString() },
            { "value", c.value.toStdString() }, { "threshold", c.threshold.toStdString() },
            { "verdict", c.verdict.toStdString() } });
    return { { "out", out.toStdString() }, { "cells", cells }, { "go_nogo", criteria } };
}

// Summary and report from what the store in `out` holds.
int writeResults(const QString& out, const QString& adrDir, const QString& catalogPath,
    const QString& refactor, const QString& method, bool json, QString reportFile = {})
{
    engine::ResultsReportRequest request;
    request.dir = out;
    request.adrDir = adrDir;
    request.catalogPath = catalogPath;
    request.refactorSpec = refactor;
    request.method = method;
    request.reportFile = reportFile;
    request.images = imageRenderer();
    QString error;
    const auto written = engine::writeResultsReport(request, error);
    if (!written) {
        std::fprintf(stderr, "twintrace: %s\n", qPrintable(error));
        return 2;
    }
    if (!written->imageError.isEmpty())
        std::fprintf(stderr, "twintrace: images: %s\n", qPrintable(written->imageError));
    if (json)
        printJson(summaryJson(out, written->summary));
    else {
        std::printf("Report: %s\n", qPrintable(written->path));
        std::printf("Decision: %s\n", qPrintable(engine::decisionLine(written->summary)));
        for (const auto& c : written->summary.goNoGo)
            std::printf("  %-15s %-10s %s (threshold %s)\n", qPrintable(c.criterion),
                qPrintable(c.verdict), qPrintable(c.value), qPrintable(c.threshold));
    }
    return 0;
}

// A --refactor that cannot be counted stops the command before anything runs.
bool checkRefactor(const QString& command, const QString& spec)
{
    QString error;
    if (spec.isEmpty() || engine::countRefactor(spec, error))
        return true;
    std::fprintf(stderr, "twintrace %s: %s\n", qPrintable(command), qPrintable(error));
    return false;
}

void printSetupParts(const engine::SetupParts& parts)
{
    const auto line = [](const char* name, double ms) {
        if (ms >= 0)
            std::printf("  %-18s %8.1f s\n", name, ms / 1000);
        else
            std::printf("  %-18s not timed\n", name);
    };
    std::printf("Setup time (the plan's Phase 1):\n");
    line("install", parts.installMs);
    line("server start", parts.serverStartMs);
    line("registration", parts.registerMs);
    line("first durable run", parts.firstRunMs);
    std::printf("  %-18s %8.1f s\n", "total timed", parts.timedTotalMs() / 1000);
}

} // namespace

int runCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs the experiment matrix (scenarios x variants x runs) on a local restate-server, the "
        "LLM stand-in and the Writers, stores every run as it ends, and writes the report. "
        "Running it again on the same --out resumes where it stopped."));
    parser.addOptions({
        { QStringLiteral("scenarios"),
            QStringLiteral("Scenario ids or groups, comma-separated, or all (default: nominal, "
                           "transient-llm, crash-at-step)."),
            QStringLiteral("LIST"), QStringLiteral("nominal,transient-llm,crash-at-step") },
        { QStringLiteral("variants"),
            QStringLiteral("baseline (run once), baseline-restart (relaunched from scratch on "
                           "failure, with Restate's retry policy), restate; default: all three "
                           "(with --config: baseline,restate)."),
            QStringLiteral("LIST"), engine::knownVariants().join(QLatin1Char(',')) },
        { QStringLiteral("runs"),
            QStringLiteral("Runs per scenario and variant (default 3, the "
                           "plan's minimum; 10 or more to decide)."),
            QStringLiteral("N"), QStringLiteral("3") },
        { QStringLiteral("seed"), QStringLiteral("Seed of the fault plans and statistics."),
            QStringLiteral("N"), QStringLiteral("1") },
        { QStringLiteral("out"), QStringLiteral("Results folder (default plannings)."),
            QStringLiteral("DIR"), QStringLiteral("plannings") },
        { QStringLiteral("time-scale"),
            QStringLiteral("The stand-in's latency model (1 = gpt-oss-20b on a DGX Spark; 0.1 is "
                           "ten times faster)."),
            QStringLiteral("F"), QStringLiteral("1") },
        { QStringLiteral("transport"),
            QStringLiteral("The durable endpoint's transport: h2 (HTTP/2, one bidirectional "
                           "stream per attempt, as Restate's SDKs; default) or h1 (HTTP/1.1, "
                           "request-response: one request per step)."),
            QStringLiteral("h2|h1"), QStringLiteral("h2") },
        { QStringLiteral("parallel"),
            QStringLiteral("Runs at once, each lane with its own stand-in, restate-server and "
                           "durable endpoint (default %1; 1 with --config).")
                .arg(engine::kDefaultParallel),
            QStringLiteral("N") },
        { QStringLiteral("config"),
            QStringLiteral("DGX Spark mode: the team's Writers, Restate and LLM from this file "
                           "(resources/config/dgx-spark.example.json)."),
            QStringLiteral("FILE") },
        { QStringLiteral("catalog"), QStringLiteral("Scenario catalog (JSON)."),
            QStringLiteral("FILE") },
        { QStringLiteral("adr-dir"),
            QStringLiteral("Where the ADR draft goes (default: adr/ inside --out)."),
            QStringLiteral("DIR") },
        { QStringLiteral("refactor"),
            QStringLiteral("The team's Writer before and after the durable refactor: "
                           "BEFORE:AFTER (files joined by '+', or folders) or "
                           "REPO:REV1..REV2:PATH. Without it the refactor size is not measured."),
            QStringLiteral("SPEC") },
        { QStringLiteral("measure-setup"),
            QStringLiteral("Time the one-time install of the pinned restate-server afresh (npm, "
                           "into a temporary folder) as the first part of the setup time.") },
        { QStringLiteral("json"),
            QStringLiteral("Print the summary as JSON (DESIGN.md section 6).") },
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace run")) + arguments)) {
        std::fprintf(stderr, "twintrace run: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    engine::ExperimentOptions options;
    options.scenarios
        = parser.value(QStringLiteral("scenarios")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    options.variants
        = parser.value(QStringLiteral("variants")).split(QLatin1Char(','), Qt::SkipEmptyParts);
    bool ok = true;
    options.runs = parser.value(QStringLiteral("runs")).toInt(&ok);
    if (!ok || options.runs < 1) {
        std::fprintf(stderr, "twintrace run: --runs: expected a number >= 1\n");
        return 2;
    }
    options.seed = parser.value(QStringLiteral("seed")).toLongLong(&ok);
    if (!ok) {
        std::fprintf(stderr, "twintrace run: --seed: expected a number\n");
        return 2;
    }
    options.timeScale = parser.value(QStringLiteral("time-scale")).toDouble(&ok);
    if (!ok || options.timeScale < 0) {
        std::fprintf(stderr, "twintrace run: --time-scale: expected a number >= 0\n");
        return 2;
    }
    options.transport = parser.value(QStringLiteral("transport"));
    if (options.transport != QLatin1String("h2") && options.transport != QLatin1String("h1")) {
        std::fprintf(stderr, "twintrace run: --transport: expected h2 or h1\n");
        return 2;
    }
    if (parser.isSet(QStringLiteral("parallel"))) {
        options.parallel = parser.value(QStringLiteral("parallel")).toInt(&ok);
        if (!ok || options.parallel < 1) {
            std::fprintf(stderr, "twintrace run: --parallel: expected a number >= 1\n");
            return 2;
        }
    }
    options.outDir = QDir(parser.value(QStringLiteral("out"))).absolutePath();
    if (parser.isSet(QStringLiteral("config"))) {
        QString configError;
        const auto external
            = engine::loadExternalConfig(parser.value(QStringLiteral("config")), configError);
        if (!external) {
            std::fprintf(stderr, "twintrace run: %s\n", qPrintable(configError));
            return 2;
        }
        options.external = std::make_shared<const engine::ExternalConfig>(*external);
        // The team's baseline command is not ours to relaunch: two variants unless asked.
        if (!parser.isSet(QStringLiteral("variants")))
            options.variants
                = QStringList { QStringLiteral("baseline"), QStringLiteral("restate") };
    }
    options.catalogPath = parser.isSet(QStringLiteral("catalog"))
        ? parser.value(QStringLiteral("catalog"))
        : engine::defaultCatalogPath();
    const QString refactor = parser.isSet(QStringLiteral("refactor"))
        ? engine::absoluteRefactorSpec(parser.value(QStringLiteral("refactor")))
        : QString();
    if (!checkRefactor(QStringLiteral("run"), refactor))
        return 2;
    QString error;
    const auto catalog = engine::loadCatalog(options.catalogPath, error);
    if (!catalog) {
        std::fprintf(stderr, "twintrace run: %s\n", qPrintable(error));
        return 2;
    }
    std::optional<double> installMs;
    if (parser.isSet(QStringLiteral("measure-setup"))) {
        std::fprintf(stderr, "setup: installing the pinned restate-server afresh with npm...\n");
        installMs = engine::measureInstall(error);
        if (!installMs) {
            std::fprintf(stderr, "twintrace run: --measure-setup: %s\n", qPrintable(error));
            return 2;
        }
        std::fprintf(stderr, "setup: install %.1f s\n", *installMs / 1000);
    }
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    engine::ExperimentRunner runner(options, *catalog);
    runner.setCancel(&g_cancel);
    runner.setProgress([](const engine::ExperimentProgress& progress) {
        std::fprintf(
            stderr, "[%d/%d] %s\n", progress.done, progress.total, qPrintable(progress.message));
    });
    const bool completed = runner.run(error);
    if (!completed)
        std::fprintf(stderr, "twintrace run: %s\n", qPrintable(error));
    if (!completed && !runner.started())
        return 2; // refused before any run: nothing new to report
    // The team's own service (--config) speaks whatever its SDK speaks.
    const QString transportNote = options.external ? QString()
        : options.transport == QLatin1String("h1")
        ? QStringLiteral(" The durable Writer's endpoint spoke HTTP/1.1 to restate-server, in "
                         "request-response mode (one request per step).")
        : QStringLiteral(" The durable Writer's endpoint spoke HTTP/2 to restate-server, with a "
                         "bidirectional stream per attempt (Restate's default mode).");
    const QString method = QStringLiteral(
        "`twintrace run --scenarios %1 --variants %2 --runs %3 --seed %4 --time-scale %5 "
        "--transport %7`: every scenario x variant cell ran %3 times, the variants alternating run "
        "by run; faults come from the stand-in's seeded plans (`resources/scenarios/`) and the "
        "engine's crash points and injected tool failures (`%6`).%8")
                               .arg(options.scenarios.join(QLatin1Char(',')),
                                   options.variants.join(QLatin1Char(',')))
                               .arg(options.runs)
                               .arg(options.seed)
                               .arg(options.timeScale)
                               .arg(QFileInfo(options.catalogPath).fileName())
                               .arg(options.transport, transportNote);
    {
        engine::ResultStore store;
        if (store.open(options.outDir, error)) {
            store.setMeta(QStringLiteral("method"), method);
            if (!refactor.isEmpty())
                store.setMeta(QStringLiteral("refactor"), refactor);
            if (installMs) { // a fresh measurement replaces what setup.sh recorded
                store.setMeta(QStringLiteral("setup_install_ms"), QString::number(*installMs));
                store.setMeta(QStringLiteral("setup_install_how"),
                    QStringLiteral("npm install of the pinned server into a temporary folder "
                                   "and cache, timed by twintrace run --measure-setup"));
            }
            if (parser.isSet(QStringLiteral("measure-setup")))
                printSetupParts(engine::loadSetupParts(store));
        }
    }
    const QString adr = parser.isSet(QStringLiteral("adr-dir"))
        ? parser.value(QStringLiteral("adr-dir"))
        : engine::defaultAdrDir(options.outDir);
    const int written = writeResults(options.outDir, adr, options.catalogPath, refactor, method,
        parser.isSet(QStringLiteral("json")));
    if (!completed)
        std::fprintf(stderr,
            "twintrace run: the report covers the runs finished so far; run the "
            "same command again to resume\n");
    return completed ? written : 3;
}

int reportCommand(const QStringList& arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Rewrites the report from a results folder."));
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("The results folder."));
    parser.addOptions({
        { QStringLiteral("out"),
            QStringLiteral("Report file (default DIR/RESTATE_POC_RESULTS.md)."),
            QStringLiteral("FILE") },
        { QStringLiteral("adr-dir"), QStringLiteral("Where the ADR draft goes."),
            QStringLiteral("DIR") },
        { QStringLiteral("refactor"),
            QStringLiteral("The team's Writer before and after the durable refactor (as for "
                           "`twintrace run`); default: what the experiment was given."),
            QStringLiteral("SPEC") },
        { QStringLiteral("json"), QStringLiteral("Print the summary as JSON.") },
    });
    parser.addHelpOption();
    if (!parser.parse(QStringList(QStringLiteral("twintrace report")) + arguments)) {
        std::fprintf(stderr, "twintrace report: %s\n", qPrintable(parser.errorText()));
        return 2;
    }
    if (parser.isSet(QStringLiteral("help"))) {
        std::fputs(qPrintable(parser.helpText()), stdout);
        return 0;
    }
    if (parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "twintrace report: name one results folder\n");
        return 2;
    }
    const QString dir = QDir(parser.positionalArguments().first()).absolutePath();
    const QString adr = parser.isSet(QStringLiteral("adr-dir"))
        ? parser.value(QStringLiteral("adr-dir"))
        : engine::defaultAdrDir(dir);
    const QString refactor = parser.isSet(QStringLiteral("refactor"))
        ? engine::absoluteRefactorSpec(parser.value(QStringLiteral("refactor")))
        : QString();
    if (!checkRefactor(QStringLiteral("report"), refactor))
        return 2;
    return writeResults(dir, adr, {}, refactor, {}, parser.isSet(QStringLiteral("json")),
        parser.value(QStringLiteral("out")));
}

} // namespace tt::cli
