// SPDX-License-Identifier: MIT
// The durable Writer against the real restate-server (npm 1.7.12) and the LLM stand-in: it
// registers, completes, survives LLM faults beyond its client's retries, resumes after a SIGKILL
// at every step boundary and inside every step without repeating a recorded LLM call or writing
// the report twice, fails terminal errors without retrying, and answers a changed journal
// with 570.
#include "agents/llm/server.h"
#include "agents/restate/endpoint.h"
#include "engine/restate/restateserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using nlohmann::json;
using tt::engine::RestateServer;

namespace {

tt::llm::Scenario scenarioFile(const QString& name)
{
    QFile file(QStringLiteral(TT_SCENARIOS "/") + name + QStringLiteral(".json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read scenario %s", qPrintable(name));
    std::string error;
    auto scenario = tt::llm::parseScenario(file.readAll().toStdString(), name.toStdString(), error);
    if (!scenario)
        qFatal("%s", error.c_str());
    scenario->latency.scale = 0.05; // keep the model's shape, 20x faster
    return *scenario;
}

// The LLM requests the stand-in logged for one run: (call index, status, completed).
struct LlmRequest
{
    int call;
    int status;
    bool completed;
};

std::vector<LlmRequest> llmRequests(const QString& log, const QString& runId)
{
    std::vector<LlmRequest> requests;
    std::ifstream in(log.toStdString());
    std::string line;
    while (std::getline(in, line)) {
        const json entry = json::parse(line, nullptr, false);
        if (entry.is_object() && entry.value("run_id", std::string()) == runId.toStdString())
            requests.push_back({ entry.value("call", 0), entry.value("status", 0),
                entry.value("completed", false) });
    }
    return requests;
}

int answeredCalls(const std::vector<LlmRequest>& requests)
{
    int answered = 0;
    for (const LlmRequest& request : requests)
        answered += request.status == 200 && request.completed;
    return answered;
}

} // namespace

class TestDurableWriter : public QObject
{
    Q_OBJECT

    RestateServer m_restate;
    QTemporaryDir m_dir;
    int m_endpointPort = 0;
    std::unique_ptr<QProcess> m_endpoint;
    std::unique_ptr<tt::llm::LlmServer> m_llm;
    QString m_llmLog;
    int m_runs = 0;

    void startLlm(const QString& scenario)
    {
        if (m_llm)
            m_llm->stop();
        tt::llm::ServerConfig config;
        config.scenario = scenarioFile(scenario);
        m_llmLog = m_dir.filePath(scenario + QStringLiteral("-llm.jsonl"));
        config.logPath = m_llmLog.toStdString();
        m_llm = std::make_unique<tt::llm::LlmServer>(config);
        std::string error;
        QVERIFY2(m_llm->start(error), error.c_str());
    }

    // The endpoint process on its fixed port (the registered deployment's address).
    void startEndpoint(const QStringList& extra = {})
    {
        stopEndpoint();
        m_endpoint = std::make_unique<QProcess>();
        m_endpoint->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        m_endpoint->start(QStringLiteral(TT_WRITER_RESTATE_BIN),
            QStringList { QStringLiteral("--port"), QString::number(m_endpointPort),
                QStringLiteral("--llm-url"),
                QStringLiteral("http://127.0.0.1:%1").arg(m_llm->port()),
                QStringLiteral("--retry-initial-ms"), QStringLiteral("100"),
                QStringLiteral("--retry-max-interval-ms"), QStringLiteral("500"),
                QStringLiteral("--retry-max-attempts"), QStringLiteral("30") }
                + extra);
        QVERIFY(m_endpoint->waitForStarted(10000));
        QElapsedTimer clock;
        clock.start();
        while (!m_endpoint->canReadLine() && clock.elapsed() < 10000)
            m_endpoint->waitForReadyRead(100);
        const QByteArray line = m_endpoint->readLine();
        QVERIFY2(line.contains("\"listening\""), line.constData());
    }

    void stopEndpoint()
    {
        if (!m_endpoint)
            return;
        if (m_endpoint->state() != QProcess::NotRunning) {
            m_endpoint->terminate();
            if (!m_endpoint->waitForFinished(5000))
                m_endpoint->kill();
            m_endpoint->waitForFinished(5000);
        }
        m_endpoint.reset();
    }

    // A fresh run folder with two notes; returns the handler's input.
    json newRun(QString& runId, QString& outputDir)
    {
        runId = QStringLiteral("run-%1").arg(++m_runs);
        const QString root = m_dir.filePath(runId);
        QDir().mkpath(root + QStringLiteral("/tmp"));
        for (const char* name : { "notes_a.md", "notes_b.md" }) {
            QFile note(root + QStringLiteral("/tmp/") + QLatin1String(name));
            note.open(QIODevice::WriteOnly);
            note.write("Durable execution journals each step.\n");
        }
        outputDir = root + QStringLiteral("/out");
        return { { "query", "Durable execution for LLM agents" },
            { "temp_dir", (root + QStringLiteral("/tmp")).toStdString() },
            { "files", { "notes_a.md", "notes_b.md" } }, { "output_dir", outputDir.toStdString() },
            { "run_id", runId.toStdString() },
            { "traces",
                { { "openai", (root + QStringLiteral("/openai.jsonl")).toStdString() } } } };
    }

    QString send(
        const json& input, const QString& target = QStringLiteral("WriterAgentRestate/run"))
    {
        int status = 0;
        const QByteArray answer = tt::engine::postJson(
            m_restate.ingressUrl() + QLatin1Char('/') + target + QStringLiteral("/send"),
            QByteArray::fromStdString(input.dump()), status, 10000);
        const json parsed = json::parse(answer.toStdString(), nullptr, false);
        if (status != 202 || !parsed.is_object()) {
            qWarning("send: HTTP %d %s", status, answer.constData());
            return {};
        }
        return QString::fromStdString(parsed.value("invocationId", std::string()));
    }

    json rows(const QString& sql)
    {
        int status = 0;
        const QByteArray answer = m_restate.query(sql, status);
        const json parsed = json::parse(answer.toStdString(), nullptr, false);
        return status == 200 && parsed.is_object() ? parsed.value("rows", json::array())
                                                   : json::array();
    }

    // Polls sys_invocation until the invocation has `status` (completed, paused...).
    json waitFor(const QString& id, const QString& status, int timeoutMs = 60000)
    {
        QElapsedTimer clock;
        clock.start();
        json row;
        while (clock.elapsed() < timeoutMs) {
            const json found = rows(QStringLiteral("SELECT id, status, completion_result, "
                                                   "completion_failure, retry_count, last_failure, "
                                                   "last_failure_error_code FROM sys_invocation "
                                                   "WHERE id = '%1'")
                                        .arg(id));
            if (!found.empty()) {
                row = found.at(0);
                if (row.value("status", std::string()) == status.toStdString())
                    return row;
            }
            QTest::qWait(50);
        }
        qWarning("invocation %s never reached %s; last row: %s", qPrintable(id), qPrintable(status),
            row.dump().c_str());
        return json();
    }

    json journal(const QString& id)
    {
        return rows(
            QStringLiteral("SELECT index, entry_type, name FROM sys_journal WHERE id = '%1' "
                           "ORDER BY index")
                .arg(id));
    }

    json events(const QString& id)
    {
        return rows(
            QStringLiteral("SELECT event_type, event_json FROM sys_journal_events WHERE id = "
                           "'%1' ORDER BY appended_at")
                .arg(id));
    }

    static int reportFiles(const QString& outputDir)
    {
        return int(QDir(outputDir).entryList({ QStringLiteral("*.md") }, QDir::Files).size());
    }

private slots:
    void initTestCase()
    {
        if (RestateServer::findBinary().isEmpty())
            QFAIL("restate-server is not installed: run scripts/setup.sh");
        QString error;
        QVERIFY2(m_restate.start(error), qPrintable(error));
        m_endpointPort = tt::engine::freeLoopbackPort();
        startLlm(QStringLiteral("nominal"));
        startEndpoint();
    }

    void registersInRequestResponseMode()
    {
        QString error;
        const QByteArray answer = m_restate.registerDeployment(
            QStringLiteral("http://127.0.0.1:%1").arg(m_endpointPort), error);
        QVERIFY2(!answer.isEmpty(), qPrintable(error));
        const json registered = json::parse(answer.toStdString());
        QCOMPARE(registered["services"][0]["name"].get<std::string>(),
            std::string("WriterAgentRestate"));
        QCOMPARE(registered["services"][0]["handlers"][0]["name"].get<std::string>(),
            std::string("run"));
        QCOMPARE(registered["min_protocol_version"].get<int>(), 5);
        QCOMPARE(registered["max_protocol_version"].get<int>(), 6);
        // The manifest's retry policy reached the server.
        QCOMPARE(registered["services"][0]["retry_policy"]["initial_interval"].get<std::string>(),
            std::string("100ms"));
        const json deployments = rows(QStringLiteral("SELECT id FROM sys_deployment"));
        QCOMPARE(int(deployments.size()), 1);
    }

    void nominalRunJournalsEveryStep()
    {
        QString runId, outputDir;
        const QString id = send(newRun(runId, outputDir));
        QVERIFY(!id.isEmpty());
        const json row = waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the nominal run did not complete");
        QCOMPARE(row.value("completion_result", std::string()), std::string("success"));
        QStringList names;
        for (const json& entry : journal(id))
            if (entry.value("entry_type", std::string()) == "Command: Run")
                names << QString::fromStdString(entry.value("name", std::string()));
        QCOMPARE(names,
            QStringList({ QStringLiteral("call LLM"), QStringLiteral("read_multiple_files"),
                QStringLiteral("call LLM"), QStringLiteral("save_report") }));
        QCOMPARE(answeredCalls(llmRequests(m_llmLog, runId)), 2);
        QCOMPARE(reportFiles(outputDir), 1);
        // The OpenAI trace: one trace, the agent and its four steps, each span once.
        QFile trace(m_dir.filePath(runId + QStringLiteral("/openai.jsonl")));
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
    }

    void llmFaultsBeyondTheClientRetriesAreRetriedByRestate()
    {
        // 5 x 429 on the report call: the client gives up after 3 attempts, Restate retries the
        // step, the next attempt's client gets 2 more 429 and then the answer.
        startLlm(QStringLiteral("transient-llm-k5"));
        startEndpoint();
        QString runId, outputDir;
        const QString id = send(newRun(runId, outputDir));
        const json row = waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the run did not complete");
        QCOMPARE(row.value("completion_result", std::string()), std::string("success"));
        const auto requests = llmRequests(m_llmLog, runId);
        QCOMPARE(int(requests.size()), 7); // 1 + 5 refused + 1
        QCOMPARE(answeredCalls(requests), 2);
        bool sawTransient = false;
        for (const json& event : events(id)) {
            if (event.value("event_type", std::string()) != "TransientError")
                continue;
            const json detail = json::parse(event.value("event_json", std::string("{}")));
            sawTransient = true;
            QCOMPARE(detail.value("related_command_name", std::string()), std::string("call LLM"));
        }
        QVERIFY2(sawTransient, "no TransientError event was journaled");
        QCOMPARE(reportFiles(outputDir), 1);
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
        startLlm(QStringLiteral("nominal"));
        startEndpoint({ QStringLiteral("--crash-at"), crash });
        QString runId, outputDir;
        const QString id = send(newRun(runId, outputDir));
        QVERIFY(!id.isEmpty());
        QVERIFY2(m_endpoint->waitForFinished(30000), "the endpoint did not reach its crash point");
        QCOMPARE(m_endpoint->exitStatus(), QProcess::CrashExit);
        startEndpoint(); // the same address, no crash point
        const json row = waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the run did not complete after the restart");
        QCOMPARE(row.value("completion_result", std::string()), std::string("success"));
        // Only an LLM call cut inside (answered, not yet recorded) is made again.
        const bool llmCutInside = crash.startsWith(QLatin1String("llm_call"))
            && crash.endsWith(QLatin1String(":inside"));
        QCOMPARE(answeredCalls(llmRequests(m_llmLog, runId)), llmCutInside ? 3 : 2);
        QCOMPARE(reportFiles(outputDir), 1);
    }

    void terminalErrorsFailWithoutRetries()
    {
        startLlm(QStringLiteral("malformed-missing-headings"));
        startEndpoint();
        QString runId, outputDir;
        const QString id = send(newRun(runId, outputDir));
        const json row = waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the run did not end");
        QCOMPARE(row.value("completion_result", std::string()), std::string("failure"));
        QVERIFY2(QString::fromStdString(row.value("completion_failure", std::string()))
                     .contains(QLatin1String("malformed_output")),
            row.dump().c_str());
        QCOMPARE(answeredCalls(llmRequests(m_llmLog, runId)), 2);
        for (const json& event : events(id))
            QVERIFY(event.value("event_type", std::string()) != "TransientError");
        QCOMPARE(reportFiles(outputDir), 0);
    }

    void changedCodeAnswersJournalMismatch()
    {
        // A service whose second attempt runs a different step than the first recorded.
        std::atomic<int> attempts { 0 };
        tt::restate::Endpoint endpoint;
        tt::restate::ServiceDefinition service;
        service.name = "Fickle";
        service.retry.maxAttempts = 3;
        service.retry.initialIntervalMs = 50;
        service.retry.pauseOnMaxAttempts = false;
        service.handlers.push_back(
            { "run", [&attempts](tt::restate::Context& ctx) {
                 const bool first = attempts++ == 0;
                 return ctx.run(first ? "fetch" : "renamed", [] { return std::string("\"x\""); });
             } });
        endpoint.addService(std::move(service));
        std::string bindError;
        QVERIFY2(endpoint.start(bindError), bindError.c_str());
        QString error;
        QVERIFY2(
            !m_restate.registerDeployment(QString::fromStdString(endpoint.url()), error).isEmpty(),
            qPrintable(error));
        const QString id = send(json::object(), QStringLiteral("Fickle/run"));
        const json row = waitFor(id, QStringLiteral("completed"));
        QVERIFY2(!row.is_null(), "the mismatching invocation was not killed after its attempts");
        bool saw570 = false;
        for (const json& event : events(id)) {
            const json detail = json::parse(event.value("event_json", std::string("{}")));
            if (detail.value("error_code", 0) == 570) {
                saw570 = true;
                QCOMPARE(
                    detail.value("related_command_name", std::string()), std::string("renamed"));
            }
        }
        QVERIFY2(saw570, events(id).dump().c_str());
        endpoint.stop();
    }

    void cleanupTestCase()
    {
        stopEndpoint();
        if (m_llm)
            m_llm->stop();
        m_restate.stop();
    }
};

QTEST_GUILESS_MAIN(TestDurableWriter)
#include "tst_durablewriter.moc"
