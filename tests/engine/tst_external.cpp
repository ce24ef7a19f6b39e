// SPDX-License-Identifier: MIT
// The DGX Spark mode: its configuration, and both external drivers against local stand-ins:
// a shell script as the team's baseline command, TwinTrace's durable Writer behind a real
// restate-server as the ingress target, the stand-in as "the real llama.cpp" behind the fault
// proxy the engine starts.
#include "engine/env/externalcheck.h"
#include "engine/experiment/catalog.h"
#include "engine/experiment/external.h"
#include "engine/experiment/resultstore.h"
#include "engine/experiment/runner.h"
#include "engine/experiment/runtraces.h"
#include "engine/report/markdowntext.h"
#include "engine/report/resultsreport.h"
#include "engine/restate/restateserver.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QtTest>

using namespace tt::engine;

namespace {

QString writeFile(const QTemporaryDir& dir, const QString& name, const QByteArray& text)
{
    QFile file(dir.filePath(name));
    file.open(QIODevice::WriteOnly);
    file.write(text);
    return file.fileName();
}

// Waits until a process prints `text` on stdout (or stderr).
bool waitFor(QProcess& process, const QByteArray& text, int timeoutMs = 15000)
{
    QByteArray seen;
    QElapsedTimer clock;
    clock.start();
    while (clock.elapsed() < timeoutMs) {
        process.waitForReadyRead(100);
        seen += process.readAll();
        if (seen.contains(text))
            return true;
        if (process.state() == QProcess::NotRunning)
            return false;
    }
    return false;
}

// "The real llama.cpp": the stand-in without faults, answering at once.
bool startRealLlm(QProcess& upstream, int port)
{
    upstream.setProcessChannelMode(QProcess::MergedChannels);
    upstream.start(QStringLiteral(TT_BIN_DIR "/twintrace-llm"),
        { QStringLiteral("--listen"), QStringLiteral("127.0.0.1:%1").arg(port),
            QStringLiteral("--time-scale"), QStringLiteral("0") });
    return waitFor(upstream, "listening");
}

} // namespace

class TestExternal : public QObject
{
    Q_OBJECT
private slots:
    void theExampleConfigurationLoads()
    {
        QString error;
        const auto config = loadExternalConfig(
            QStringLiteral(TT_SOURCE_DIR "/resources/config/dgx-spark.example.json"), error);
        QVERIFY2(config, qPrintable(error));
        QCOMPARE(config->llm.upstream, QStringLiteral("http://dgx-spark.local:8002"));
        QCOMPARE(config->llmUrl(), QStringLiteral("http://127.0.0.1:18002"));
        QVERIFY(config->baseline.command.size() > 2);
        QCOMPARE(config->baseline.env.value(QStringLiteral("OPENAI_BASE_URL")),
            QStringLiteral("{llm_url}/v1"));
        QCOMPARE(config->durable.service, QStringLiteral("WriterAgentRestate"));
        QCOMPARE(config->durable.handler, QStringLiteral("run"));
        const QJsonObject body = substituteBody(config->durable.body,
            { { QStringLiteral("query"), QStringLiteral("Q") },
                { QStringLiteral("output_dir"), QStringLiteral("/out") },
                { QStringLiteral("llm_url"), QStringLiteral("http://127.0.0.1:18002/run/r1") } },
            {});
        QCOMPARE(body.value(QLatin1String("prompt")).toString(), QStringLiteral("Q"));
        // The team's ResearchInfo is an object; the run's LLM URL makes its calls countable.
        const QJsonObject info = body.value(QLatin1String("research_info")).toObject();
        QCOMPARE(info.value(QLatin1String("output_dir")).toString(), QStringLiteral("/out"));
        QCOMPARE(info.value(QLatin1String("llm_base_url")).toString(),
            QStringLiteral("http://127.0.0.1:18002/run/r1/v1"));
        QVERIFY(config->mentions(QStringLiteral("max_retries")));
    }

    void badConfigurationsSayWhereAndWhat_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("expected");
        QTest::newRow("not json") << QByteArray("{\n\"llm\": {,\n}") << QStringLiteral(":2:");
        QTest::newRow("no upstream")
            << QByteArray("{}") << QStringLiteral("llm.upstream: expected");
        QTest::newRow("proxy not loopback")
            << QByteArray("{\"llm\":{\"upstream\":\"http://x\",\"proxy_listen\":\"0.0.0.0:1\"}}")
            << QStringLiteral("llm.proxy_listen: expected 127.0.0.1:PORT");
        QTest::newRow("command not strings")
            << QByteArray(
                   "{\"llm\":{\"upstream\":\"http://x\"},\"baseline\":{\"command\":[\"a\",3]}}")
            << QStringLiteral("baseline.command: expected an array of strings");
        QTest::newRow("proxy on the upstream's address")
            << QByteArray("{\"llm\":{\"upstream\":\"http://localhost:28003\",\"proxy_listen\":"
                          "\"127.0.0.1:28003\"}}")
            << QStringLiteral("llm.upstream: expected another address than llm.proxy_listen");
        QTest::newRow("no body") << QByteArray(
            "{\"llm\":{\"upstream\":\"http://x\"},\"baseline\":{\"command\":[\"a\"]},"
            "\"durable\":{\"ingress\":\"http://i\",\"admin\":\"http://a\"}}")
                                 << QStringLiteral("durable.body: expected");
    }

    void badConfigurationsSayWhereAndWhat()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = writeFile(dir, QStringLiteral("config.json"), text);
        QString error;
        QVERIFY(!loadExternalConfig(path, error));
        QVERIFY2(error.startsWith(path), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void bothExternalDriversOnLocalStandIns()
    {
        QTemporaryDir dir;
        // "The real llama.cpp": the stand-in without faults.
        const int upstreamPort = freeLoopbackPort();
        QProcess upstream;
        QVERIFY(startRealLlm(upstream, upstreamPort));
        // "The team's Restate": a real server with TwinTrace's durable Writer registered, calling
        // the LLM through the proxy address of the configuration.
        RestateServer restate;
        QString error;
        QVERIFY2(restate.start(error), qPrintable(error));
        const int proxyPort = freeLoopbackPort();
        QProcess endpoint;
        endpoint.setProcessChannelMode(QProcess::MergedChannels);
        endpoint.start(QStringLiteral(TT_BIN_DIR "/twintrace-writer-restate"),
            { QStringLiteral("--port"), QString::number(freeLoopbackPort()),
                QStringLiteral("--register"), restate.adminUrl(), QStringLiteral("--llm-url"),
                QStringLiteral("http://127.0.0.1:%1").arg(proxyPort) });
        QVERIFY(waitFor(endpoint, "\"event\":\"listening\"")); // printed once registered
        // "The team's baseline": a script that records what it was given, leaves an OpenAI
        // trace, and fails when the proxy injects a fault it cannot see (it never calls the LLM:
        // exit 0 for nominal, 5 for the transient scenario, chosen by the scenario placeholder).
        const QString script = writeFile(dir, QStringLiteral("baseline.sh"),
            "#!/bin/sh\n"
            "printf '%s\\n' \"$OPENAI_BASE_URL\" \"$1\" \"$TWINTRACE_RUN_ID\" > \"$2/seen.txt\"\n"
            "cp \"$4\" \"$2/openai.jsonl\"\n"
            // One LLM call on its own base URL, with no header naming the run.
            "python3 -c 'import json,os,urllib.request as u; u.urlopen(u.Request("
            "os.environ[\"OPENAI_BASE_URL\"]+\"/chat/completions\", json.dumps({\"model\":\"m\","
            "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}).encode(), "
            "{\"Content-Type\":\"application/json\"})).read()' || exit 7\n"
            "test \"$3\" = nominal || { echo 'LLM call failed: 429' >&2; exit 5; }\n"
            "printf '# R\\n## Executive Summary\\n## Raw Notes\\n## Detailed Agenda\\n## "
            "Report\\n## FINAL STEP\\n' > \"$5/report.md\"\n");
        QFile::setPermissions(script, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        const QJsonObject config {
            { QStringLiteral("llm"),
                QJsonObject { { QStringLiteral("upstream"),
                                  QStringLiteral("http://127.0.0.1:%1").arg(upstreamPort) },
                    { QStringLiteral("proxy_listen"),
                        QStringLiteral("127.0.0.1:%1").arg(proxyPort) } } },
            { QStringLiteral("baseline"),
                QJsonObject { { QStringLiteral("command"),
                                  QJsonArray { script, QStringLiteral("{query}"),
                                      QStringLiteral("{run_dir}"), QStringLiteral("{scenario}"),
                                      QStringLiteral(TT_FIXTURES "/openai/writer_python.jsonl"),
                                      QStringLiteral("{output_dir}") } },
                    { QStringLiteral("env"),
                        QJsonObject { { QStringLiteral("OPENAI_BASE_URL"),
                            QStringLiteral("{llm_url}/v1") } } } } },
            { QStringLiteral("durable"),
                QJsonObject { { QStringLiteral("ingress"), restate.ingressUrl() },
                    { QStringLiteral("admin"), restate.adminUrl() },
                    { QStringLiteral("body"),
                        QJsonObject { { QStringLiteral("query"), QStringLiteral("{query}") },
                            { QStringLiteral("temp_dir"), QStringLiteral("{temp_dir}") },
                            { QStringLiteral("files"), QStringLiteral("{files}") },
                            { QStringLiteral("output_dir"), QStringLiteral("{output_dir}") },
                            { QStringLiteral("run_id"), QStringLiteral("{run_id}") },
                            { QStringLiteral("traces"),
                                QJsonObject { { QStringLiteral("openai"),
                                    QStringLiteral("{run_dir}/openai.jsonl") } } } } } } },
        };
        const QString configPath
            = writeFile(dir, QStringLiteral("dgx.json"), QJsonDocument(config).toJson());
        const auto external = loadExternalConfig(configPath, error);
        QVERIFY2(external, qPrintable(error));

        ExperimentOptions options;
        options.scenarios = { QStringLiteral("nominal"), QStringLiteral("transient-llm-k3") };
        options.variants = { QStringLiteral("baseline"), QStringLiteral("restate") };
        options.runs = 1;
        options.timeScale = 0;
        options.outDir = dir.filePath(QStringLiteral("experiment"));
        options.binDir = QStringLiteral(TT_BIN_DIR);
        options.external = std::make_shared<const ExternalConfig>(*external);
        const auto catalog = loadCatalog(defaultCatalogPath(), error);
        QVERIFY(catalog);
        ExperimentRunner runner(options, *catalog);
        QVERIFY2(runner.run(error), qPrintable(error));

        ResultStore store;
        QVERIFY(store.open(options.outDir, error));
        std::map<QString, RunRecord> runs;
        for (const RunRecord& r : store.runs())
            runs[r.scenario + QLatin1Char('/') + r.variant] = r;
        QCOMPARE(runs.size(), size_t(4));
        // The durable Writer went through the proxy: the transient 429s were retried by Restate.
        QVERIFY2(runs["nominal/restate"].success, qPrintable(runs["nominal/restate"].message));
        QVERIFY2(runs["transient-llm-k3/restate"].success,
            qPrintable(runs["transient-llm-k3/restate"].message));
        QVERIFY(runs["transient-llm-k3/restate"].restateRetries >= 1);
        QVERIFY(!runs["nominal/restate"].invocationId.isEmpty());
        // The baseline command: exit codes are outcomes, stderr the reason; a success needs its
        // report on disk.
        QVERIFY2(runs["nominal/baseline"].success, qPrintable(runs["nominal/baseline"].message));
        QCOMPARE(runs["nominal/baseline"].reportsWritten, 1);
        QCOMPARE(runs["transient-llm-k3/baseline"].outcome, QStringLiteral("exit 5"));
        QCOMPARE(runs["transient-llm-k3/baseline"].message, QStringLiteral("LLM call failed: 429"));
        QFile seen(
            runFolder(options.outDir, QStringLiteral("nominal"), QStringLiteral("baseline"), 1)
            + QStringLiteral("/seen.txt"));
        QVERIFY(seen.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = seen.readAll().split('\n');
        // Each run has its own base URL on the proxy, so its calls are its own without any header.
        QCOMPARE(lines.value(0),
            QStringLiteral("http://127.0.0.1:%1/run/%2/v1")
                .arg(proxyPort)
                .arg(QString::fromUtf8(lines.value(2)))
                .toUtf8());
        QCOMPARE(lines.value(1), QByteArray("Durable execution for LLM agents"));
        QVERIFY(lines.value(2).startsWith("nominal/baseline/1/"));
        QCOMPARE(runs["nominal/baseline"].llmRequests, 1);
        QCOMPARE(runs["transient-llm-k3/baseline"].llmRequests, 1);
        const QStringList logs = QDir(options.outDir + QStringLiteral("/logs"))
                                     .entryList({ QStringLiteral("llm-*.jsonl") }, QDir::Files);
        for (const QString& name : logs) {
            QFile log(options.outDir + QStringLiteral("/logs/") + name);
            QVERIFY(log.open(QIODevice::ReadOnly));
            QVERIFY2(!log.readAll().contains("\"run_id\":\"default\""), qPrintable(name));
        }
        // The team's journals were saved from their admin API: the durable run opens with its
        // Restate lanes, the baseline with the trace its command left.
        const auto journals = importExperimentJournals(options.outDir);
        const auto durable = importRunTraces(options.outDir, runs["nominal/restate"], journals);
        QVERIFY(!durable.traces.empty());
        QVERIFY(durable.traces.front().source == tt::timeline::Source::Restate);
        const auto baseline = importRunTraces(options.outDir, runs["nominal/baseline"], journals);
        QVERIFY(!baseline.traces.empty());

        // The report names what ran: the team's LLM with the model it serves, their Restate server
        // and its version, their commands; not TwinTrace's stand-in.
        ResultsReportRequest request;
        request.dir = options.outDir;
        const auto written = writeResultsReport(request, error);
        QVERIFY2(written, qPrintable(error));
        QFile report(written->path);
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(report.readAll());
        QVERIFY2(text.contains(QStringLiteral("the team's server at http://127.0.0.1:%1, model "
                                              "gpt-oss-20b")
                                   .arg(upstreamPort)),
            qPrintable(text));
        // (As the report renders foreign text: "1." escaped so that it is not a list.)
        QVERIFY(text.contains(
            markdownText(QStringLiteral("1.7.12, the team's server at ") + restate.adminUrl())));
        QVERIFY(text.contains(script));
        QVERIFY(!text.contains(QLatin1String("twintrace-llm stand-in")));
        QVERIFY(!text.contains(QLatin1String("TwinTrace's C++ implementation")));

        endpoint.kill();
        endpoint.waitForFinished(3000);
        upstream.kill();
        upstream.waitForFinished(3000);
    }

    void theConfigurationsPartsAreCheckedBeforeAnythingStarts()
    {
        // A wrong service name, a missing command and a taken proxy port each turn an item red,
        // with its fix, and stop `twintrace run --config` before any run.
        QTemporaryDir dir;
        RestateServer restate;
        QString error;
        QVERIFY2(restate.start(error), qPrintable(error));
        QTcpServer taken;
        QVERIFY(taken.listen(QHostAddress::LocalHost));
        const QJsonObject config {
            { QStringLiteral("llm"),
                QJsonObject { { QStringLiteral("upstream"), QStringLiteral("http://127.0.0.1:9") },
                    { QStringLiteral("proxy_listen"),
                        QStringLiteral("127.0.0.1:%1").arg(taken.serverPort()) } } },
            { QStringLiteral("baseline"),
                QJsonObject { { QStringLiteral("command"),
                    QJsonArray { QStringLiteral("no-such-command-for-twintrace") } } } },
            { QStringLiteral("durable"),
                QJsonObject { { QStringLiteral("ingress"), restate.ingressUrl() },
                    { QStringLiteral("admin"), restate.adminUrl() },
                    { QStringLiteral("service"), QStringLiteral("NoSuchWriter") },
                    { QStringLiteral("body"),
                        QJsonObject { { QStringLiteral("output_dir"),
                            QStringLiteral("{output_dir}") } } } } },
        };
        const QString path
            = writeFile(dir, QStringLiteral("bad.json"), QJsonDocument(config).toJson());
        const auto external = loadExternalConfig(path, error);
        QVERIFY2(external, qPrintable(error));
        std::map<QString, EnvItem> items;
        for (const EnvItem& item : checkExternal(*external, 2000))
            items[item.key] = item;
        for (const char* red : { "baseline", "proxy", "llm", "service" }) {
            QVERIFY2(!items[QLatin1String(red)].ok, red);
            QVERIFY2(!items[QLatin1String(red)].fix.isEmpty(), red);
        }
        QVERIFY(items[QStringLiteral("restate")].ok);
        QVERIFY(items[QStringLiteral("body")].ok);
        QVERIFY(items[QStringLiteral("service")].reason.contains(QLatin1String("NoSuchWriter")));
        QVERIFY(items[QStringLiteral("proxy")].reason.contains(QLatin1String("taken")));

        ExperimentOptions options;
        options.scenarios = { QStringLiteral("nominal") };
        options.outDir = dir.filePath(QStringLiteral("experiment"));
        options.binDir = QStringLiteral(TT_BIN_DIR);
        options.external = std::make_shared<const ExternalConfig>(*external);
        options.variants = { QStringLiteral("baseline"), QStringLiteral("restate") };
        const auto catalog = loadCatalog(defaultCatalogPath(), error);
        QVERIFY(catalog);
        ExperimentRunner runner(options, *catalog);
        QVERIFY(!runner.run(error));
        QVERIFY2(error.startsWith(QLatin1String("Baseline command:")), qPrintable(error));
        QVERIFY(!runner.started());
        QVERIFY(!QFile::exists(options.outDir + QStringLiteral("/results.sqlite")));
    }

    void aForeignWriterOnRestatesTypeScriptSdk()
    {
        // Writers nobody here wrote: a Node baseline and a durable Writer on Restate's official
        // TypeScript SDK (HTTP/2, ctx.run per step), neither sending any header naming the run.
        const QString sdk = QStringLiteral(TT_SOURCE_DIR "/node_modules/@restatedev/restate-sdk");
        if (!QFileInfo::exists(sdk))
            QSKIP("the pinned @restatedev/restate-sdk is not installed: run scripts/setup.sh");
        const QString foreign = QStringLiteral(TT_SOURCE_DIR "/tests/engine/foreign");
        QTemporaryDir dir;
        const int upstreamPort = freeLoopbackPort();
        QProcess upstream;
        QVERIFY(startRealLlm(upstream, upstreamPort));
        RestateServer restate;
        QString error;
        QVERIFY2(restate.start(error), qPrintable(error));
        const int writerPort = freeLoopbackPort();
        QProcess writer;
        writer.setProcessChannelMode(QProcess::MergedChannels);
        writer.start(QStringLiteral("node"),
            { foreign + QStringLiteral("/writer-restate.mjs"), QString::number(writerPort) });
        QVERIFY2(waitFor(writer, "listening"), qPrintable(QString::fromUtf8(writer.readAll())));
        int status = 0;
        const QByteArray registered
            = sendJson("POST", restate.adminUrl() + QStringLiteral("/deployments"),
                QJsonDocument(QJsonObject { { QStringLiteral("uri"),
                                  QStringLiteral("http://127.0.0.1:%1").arg(writerPort) } })
                    .toJson(QJsonDocument::Compact),
                status, 30000);
        QVERIFY2(status / 100 == 2, registered.constData());

        const int proxyPort = freeLoopbackPort();
        const QJsonObject config {
            { QStringLiteral("llm"),
                QJsonObject { { QStringLiteral("upstream"),
                                  QStringLiteral("http://127.0.0.1:%1").arg(upstreamPort) },
                    { QStringLiteral("proxy_listen"),
                        QStringLiteral("127.0.0.1:%1").arg(proxyPort) } } },
            { QStringLiteral("baseline"),
                QJsonObject {
                    { QStringLiteral("command"),
                        QJsonArray { QStringLiteral("node"),
                            foreign + QStringLiteral("/baseline.mjs"), QStringLiteral("{query}"),
                            QStringLiteral("{temp_dir}"), QStringLiteral("{output_dir}"),
                            QStringLiteral("notes_memory.md"), QStringLiteral("notes_tools.md") } },
                    { QStringLiteral("env"),
                        QJsonObject { { QStringLiteral("OPENAI_BASE_URL"),
                            QStringLiteral("{llm_url}/v1") } } } } },
            { QStringLiteral("durable"),
                QJsonObject { { QStringLiteral("ingress"), restate.ingressUrl() },
                    { QStringLiteral("admin"), restate.adminUrl() },
                    { QStringLiteral("service"), QStringLiteral("WriterAgent") },
                    { QStringLiteral("body"),
                        QJsonObject { { QStringLiteral("prompt"), QStringLiteral("{query}") },
                            { QStringLiteral("research_info"),
                                QJsonObject {
                                    { QStringLiteral("temp_dir"), QStringLiteral("{temp_dir}") },
                                    { QStringLiteral("output_dir"),
                                        QStringLiteral("{output_dir}") },
                                    { QStringLiteral("search_results"), QStringLiteral("{files}") },
                                    { QStringLiteral("llm_base_url"),
                                        QStringLiteral("{llm_url}/v1") } } } } } } },
        };
        const QString configPath
            = writeFile(dir, QStringLiteral("foreign.json"), QJsonDocument(config).toJson());
        const auto external = loadExternalConfig(configPath, error);
        QVERIFY2(external, qPrintable(error));
        // Every part is green before anything starts.
        QCOMPARE(firstProblem(checkExternal(*external)), QString());

        ExperimentOptions options;
        options.scenarios = { QStringLiteral("nominal"), QStringLiteral("transient-llm") };
        options.runs = 2;
        options.timeScale = 0;
        options.outDir = dir.filePath(QStringLiteral("experiment"));
        options.binDir = QStringLiteral(TT_BIN_DIR);
        options.external = std::make_shared<const ExternalConfig>(*external);
        options.variants = { QStringLiteral("baseline"), QStringLiteral("restate") };
        const auto catalog = loadCatalog(defaultCatalogPath(), error);
        QVERIFY(catalog);
        ExperimentRunner runner(options, *catalog);
        QVERIFY2(runner.run(error), qPrintable(error));

        ResultStore store;
        QVERIFY(store.open(options.outDir, error));
        const auto runs = store.runs();
        QCOMPARE(runs.size(), size_t(24)); // nominal and k1..k5, both variants, 2 runs
        // The LLM calls of each run, as the proxy's log has them under its run id.
        std::map<QString, int> logged;
        const QStringList logs = QDir(options.outDir + QStringLiteral("/logs"))
                                     .entryList({ QStringLiteral("llm-*.jsonl") }, QDir::Files);
        for (const QString& name : logs) {
            QFile log(options.outDir + QStringLiteral("/logs/") + name);
            QVERIFY(log.open(QIODevice::ReadOnly));
            while (!log.atEnd())
                ++logged[QJsonDocument::fromJson(log.readLine())
                             .object()
                             .value(QLatin1String("run_id"))
                             .toString()];
        }
        QCOMPARE(logged.count(QStringLiteral("default")), size_t(0)); // every call attributed
        for (const RunRecord& run : runs) {
            const QString what = run.scenario + QLatin1Char('/') + run.variant + QLatin1Char('/')
                + QString::number(run.runIndex) + QStringLiteral(": ") + run.outcome
                + QLatin1Char(' ') + run.message;
            // k consecutive 429s on the second LLM call (0 for nominal).
            const int k = run.scenario.startsWith(QLatin1String("transient-llm-k"))
                ? run.scenario.right(1).toInt()
                : 0;
            const bool durable = run.variant == QLatin1String("restate");
            // The baseline's client retries twice: k1 and k2 pass, k3..k5 fail in every run.
            // Restate retries the step until it passes.
            QVERIFY2(run.success == (durable || k <= 2), qPrintable(what));
            QVERIFY2(run.llmRequests >= 2, qPrintable(what));
            int fromLog = 0;
            for (const auto& [id, count] : logged)
                if (id.startsWith(run.scenario + QLatin1Char('/') + run.variant + QLatin1Char('/')
                        + QString::number(run.runIndex) + QLatin1Char('/')))
                    fromLog += count;
            QCOMPARE(run.llmRequests, fromLog);
            // The first call, the faulted attempts, and the answered second call: the baseline
            // gives up after 3 attempts of the second call.
            QCOMPARE(run.llmRequests, durable ? k + 2 : (k <= 2 ? k + 2 : 4));
            if (run.success)
                QCOMPARE(run.reportsWritten, 1);
            // The foreign baseline leaves no trace of its own: its pane shows its LLM requests as
            // the proxy logged them, one span per call.
            if (!durable) {
                const auto traces = importRunTraces(options.outDir, run, {});
                QCOMPARE(traces.traces.size(), size_t(1));
                QVERIFY(traces.traces.front().source == tt::timeline::Source::LlmRequests);
                QCOMPARE(int(traces.traces.front().spans.size()), run.llmRequests);
                QCOMPARE(int(traces.traces.front().errorCount) > 0, k > 0);
            }
        }
        ResultsReportRequest request;
        request.dir = options.outDir;
        const auto written = writeResultsReport(request, error);
        QVERIFY2(written, qPrintable(error));
        for (const Criterion& criterion : written->summary.goNoGo)
            if (criterion.criterion == QLatin1String("resilience"))
                QCOMPARE(criterion.verdict, QStringLiteral("GO")); // 100 % vs 40 %
        // The report is about the team's parts, in Environment, Method and Limits.
        QFile report(written->path);
        QVERIFY(report.open(QIODevice::ReadOnly));
        const QString text = QString::fromUtf8(report.readAll());
        const QString environment = text.section(QStringLiteral("## Environment"), 1);
        QVERIFY(environment.contains(QStringLiteral("model gpt-oss-20b")));
        QVERIFY(environment.contains(QStringLiteral("baseline.mjs")));
        QVERIFY(environment.contains(QStringLiteral("WriterAgent/run")));
        QVERIFY(
            text.section(QStringLiteral("## Method"), 1)
                .contains(QStringLiteral("the team's Writers leave what their own code writes")));
        QVERIFY(text.section(QStringLiteral("## Limits of this study"), 1)
                    .contains(QStringLiteral("are the team's")));
        QVERIFY(!text.contains(QStringLiteral("twintrace-llm stand-in")));

        writer.kill();
        writer.waitForFinished(3000);
        upstream.kill();
        upstream.waitForFinished(3000);
    }
};

QTEST_GUILESS_MAIN(TestExternal)
#include "tst_external.moc"
