// SPDX-License-Identifier: MIT
// What the stand-in's Qt Network tests share: a started server, a blocking client, the Writer's
// two chat requests.
#pragma once

#include "agents/llm/server.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QtTest>

#include <functional>
#include <memory>

namespace tt::llm::testing {

struct Answer
{
    int status = 0;
    QByteArray body;
    QNetworkReply::NetworkError error = QNetworkReply::NoError;
    QByteArray retryAfter;
    qint64 elapsedMs = 0;
};

inline const QByteArray kFirstCall = R"({"model":"gpt-oss-20b","messages":[
  {"role":"system","content":"You are the writer agent."},
  {"role":"user","content":"<research_request>Durable execution for agents</research_request>\nSearch results:\n- /tmp/run/notes_memory.txt\n- /tmp/run/notes_tools.txt"}]})";

inline QByteArray reportCall(bool stream)
{
    QJsonObject body = QJsonDocument::fromJson(kFirstCall).object();
    QJsonArray messages = body.value(QLatin1String("messages")).toArray();
    messages.append(QJsonObject { { "role", "assistant" }, { "content", QJsonValue::Null },
        { "tool_calls",
            QJsonArray { QJsonObject { { "id", "call_1" }, { "type", "function" },
                { "function",
                    QJsonObject {
                        { "name", "read_multiple_files" }, { "arguments", "{}" } } } } } } });
    messages.append(QJsonObject { { "role", "tool" }, { "tool_call_id", "call_1" },
        { "content",
            "/tmp/run/notes_memory.txt:\nAgents need memory.\n---\n"
            "/tmp/run/notes_tools.txt:\nTools fail; retries help." } });
    body[QLatin1String("messages")] = messages;
    if (stream) {
        body[QLatin1String("stream")] = true;
        body[QLatin1String("stream_options")] = QJsonObject { { "include_usage", true } };
    }
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

inline std::unique_ptr<LlmServer> startServer(const QByteArray& scenarioJson = "{}",
    uint64_t seed = 7, const std::string& upstream = {}, const std::string& log = {})
{
    std::string error;
    auto scenario = parseScenario(scenarioJson.toStdString(), "test", error);
    if (!scenario)
        qFatal("bad test scenario: %s", error.c_str());
    scenario->latency.scale = 0; // answers at once; stalls and slow tokens still apply
    ServerConfig config;
    config.scenario = *scenario;
    config.seed = seed;
    config.upstream = upstream;
    config.logPath = log;
    auto server = std::make_unique<LlmServer>(config);
    if (!server->start(error))
        qFatal("server did not start: %s", error.c_str());
    return server;
}

class Client
{
public:
    Answer post(int port, const QByteArray& body, const QByteArray& run = "run",
        const QString& path = QStringLiteral("/v1/chat/completions"), int timeoutMs = 20000)
    {
        QNetworkRequest request(QUrl(QStringLiteral("http://127.0.0.1:%1%2").arg(port).arg(path)));
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        if (!run.isEmpty())
            request.setRawHeader("X-TwinTrace-Run", run);
        QElapsedTimer timer;
        timer.start();
        QNetworkReply* reply = body.isNull() ? m_nam.get(request) : m_nam.post(request, body);
        QSignalSpy finished(reply, &QNetworkReply::finished);
        if (!reply->isFinished())
            finished.wait(timeoutMs);
        Answer answer;
        answer.elapsedMs = timer.elapsed();
        answer.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        answer.body = reply->readAll();
        answer.error = reply->error();
        answer.retryAfter = reply->rawHeader("Retry-After");
        reply->deleteLater();
        return answer;
    }

    QNetworkAccessManager m_nam;
};

// Six runs of the Writer's two calls (the report plain and streamed in turn) on a fresh server:
// what must come out byte-identical for the same scenario and seed.
inline QList<QByteArray> answersOf(const QByteArray& scenario, uint64_t seed, const QString& path,
    const QByteArray& first, const std::function<QByteArray(bool)>& report)
{
    auto server = startServer(scenario, seed);
    Client client;
    QList<QByteArray> bodies;
    for (int i = 0; i < 6; ++i) {
        bodies << client.post(server->port(), first, "r", path).body;
        bodies << client.post(server->port(), report(i % 2), "r", path).body;
    }
    return bodies;
}

} // namespace tt::llm::testing
