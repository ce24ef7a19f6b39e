// SPDX-License-Identifier: MIT
// The durable Writer against the real restate-server (npm 1.7.12) and the LLM stand-in: it
// registers, completes, survives LLM faults beyond its client's retries, resumes after a SIGKILL
// at every step boundary and inside every step without repeating a recorded LLM call or writing
// the report twice, fails terminal errors without retrying, and answers a changed journal
// with 570.
#include "harness.h"

#include "agents/restate/endpoint.h"
#include "importers/common/files.h"
#include "importers/timeline/steps.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>

#include <nlohmann/json.hpp>

#include <fstream>

using nlohmann::json;

namespace {

// The Writer's steps as an importer reads them back from one of the trace files of a run.
QStringList stepsIn(const QString& file, int& traces)
{
    const auto result = tt::importers::importPath(file.toStdString());
    traces = int(result.traces.size());
    QStringList labels;
    if (!result.traces.empty())
        for (const auto& step : tt::timeline::extractSteps(result.traces.front()))
            labels << QString::fromStdString(step.label());
    return labels;
}

const QStringList kAllSteps
    = { QStringLiteral("llm_call#1"), QStringLiteral("read_multiple_files#1"),
          QStringLiteral("llm_call#2"), QStringLiteral("save_report#1") };

} // namespace

class TestDurableWriter : public QObject
{
    Q_OBJECT

    tt::testing::RestateHarness h;

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(error), qPrintable(error));
        QVERIFY(h.startLlm(QStringLiteral("nominal")));
        QVERIFY(h.startEndpoint());
    }

    void registersInItsProtocolMode()
    {
        QString error;
        const QByteArray answer = h.registerEndpoint(error).toUtf8();
        QVERIFY2(!answer.isEmpty(), qPrintable(error));
        const json registered = json::parse(answer.toStdString());
        QCOMPARE(registered["services"][0]["name"].get<std::string>(),
            std::string("WriterAgentRestate"));
        // The Writer's handler, and the empty one the engine warms the connection up with.
        std::vector<std::string> handlers;
        for (const json& handler : registered["services"][0]["handlers"])
            handlers.push_back(handler["name"].get<std::string>());
        std::sort(handlers.begin(), handlers.end());
        QCOMPARE(handlers, (std::vector<std::string> { "run", "warmup" }));
        QCOMPARE(registered["min_protocol_version"].get<int>(), 5);
        QCOMPARE(registered["max_protocol_version"].get<int>(), 6);
        // The manifest's retry policy reached the server.
        QCOMPARE(registered["services"][0]["retry_policy"]["initial_interval"].get<std::string>(),
            std::string("100ms"));
        const json deployments = h.rows(QStringLiteral("SELECT id FROM sys_deployment"));
        QCOMPARE(int(deployments.size()), 1);
        // The runtime speaks the transport asked for, in the mode the manifest announced.
        httplib::Client admin("127.0.0.1", h.restate.adminPort());
        const auto listed = admin.Get("/deployments");
        QVERIFY(listed && listed->status == 200);
        const json deployment = json::parse(listed->body)["deployments"][0];
        QCOMPARE(deployment.value("protocol_type", std::string()),
            std::string(h.http11 ? "RequestResponse" : "BidiStream"));
        QCOMPARE(deployment.value("http_version", std::string()),
            std::string(h.http11 ? "HTTP/1.1" : "HTTP/2.0"));
    }

    void nominalRunJournalsEveryStep()
    {
        QVERIFY(h.startEndpoint()); // its counters count this run only
        QString runId, outputDir;
        const QString id = h.send(h.newRun(runId, outputDir));
        QVERIFY(!id.isEmpty());
        const json row = h.waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the nominal run did not complete");
        QCOMPARE(row.value("completion_result", std::string()), std::string("success"));
        // Over HTTP/2 the four steps' results come back on one open stream: one attempt. Over
        // HTTP/1.1 each step ends its request with a suspension: five attempts.
        const json stopped = h.stopEndpoint();
        QCOMPARE(stopped.value("attempts", -1), h.http11 ? 5 : 1);
        QCOMPARE(stopped.value("suspensions", -1), h.http11 ? 4 : 0);
        QCOMPARE(stopped.value("outputs", -1), 1);
        QVERIFY(h.startEndpoint());
        QStringList names;
        for (const json& entry : h.journal(id))
            if (entry.value("entry_type", std::string()) == "Command: Run")
                names << QString::fromStdString(entry.value("name", std::string()));
        QCOMPARE(names,
            QStringList({ QStringLiteral("call LLM"), QStringLiteral("read_multiple_files"),
                QStringLiteral("call LLM"), QStringLiteral("save_report") }));
        QCOMPARE(h.answeredCalls(runId), 2);
        QCOMPARE(h.reportFiles(outputDir), 1);
        // The OpenAI trace: one trace, the agent and its four steps, each span once.
        QFile trace(h.dir.filePath(runId + QStringLiteral("/openai.jsonl")));
        QVERIFY(trace.open(QIODevice::ReadOnly));
        QSet<QString> spans;
        int lines = 0;
        for (const QByteArray& line : trace.readAll().split('\n')) {
            if (line.trimmed().isEmpty())
                continue;
            ++lines;
            const QJsonObject object = QJsonDocument::fromJson(line).object();
            if (object.value(QLatin1String("object")).toString() == QLatin1String("trace.span"))
                spans.insert(object.value(QLatin1String("id")).toString());
        }
        QCOMPARE(spans.size(), 5);
        QCOMPARE(lines, 6);
        // The same outputs as the baseline: each trace file reads back as one run of four steps.
        for (const char* name : { "openai.jsonl", "langsmith.jsonl", "trace.log" }) {
            int traces = 0;
            QCOMPARE(
                stepsIn(h.dir.filePath(runId + QLatin1Char('/') + QLatin1String(name)), traces),
                kAllSteps);
            QCOMPARE(traces, 1);
        }
    }

    void llmFaultsBeyondTheClientRetriesAreRetriedByRestate()
    {
        // 5 x 429 on the report call: the client gives up after 3 attempts, Restate retries the
        // step, the next attempt's client gets 2 more 429 and then the answer.
        h.startLlm(QStringLiteral("transient-llm-k5"));
        h.startEndpoint();
        QString runId, outputDir;
        const QString id = h.send(h.newRun(runId, outputDir));
        const json row = h.waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the run did not complete");
        QCOMPARE(row.value("completion_result", std::string()), std::string("success"));
        const auto requests = h.llmRequests(runId);
        QCOMPARE(int(requests.size()), 7); // 1 + 5 refused + 1
        QCOMPARE(h.answeredCalls(runId), 2);
        bool sawTransient = false;
        for (const json& event : h.events(id)) {
            if (event.value("event_type", std::string()) != "TransientError")
                continue;
            const json detail = json::parse(event.value("event_json", std::string("{}")));
            sawTransient = true;
            QCOMPARE(detail.value("related_command_name", std::string()), std::string("call LLM"));
        }
        QVERIFY2(sawTransient, "no TransientError event was journaled");
        QCOMPARE(h.reportFiles(outputDir), 1);
    }

    void resumesAfterSigkill_data()
    {
        QTest::addColumn<QString>("crash");
        for (const char* step :
            { "llm_call#1", "read_multiple_files#1", "llm_call#2", "save_report#1" })
            for (const char* phase : { "before", "inside", "after" }) {
                const QString point
                    = QStringLiteral("%1:%2").arg(QLatin1String(step), QLatin1String(phase));
                QTest::newRow(qPrintable(point)) << point;
            }
    }

    void resumesAfterSigkill()
    {
        QFETCH(QString, crash);
        h.startLlm(QStringLiteral("nominal"));
        h.startEndpoint({ QStringLiteral("--crash-at"), crash });
        QString runId, outputDir;
        const QString id = h.send(h.newRun(runId, outputDir));
        QVERIFY(!id.isEmpty());
        QVERIFY2(h.endpoint->waitForFinished(30000), "the endpoint did not reach its crash point");
        QCOMPARE(h.endpoint->exitStatus(), QProcess::CrashExit);
        h.startEndpoint(); // the same address, no crash point
        const json row = h.waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the run did not complete after the restart");
        QCOMPARE(row.value("completion_result", std::string()), std::string("success"));
        // Only an LLM call cut inside (answered, not yet recorded) is made again.
        const bool llmCutInside = crash.startsWith(QLatin1String("llm_call"))
            && crash.endsWith(QLatin1String(":inside"));
        QCOMPARE(h.answeredCalls(runId), llmCutInside ? 3 : 2);
        QCOMPARE(h.reportFiles(outputDir), 1);
        // The OpenAI trace, written by two processes, still reads as one run of four steps.
        int traces = 0;
        QCOMPARE(
            stepsIn(h.dir.filePath(runId + QStringLiteral("/openai.jsonl")), traces), kAllSteps);
        QCOMPARE(traces, 1);
    }

    void terminalErrorsFailWithoutRetries()
    {
        h.startLlm(QStringLiteral("malformed-missing-headings"));
        h.startEndpoint();
        QString runId, outputDir;
        const QString id = h.send(h.newRun(runId, outputDir));
        const json row = h.waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the run did not end");
        QCOMPARE(row.value("completion_result", std::string()), std::string("failure"));
        QVERIFY2(QString::fromStdString(row.value("completion_failure", std::string()))
                     .contains(QLatin1String("malformed_output")),
            row.dump().c_str());
        QCOMPARE(h.answeredCalls(runId), 2);
        for (const json& event : h.events(id))
            QVERIFY(event.value("event_type", std::string()) != "TransientError");
        QCOMPARE(h.reportFiles(outputDir), 0);
    }

    void changedCodeAnswersJournalMismatch()
    {
        // A service whose second attempt runs a different step than the first recorded.
        std::atomic<int> attempts { 0 };
        tt::restate::Endpoint::Options options;
        options.transport
            = h.http11 ? tt::restate::Transport::Http1 : tt::restate::Transport::Http2;
        tt::restate::Endpoint endpoint(options);
        tt::restate::ServiceDefinition service;
        service.name = "Fickle";
        service.retry.maxAttempts = 3;
        service.retry.initialIntervalMs = 50;
        service.retry.pauseOnMaxAttempts = false;
        service.handlers.push_back(
            { "run", [&attempts](tt::restate::Context& ctx) {
                 const bool first = attempts++ == 0;
                 std::string value
                     = ctx.run(first ? "fetch" : "renamed", [] { return std::string("\"x\""); });
                 // Over HTTP/2 the first attempt goes on past its step: end it, so that the
                 // changed code meets the journal on the next one.
                 if (first)
                     throw std::runtime_error("the first attempt fails after its step");
                 return value;
             } });
        endpoint.addService(std::move(service));
        std::string bindError;
        QVERIFY2(endpoint.start(bindError), bindError.c_str());
        QString error;
        QVERIFY2(
            !h.restate.registerDeployment(QString::fromStdString(endpoint.url()), error, h.http11)
                 .isEmpty(),
            qPrintable(error));
        const QString id = h.send(json::object(), QStringLiteral("Fickle/run"));
        const json row = h.waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the mismatching invocation was not killed after its attempts");
        bool saw570 = false;
        for (const json& event : h.events(id)) {
            const json detail = json::parse(event.value("event_json", std::string("{}")));
            if (detail.value("error_code", 0) == 570) {
                saw570 = true;
                QCOMPARE(
                    detail.value("related_command_name", std::string()), std::string("renamed"));
            }
        }
        QVERIFY2(saw570, h.events(id).dump().c_str());
        endpoint.stop();
    }

    void cleanupTestCase() { h.stop(); }
};

QTEST_GUILESS_MAIN(TestDurableWriter)
#include "tst_durablewriter.moc"
