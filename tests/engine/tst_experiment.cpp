// SPDX-License-Identifier: MIT
// The experiment engine on real parts (restate-server, the stand-in, both Writers) through the
// `twintrace run` command: outcomes as the plan expects, the store, the report, and a kill -9 of
// twintrace mid-experiment that the same command resumes without redoing finished runs and
// without leaving processes behind.
#include "engine/experiment/catalog.h"
#include "engine/experiment/resultstore.h"
#include "engine/experiment/runtraces.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <csignal>
#include <optional>

using tt::engine::defaultCatalogPath;
using tt::engine::loadCatalog;
using tt::engine::ResultStore;
using tt::engine::RunRecord;

namespace {

// Processes whose command line mentions `text` (our children carry the results folder).
QStringList processesMentioning(const QString& text)
{
    QStringList found;
    for (const QString& pid : QDir(QStringLiteral("/proc")).entryList(QDir::Dirs)) {
        bool numeric = false;
        pid.toInt(&numeric);
        if (!numeric)
            continue;
        QFile cmdline(QStringLiteral("/proc/%1/cmdline").arg(pid));
        if (cmdline.open(QIODevice::ReadOnly) && cmdline.readAll().contains(text.toUtf8()))
            found << pid;
    }
    return found;
}

std::map<QString, RunRecord> byKey(const std::vector<RunRecord>& runs)
{
    std::map<QString, RunRecord> out;
    for (const RunRecord& r : runs)
        out[r.scenario + QLatin1Char('/') + r.variant + QLatin1Char('/')
            + QString::number(r.runIndex)]
            = r;
    return out;
}

} // namespace

class TestExperiment : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QStringList arguments(const QString& out, const QString& scenarios, int runs,
        const QString& variants = QStringLiteral("baseline,baseline-restart,restate"),
        const QString& timeScale = QStringLiteral("0")) const
    {
        return { QStringLiteral("run"), QStringLiteral("--scenarios"), scenarios,
            QStringLiteral("--runs"), QString::number(runs), QStringLiteral("--variants"), variants,
            QStringLiteral("--time-scale"), timeScale, QStringLiteral("--out"), out,
            QStringLiteral("--json") };
    }

    // Runs `twintrace` to its end (stderr forwarded): its stdout, or nothing when it did not
    // finish with status 0.
    static std::optional<QByteArray> runToEnd(const QStringList& args)
    {
        QProcess twintrace;
        twintrace.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        twintrace.start(QStringLiteral(TT_TWINTRACE), args);
        if (!twintrace.waitForFinished(300000) || twintrace.exitCode() != 0)
            return std::nullopt;
        return twintrace.readAllStandardOutput();
    }

private slots:
    void gpuReadingsBecomeEachRunsGpuLane()
    {
        // The stand-in NVML library answers like one GPU (the real one on the GPU machine).
        const QString out = m_dir.filePath(QStringLiteral("gpu"));
        QProcess twintrace;
        twintrace.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("TT_NVML_LIBRARY"), QStringLiteral(TT_FAKE_NVML));
        twintrace.setProcessEnvironment(env);
        const QStringList args
            = arguments(out, QStringLiteral("nominal"), 1, QStringLiteral("baseline"));
        twintrace.start(QStringLiteral(TT_TWINTRACE), args);
        QVERIFY(twintrace.waitForFinished(120000));
        QCOMPARE(twintrace.exitCode(), 0);
        QFile gpu(out + QStringLiteral("/gpu.jsonl"));
        QVERIFY(gpu.open(QIODevice::ReadOnly));
        QVERIFY(gpu.readAll().count('\n') >= 1);
        ResultStore store;
        QString error;
        QVERIFY(store.open(out, error));
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(1));
        const auto journals = tt::engine::importExperimentJournals(out);
        QCOMPARE(journals.gpu.size(), size_t(1));
        const auto traces = tt::engine::importRunTraces(out, runs[0], journals);
        bool hasGpu = false;
        for (const auto& trace : traces.traces)
            hasGpu |= trace.source == tt::timeline::Source::Gpu && !trace.spans.empty();
        QVERIFY(hasGpu);
        QFile report(out + QStringLiteral("/RESTATE_POC_RESULTS.md"));
        QVERIFY(report.open(QIODevice::ReadOnly));
        QVERIFY(report.readAll().contains("TwinTrace Test GPU"));
    }

    void outcomesAsThePlanExpects()
    {
        const QString out = m_dir.filePath(QStringLiteral("plan"));
        QProcess twintrace;
        twintrace.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        twintrace.start(QStringLiteral(TT_TWINTRACE),
            arguments(out,
                QStringLiteral("nominal,crash-at-llm_call#2,tool-fails-once-read,malformed-output"),
                1));
        QVERIFY(twintrace.waitForFinished(300000));
        QCOMPARE(twintrace.exitCode(), 0);
        const QJsonObject summary
            = QJsonDocument::fromJson(twintrace.readAllStandardOutput()).object();
        QCOMPARE(summary.value(QLatin1String("cells")).toArray().size(), 12); // 3 variants
        for (const QJsonValue& value : summary.value(QLatin1String("cells")).toArray()) {
            const QJsonObject cell = value.toObject();
            for (const char* key : { "scenario", "variant", "runs", "successes", "success_rate",
                     "wall_ms_median", "llm_calls_mean", "retries_mean", "reports_written_max",
                     "attempts_mean", "llm_repeated_mean", "tokens_repeated_mean", "expected" })
                QVERIFY2(cell.contains(QLatin1String(key)), key);
        }
        // The verdicts: resilience is decided on the runs; the refactor size is not TwinTrace's
        // to measure, and no exercise was recorded.
        std::map<QString, QJsonObject> verdicts;
        for (const QJsonValue& value : summary.value(QLatin1String("go_nogo")).toArray())
            verdicts[value.toObject().value(QLatin1String("criterion")).toString()]
                = value.toObject();
        QCOMPARE(verdicts.size(), size_t(5));
        const auto verdict = [&](const char* name) {
            return verdicts[QLatin1String(name)].value(QLatin1String("verdict")).toString();
        };
        QCOMPARE(verdict("resilience"), QStringLiteral("GO"));
        QVERIFY(verdict("overhead") == QLatin1String("GO")
            || verdict("overhead") == QLatin1String("NO-GO"));
        QCOMPARE(verdict("setup time"), QStringLiteral("GO"));
        QCOMPARE(verdict("refactor size"), QStringLiteral("not measured"));
        QCOMPARE(verdict("debugging time"), QStringLiteral("not measured"));

        ResultStore store;
        QString error;
        QVERIFY2(store.open(out, error), qPrintable(error));
        const auto runs = byKey(store.runs());
        QCOMPARE(runs.size(), size_t(12));
        QCOMPARE(runs.at(QStringLiteral("nominal/baseline/1")).outcome, QStringLiteral("success"));
        QCOMPARE(runs.at(QStringLiteral("nominal/baseline-restart/1")).attempts, 1);
        QCOMPARE(runs.at(QStringLiteral("nominal/restate/1")).outcome, QStringLiteral("success"));
        // A crash loses the baseline run; the durable run resumes, repeating only the LLM call
        // the crash cut (answered, not recorded), and writes the report once.
        const RunRecord& lost = runs.at(QStringLiteral("crash-at-llm_call#2/baseline/1"));
        QCOMPARE(lost.outcome, QStringLiteral("crashed"));
        QVERIFY(lost.crashed);
        QCOMPARE(lost.reportsWritten, 0);
        const RunRecord& resumed = runs.at(QStringLiteral("crash-at-llm_call#2/restate/1"));
        QCOMPARE(resumed.outcome, QStringLiteral("success"));
        QVERIFY(resumed.crashed);
        QVERIFY(resumed.recoverMs > 0);
        QCOMPARE(resumed.llmAnswered, 3);
        QCOMPARE(resumed.reportsWritten, 1);
        // The restart loop relaunches the baseline from scratch past the crash point (it fires
        // once per run): it succeeds, paying again the two LLM calls the first attempt was
        // answered (the second one cut by the crash after its answer).
        const RunRecord& relaunched
            = runs.at(QStringLiteral("crash-at-llm_call#2/baseline-restart/1"));
        QCOMPARE(relaunched.outcome, QStringLiteral("success"));
        QVERIFY(relaunched.crashed);
        QCOMPARE(relaunched.attempts, 2);
        QCOMPARE(relaunched.llmRepeated, 2);
        QVERIFY(relaunched.tokensRepeated > 0);
        QCOMPARE(relaunched.llmAnswered, 4);
        QCOMPARE(resumed.llmRepeated, 1); // the durable run's cut call, asked again
        QCOMPARE(relaunched.reportsWritten, 1);
        QCOMPARE(runs.at(QStringLiteral("tool-fails-once-read/baseline-restart/1")).outcome,
            QStringLiteral("success"));
        QCOMPARE(runs.at(QStringLiteral("tool-fails-once-read/baseline-restart/1")).attempts, 2);
        // A fault no attempt gets past: the policy's 8 attempts, then it gives up.
        const RunRecord& givenUp = runs.at(QStringLiteral("malformed-output/baseline-restart/1"));
        QVERIFY(!givenUp.success);
        QCOMPARE(givenUp.attempts, 8);
        QCOMPARE(runs.at(QStringLiteral("tool-fails-once-read/baseline/1")).outcome,
            QStringLiteral("tool_failed"));
        QCOMPARE(runs.at(QStringLiteral("tool-fails-once-read/restate/1")).outcome,
            QStringLiteral("success"));
        QCOMPARE(runs.at(QStringLiteral("malformed-output/baseline/1")).outcome,
            QStringLiteral("malformed_output"));
        QCOMPARE(runs.at(QStringLiteral("malformed-output/restate/1")).outcome,
            QStringLiteral("failed"));
        // The durable runs' journals are kept, importable later: one snapshot per lane (each
        // has its own restate-server), every durable run's invocation in one of them.
        const QStringList sessions
            = QDir(out + QStringLiteral("/restate")).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
        QVERIFY(!sessions.isEmpty());
        QByteArray invocations;
        qint64 journalBytes = 0;
        for (const QString& session : sessions) {
            const QString folder = out + QStringLiteral("/restate/") + session;
            QFile snapshot(folder + QStringLiteral("/sys_invocation.json"));
            QVERIFY(snapshot.open(QIODevice::ReadOnly));
            invocations += snapshot.readAll();
            journalBytes += QFile(folder + QStringLiteral("/sys_journal.json")).size();
        }
        QVERIFY(journalBytes > 1000);
        for (const auto& [key, run] : runs)
            if (run.variant == QLatin1String("restate"))
                QVERIFY2(invocations.contains(run.invocationId.toUtf8()), qPrintable(key));

        QFile report(out + QStringLiteral("/RESTATE_POC_RESULTS.md"));
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QByteArray text = report.readAll();
        QVERIFY(text.contains("## Decision"));
        QVERIFY(text.contains("not measured: refactor size"));
        QVERIFY(text.contains("## What durability costs"));
        QVERIFY(text.contains("| resilience |"));
        QVERIFY(text.contains("### crash-at-llm_call#2"));
        QVERIFY(text.contains("| baseline-restart | 1 | 1/1"));
        QVERIFY(text.contains("## What Restate saves over a restart loop"));
        // Restate repeats only the cut call; the loop both calls of the first attempt.
        QVERIFY(text.contains("crash-at-llm_call#2 costs the restart loop +1.0 LLM call(s)"));
#ifdef TT_HAVE_CHARTS // a build without the window has no Qt Charts: tables only
        // The charts, drawn offscreen with Qt Charts, are in the report.
        for (const char* chart : { "success-rate", "wall-time", "llm-calls" }) {
            QVERIFY2(text.contains(QByteArray("](images/") + chart + ".png)"), chart);
            QVERIFY(QImage(out + QStringLiteral("/images/") + QLatin1String(chart)
                        + QStringLiteral(".png"))
                        .width()
                >= 2000);
        }
#endif
        // The ADR draft is the experiment's own, inside its folder (not under the working
        // directory, not shared with another experiment).
        QVERIFY(QFile::exists(out + QStringLiteral("/adr/0001-restate-for-the-writer.md")));
        QVERIFY(!QFile::exists(m_dir.filePath(QStringLiteral("docs/adr"))));
    }

    void bothVariantsGiveTheLlmTheSameWork()
    {
        // For a scenario, seed and run number, the stand-in sees byte-identical requests from both
        // variants: same bodies, same tokens, same simulated latency.
        const QString out = m_dir.filePath(QStringLiteral("same-work"));
        QVERIFY(runToEnd(arguments(out, QStringLiteral("nominal,transient-llm-k3"), 1,
            QStringLiteral("baseline,restate"))));
        // One log per scenario and lane: the requests gathered by scenario.
        const QStringList logs = QDir(out + QStringLiteral("/logs"))
                                     .entryList({ QStringLiteral("llm-*.jsonl") }, QDir::Files);
        QVERIFY(logs.size() >= 2);
        // scenario -> variant -> call number -> what it sent and got
        std::map<QString, std::map<QString, std::map<int, QJsonObject>>> byScenario;
        for (const QString& name : logs) {
            QFile log(out + QStringLiteral("/logs/") + name);
            QVERIFY(log.open(QIODevice::ReadOnly));
            while (!log.atEnd()) {
                const QJsonObject entry = QJsonDocument::fromJson(log.readLine()).object();
                const QString runId = entry.value(QLatin1String("run_id")).toString();
                byScenario[runId.section(QLatin1Char('/'), 0, 0)][runId.section(
                    QLatin1Char('/'), 1, 1)][entry.value(QLatin1String("call")).toInt()]
                    = entry;
            }
        }
        QCOMPARE(byScenario.size(), size_t(2));
        for (auto& [name, byVariant] : byScenario) {
            const auto& baseline = byVariant[QStringLiteral("baseline")];
            const auto& durable = byVariant[QStringLiteral("restate")];
            QVERIFY2(baseline.size() >= 2, qPrintable(name));
            int answered = 0;
            for (const auto& [call, sent] : baseline) {
                QVERIFY2(durable.count(call), qPrintable(name));
                const QJsonObject& other = durable.at(call);
                QVERIFY(!sent.value(QLatin1String("body_hash")).toString().isEmpty());
                QVERIFY(sent.value(QLatin1String("body_bytes")).toInt() > 0);
                for (const char* key : { "body_hash", "body_bytes", "status", "fault",
                         "prompt_tokens", "completion_tokens", "simulated_ms" })
                    QVERIFY2(sent.value(QLatin1String(key)) == other.value(QLatin1String(key)),
                        qPrintable(QStringLiteral("%1 call %2: %3 differs")
                                       .arg(name)
                                       .arg(call)
                                       .arg(QLatin1String(key))));
                answered += sent.value(QLatin1String("status")).toInt() == 200;
            }
            QVERIFY(answered >= 1);
        }
    }

    void restartLoopLeavesTheFirstReportBesideTheFinalOne()
    {
        // A crash inside save_report, after the report is written: the relaunched Writer writes
        // its own, and the earlier attempt's stays beside it. The stand-in's latency (time scale
        // 0.5) keeps every attempt over a second, so the two reports' names (to the second)
        // differ as they would on the team's LLM.
        const QString out = m_dir.filePath(QStringLiteral("restart-save"));
        QVERIFY(runToEnd(arguments(out, QStringLiteral("crash-at-save_report#1"), 1,
            QStringLiteral("baseline-restart"), QStringLiteral("0.5"))));
        ResultStore store;
        QString error;
        QVERIFY2(store.open(out, error), qPrintable(error));
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(1));
        const RunRecord& run = runs.front();
        QCOMPARE(run.variant, QStringLiteral("baseline-restart"));
        QVERIFY(run.crashed);
        QCOMPARE(run.attempts, 2);
        QCOMPARE(run.reportsWritten, 2);
        QCOMPARE(run.earlierReports, 1);
        QCOMPARE(run.outcome, QStringLiteral("duplicate_reports"));
        QVERIFY(!run.success);
        QVERIFY2(run.message.contains(QLatin1String("1 left by an earlier attempt")),
            qPrintable(run.message));
        QCOMPARE(run.llmRepeated, 2); // both calls of the first attempt, thrown away
        QCOMPARE(run.llmAnswered, 4);
    }

    void restateServerKilledMidStepAndRestarted()
    {
        // A power cut of restate-server in the middle of the durable run's second LLM call: the
        // same server comes back on its data folder and every run completes, repeating at most
        // the interrupted call (the stand-in's log) and recording each step once (the journal).
        const QString out = m_dir.filePath(QStringLiteral("restate-crash"));
        QVERIFY(runToEnd(arguments(out, QStringLiteral("restate-crash"), 3,
            QStringLiteral("restate"), QStringLiteral("0.5"))));
        ResultStore store;
        QString error;
        QVERIFY2(store.open(out, error), qPrintable(error));
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(3));
        for (const RunRecord& run : runs) {
            const QString what
                = QStringLiteral("run %1: %2 %3").arg(run.runIndex).arg(run.outcome, run.message);
            QVERIFY2(run.success, qPrintable(what));
            QVERIFY2(run.restateOutageMs > 0, qPrintable(what));
            QVERIFY2(run.recoverMs > run.restateOutageMs, qPrintable(what));
            QVERIFY2(run.llmRepeated <= 1, qPrintable(what));
            QVERIFY2(run.llmAnswered <= 3, qPrintable(what));
            QCOMPARE(run.durableSteps, 4); // 2 LLM calls, the tool call, the report: once each
            qInfo("%s: outage %.0f ms, recovered in %.0f ms, %d LLM calls answered, %d repeated, "
                  "%d journal Run commands",
                qPrintable(what), run.restateOutageMs, run.recoverMs, run.llmAnswered,
                run.llmRepeated, run.durableSteps);
        }
    }

    void restateServerDownWhenTheRunIsSubmitted()
    {
        // restate-server is SIGKILLed just before the durable run is handed over and comes back
        // on its data folder after the catalog's delay: the ingress client is refused meanwhile,
        // keeps trying within its patience, gets through once the server is back, and the run
        // then starts and completes with every step once. The baseline runs it as nominal.
        QString error;
        const auto catalog = loadCatalog(defaultCatalogPath(), error);
        QVERIFY2(catalog, qPrintable(error));
        const auto chosen = catalog->select({ QStringLiteral("restate-down-at-start") }, error);
        QVERIFY2(chosen && chosen->size() == 1, qPrintable(error));
        const int downMs = chosen->front().restateDownAtStartMs;
        QVERIFY(downMs > 0 && downMs < catalog->ingressPatienceMs);
        QCOMPARE(chosen->front().group, QStringLiteral("restate-failure"));

        const QString out = m_dir.filePath(QStringLiteral("restate-down"));
        QVERIFY(runToEnd(arguments(out, QStringLiteral("restate-down-at-start"), 2,
            QStringLiteral("baseline,restate"), QStringLiteral("0.5"))));
        ResultStore store;
        QVERIFY2(store.open(out, error), qPrintable(error));
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(4));
        for (const RunRecord& run : runs) {
            const QString what = QStringLiteral("%1 run %2: %3 %4")
                                     .arg(run.variant)
                                     .arg(run.runIndex)
                                     .arg(run.outcome, run.message);
            QVERIFY2(run.success, qPrintable(what));
            if (run.variant == QLatin1String("baseline")) {
                QCOMPARE(run.restateOutageMs, -1.0);
                QCOMPARE(run.restateDownAtMs, -1.0);
                QCOMPARE(run.ingressAttempts, 0);
                continue;
            }
            // The outage as stored: its length and where it lies on the wall clock.
            QVERIFY2(run.restateOutageMs >= downMs, qPrintable(what));
            QVERIFY2(run.restateDownAtMs > 0, qPrintable(what));
            QVERIFY2(std::abs(run.restateUpAtMs - run.restateDownAtMs - run.restateOutageMs) < 50,
                qPrintable(what));
            // The client: refused while the server was down, then accepted.
            QVERIFY2(run.ingressAttempts > 1, qPrintable(what));
            QVERIFY2(run.ingressSeen.startsWith(QLatin1String("connection refused x")),
                qPrintable(run.ingressSeen));
            QVERIFY2(run.ingressSeen.contains(QLatin1String("then HTTP 2")),
                qPrintable(run.ingressSeen));
            QVERIFY2(run.ingressWaitMs >= downMs - 100, qPrintable(what));
            QVERIFY2(run.ingressWaitMs < catalog->ingressPatienceMs, qPrintable(what));
            // The run started only once the server was back and lost nothing.
            QVERIFY2(run.recoverMs >= run.ingressWaitMs, qPrintable(what));
            QCOMPARE(run.durableSteps, 4);
            QCOMPARE(run.llmRepeated, 0);
            QVERIFY2(run.message.contains(run.ingressSeen), qPrintable(run.message));
            qInfo("%s: outage %.0f ms; the ingress client saw %s (%d tries), accepted after "
                  "%.0f ms; result %.0f ms after the kill",
                qPrintable(what), run.restateOutageMs, qPrintable(run.ingressSeen),
                run.ingressAttempts, run.ingressWaitMs, run.recoverMs);
        }
    }

    void killedMidExperimentResumes()
    {
        const QString out = m_dir.filePath(QStringLiteral("resume"));
        QProcess first;
        first.setReadChannel(QProcess::StandardError);
        first.start(QStringLiteral(TT_TWINTRACE),
            arguments(out, QStringLiteral("nominal,tool-fails-once-save"), 2,
                QStringLiteral("baseline,restate"))
                // Two lanes: in twelve, all eight runs could end before the kill.
                << QStringLiteral("--parallel") << QStringLiteral("2"));
        QVERIFY(first.waitForStarted());
        // Kill -9 once three runs are stored.
        QElapsedTimer clock;
        clock.start();
        QByteArray progress;
        while (!progress.contains("[3/8]") && clock.elapsed() < 120000
            && first.state() == QProcess::Running) {
            first.waitForReadyRead(200);
            progress += first.readAllStandardError();
        }
        const bool three = progress.contains("[3/8]");
        QVERIFY2(three, "the experiment never finished three runs");
        ::kill(pid_t(first.processId()), SIGKILL);
        QVERIFY(first.waitForFinished(10000));
        ResultStore store;
        QString error;
        QVERIFY2(store.open(out, error), qPrintable(error));
        const auto before = byKey(store.runs());
        QVERIFY(before.size() >= 3 && before.size() < 8);
        // Its children died with it: restate-server, the stand-in, the endpoint.
        QTest::qWait(500);
        QVERIFY2(processesMentioning(out).isEmpty(),
            qPrintable(processesMentioning(out).join(QLatin1Char(' '))));

        // The other transport is refused: runs over HTTP/1.1 and HTTP/2 must not be pooled.
        QProcess other;
        other.start(QStringLiteral(TT_TWINTRACE),
            arguments(out, QStringLiteral("nominal,tool-fails-once-save"), 2,
                QStringLiteral("baseline,restate"))
                << QStringLiteral("--transport") << QStringLiteral("h1"));
        QVERIFY(other.waitForFinished(60000));
        QCOMPARE(other.exitCode(), 2);
        QVERIFY(other.readAllStandardError().contains("--transport h2"));
        QCOMPARE(byKey(store.runs()).size(), before.size());

        QProcess second;
        second.setProcessChannelMode(QProcess::ForwardedOutputChannel);
        second.start(QStringLiteral(TT_TWINTRACE),
            arguments(out, QStringLiteral("nominal,tool-fails-once-save"), 2,
                QStringLiteral("baseline,restate")));
        QVERIFY(second.waitForFinished(300000));
        QCOMPARE(second.exitCode(), 0);
        QVERIFY(second.readAllStandardError().contains("resuming: "));
        const auto after = byKey(store.runs());
        QCOMPARE(after.size(), size_t(8));
        for (const auto& [key, run] : before)
            QCOMPARE(after.at(key).finishedAt, run.finishedAt); // not redone
    }

    void cancelledBySigint()
    {
        // Ctrl-C: the run in progress stops, its children with it, the finished runs stay, and
        // the report covers them.
        const QString out = m_dir.filePath(QStringLiteral("cancel"));
        QProcess twintrace;
        twintrace.setReadChannel(QProcess::StandardError);
        // One lane: ten runs in twelve lanes would all end before Ctrl-C could come.
        twintrace.start(QStringLiteral(TT_TWINTRACE),
            arguments(out, QStringLiteral("nominal"), 5, QStringLiteral("baseline,restate"))
                << QStringLiteral("--parallel") << QStringLiteral("1"));
        QVERIFY(twintrace.waitForStarted());
        QElapsedTimer clock;
        clock.start();
        QByteArray progress;
        while (!progress.contains("[2/10]") && clock.elapsed() < 120000
            && twintrace.state() == QProcess::Running) {
            twintrace.waitForReadyRead(200);
            progress += twintrace.readAllStandardError();
        }
        progress += twintrace.readAllStandardError();
        QVERIFY2(progress.contains("[2/10]"), progress.right(500).constData());
        ::kill(pid_t(twintrace.processId()), SIGINT);
        QVERIFY(twintrace.waitForFinished(60000));
        progress += twintrace.readAllStandardError();
        QCOMPARE(twintrace.exitCode(), 3);
        QVERIFY2(progress.contains("cancelled after"), progress.right(500).constData());
        QVERIFY(processesMentioning(out).isEmpty());
        ResultStore store;
        QString error;
        QVERIFY2(store.open(out, error), qPrintable(error));
        const auto runs = store.runs();
        QVERIFY(runs.size() >= 2 && runs.size() < 10);
        QVERIFY(QFile::exists(out + QStringLiteral("/RESTATE_POC_RESULTS.md")));
    }
};

QTEST_GUILESS_MAIN(TestExperiment)
#include "tst_experiment.moc"
