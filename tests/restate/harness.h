// SPDX-License-Identifier: MIT
// The pieces the Restate integration tests share: the real restate-server, the LLM stand-in, the
// durable Writer's endpoint process on a fixed port (so a restarted endpoint keeps its
// registered address), runs with their own folders, and SQL over the admin API.
#pragma once

#include "agents/llm/server.h"
#include "engine/restate/restateserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>

namespace tt::testing {

using nlohmann::json;

inline llm::Scenario scenarioFile(const QString& name)
{
    QFile file(QStringLiteral(TT_SCENARIOS "/") + name + QStringLiteral(".json"));
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read scenario %s", qPrintable(name));
    std::string error;
    auto scenario = llm::parseScenario(file.readAll().toStdString(), name.toStdString(), error);
    if (!scenario)
        qFatal("%s", error.c_str());
    scenario->latency.scale = 0.05; // keep the model's shape, 20x faster
    return *scenario;
}

// One LLM request of the stand-in's log.
struct LlmRequest
{
    int call;
    int status;
    bool completed;
};

// The durable endpoint's transport under test: TT_TRANSPORT=h1 (HTTP/1.1, request-response) or
// h2 (HTTP/2, bidirectional streams; the default). CTest runs each suite once per transport.
inline QString transportUnderTest()
{
    const QString value = qEnvironmentVariable("TT_TRANSPORT", QStringLiteral("h2"));
    if (value != QLatin1String("h1") && value != QLatin1String("h2"))
        qFatal("TT_TRANSPORT: expected h1 or h2, got %s", qPrintable(value));
    return value;
}

class RestateHarness
{
public:
    const QString transport = transportUnderTest();
    const bool http11 = transport == QLatin1String("h1");
    engine::RestateServer restate;
    QTemporaryDir dir;
    int endpointPort = 0;
    std::unique_ptr<QProcess> endpoint;
    std::unique_ptr<llm::LlmServer> llm;
    QString llmLog;
    int runs = 0;

    bool start(QString& error)
    {
        if (engine::RestateServer::findBinary().isEmpty()) {
            error = QStringLiteral("restate-server is not installed: run scripts/setup.sh");
            return false;
        }
        endpointPort = engine::freeLoopbackPort();
        return restate.start(error);
    }

    void stop()
    {
        stopEndpoint();
        if (llm)
            llm->stop();
        restate.stop();
    }

    bool startLlm(const QString& scenario)
    {
        if (llm)
            llm->stop();
        llm::ServerConfig config;
        config.scenario = scenarioFile(scenario);
        llmLog = dir.filePath(scenario + QStringLiteral("-llm.jsonl"));
        config.logPath = llmLog.toStdString();
        llm = std::make_unique<llm::LlmServer>(config);
        std::string error;
        if (!llm->start(error))
            qWarning("stand-in: %s", error.c_str());
        return llm->port() > 0;
    }

    // The endpoint process; `extra` adds options (--crash-at, retry policy...).
    bool startEndpoint(const QStringList& extra = {})
    {
        stopEndpoint();
        endpoint = std::make_unique<QProcess>();
        endpoint->setProcessChannelMode(QProcess::ForwardedErrorChannel);
        endpoint->start(QStringLiteral(TT_WRITER_RESTATE_BIN),
            QStringList { QStringLiteral("--port"), QString::number(endpointPort),
                QStringLiteral("--llm-url"), QStringLiteral("http://127.0.0.1:%1").arg(llm->port()),
                QStringLiteral("--retry-initial-ms"), QStringLiteral("100"),
                QStringLiteral("--retry-max-interval-ms"), QStringLiteral("500"),
                QStringLiteral("--retry-max-attempts"), QStringLiteral("30"),
                QStringLiteral("--transport"), transport }
                + extra);
        if (!endpoint->waitForStarted(10000))
            return false;
        QElapsedTimer clock;
        clock.start();
        while (!endpoint->canReadLine() && clock.elapsed() < 10000)
            endpoint->waitForReadyRead(100);
        if (!endpoint->readLine().contains("\"listening\""))
            return false;
        // Options like the retry policy reach Restate through discovery: register again.
        QString error;
        if (registered && registerEndpoint(error).isEmpty())
            qWarning("re-registering the endpoint: %s", qPrintable(error));
        return true;
    }

    // PATCH /invocations/{id}/kill.
    bool kill(const QString& id)
    {
        httplib::Client admin("127.0.0.1", restate.adminPort());
        const auto answer = admin.Patch(("/invocations/" + id.toStdString() + "/kill").c_str());
        return answer && answer->status / 100 == 2;
    }

    // Stops the endpoint process; its last line ({"event": "stopped", "attempts": N, ...}) when
    // it stopped on SIGTERM.
    json stopEndpoint()
    {
        if (!endpoint)
            return json();
        json stopped;
        if (endpoint->state() != QProcess::NotRunning) {
            endpoint->terminate();
            if (!endpoint->waitForFinished(5000))
                endpoint->kill();
            endpoint->waitForFinished(5000);
            for (const QByteArray& line : endpoint->readAllStandardOutput().split('\n')) {
                const json parsed = json::parse(line.toStdString(), nullptr, false);
                if (parsed.is_object() && parsed.value("event", std::string()) == "stopped")
                    stopped = parsed;
            }
        }
        endpoint.reset();
        return stopped;
    }

    bool registered = false;

    QString registerEndpoint(QString& error)
    {
        registered = true;
        return QString::fromUtf8(restate.registerDeployment(
            QStringLiteral("http://127.0.0.1:%1").arg(endpointPort), error, http11));
    }

    // A fresh run folder with two notes; returns the handler's input.
    json newRun(QString& runId, QString& outputDir)
    {
        runId = QStringLiteral("run-%1").arg(++runs);
        const QString root = dir.filePath(runId);
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
                { { "openai", (root + QStringLiteral("/openai.jsonl")).toStdString() },
                    { "langsmith", (root + QStringLiteral("/langsmith.jsonl")).toStdString() },
                    { "trace_log", (root + QStringLiteral("/trace.log")).toStdString() } } } };
    }

    // POST {ingress}/{target}/send: the invocation id, or "" (with a warning).
    QString send(
        const json& input, const QString& target = QStringLiteral("WriterAgentRestate/run"))
    {
        int status = 0;
        const QByteArray answer = engine::postJson(
            restate.ingressUrl() + QLatin1Char('/') + target + QStringLiteral("/send"),
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
        const QByteArray answer = restate.query(sql, status);
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
        return rows(QStringLiteral("SELECT index, entry_type, name FROM sys_journal WHERE id = "
                                   "'%1' ORDER BY index")
                        .arg(id));
    }

    json events(const QString& id)
    {
        return rows(QStringLiteral("SELECT event_type, event_json FROM sys_journal_events WHERE "
                                   "id = '%1' ORDER BY appended_at")
                        .arg(id));
    }

    std::vector<LlmRequest> llmRequests(const QString& runId) const
    {
        std::vector<LlmRequest> requests;
        std::ifstream in(llmLog.toStdString());
        std::string line;
        while (std::getline(in, line)) {
            const json entry = json::parse(line, nullptr, false);
            if (entry.is_object() && entry.value("run_id", std::string()) == runId.toStdString())
                requests.push_back({ entry.value("call", 0), entry.value("status", 0),
                    entry.value("completed", false) });
        }
        return requests;
    }

    int answeredCalls(const QString& runId) const
    {
        int answered = 0;
        for (const LlmRequest& request : llmRequests(runId))
            answered += request.status == 200 && request.completed;
        return answered;
    }

    static int reportFiles(const QString& outputDir)
    {
        return int(QDir(outputDir).entryList({ QStringLiteral("*.md") }, QDir::Files).size());
    }
};

} // namespace tt::testing
