// SPDX-License-Identifier: MIT
// The stand-in through a real HTTP client (Qt Network): every fault kind, streaming, determinism,
// proxy mode with a second stand-in upstream, bad input, the request log and the executable.
#include "llmclient.h"

#include <QProcess>
#include <QTemporaryDir>

using namespace tt::llm;

namespace {

using namespace tt::llm::testing;

QString contentOf(const QByteArray& body)
{
    return QJsonDocument::fromJson(body)
        .object()[QLatin1String("choices")]
        .toArray()
        .at(0)
        .toObject()[QLatin1String("message")]
        .toObject()[QLatin1String("content")]
        .toString();
}

// Joins the content deltas of a server-sent-event stream; `done` tells whether [DONE] came.
QString streamedContent(const QByteArray& body, bool* done = nullptr, QJsonObject* usage = nullptr)
{
    QString content;
    if (done)
        *done = false;
    for (const QByteArray& event : body.split('\n')) {
        if (!event.startsWith("data: "))
            continue;
        const QByteArray data = event.mid(6);
        if (data == "[DONE]") {
            if (done)
                *done = true;
            continue;
        }
        const QJsonObject chunk = QJsonDocument::fromJson(data).object();
        if (usage && chunk.contains(QLatin1String("usage")))
            *usage = chunk[QLatin1String("usage")].toObject();
        const QJsonArray choices = chunk[QLatin1String("choices")].toArray();
        if (!choices.isEmpty())
            content += choices[0]
                           .toObject()[QLatin1String("delta")]
                           .toObject()[QLatin1String("content")]
                           .toString();
    }
    return content;
}

} // namespace

class TestLlmServer : public QObject
{
    Q_OBJECT
private slots:
    void eachRunsOwnBaseUrlCountsItsCallsWithoutAHeader()
    {
        // Two runs, one 429 each: a run's fault is its own, whatever the other did first.
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("llm.jsonl"));
        auto server = startServer(
            R"({"faults":[{"kind":"http_429","when":{"step":"any"},"times":1,"retry_after_s":1}]})",
            7, {}, log.toStdString());
        Client client;
        const QString a = QStringLiteral("/run/nominal/baseline/1/s1/v1/chat/completions");
        const QString b = QStringLiteral("/run/nominal/restate/1/s1/v1/chat/completions");
        QCOMPARE(client.post(server->port(), kFirstCall, {}, a).status, 429);
        QCOMPARE(client.post(server->port(), kFirstCall, {}, b).status, 429);
        QCOMPARE(client.post(server->port(), kFirstCall, {}, a).status, 200);
        QCOMPARE(
            client.post(server->port(), {}, {}, QStringLiteral("/run/x/1/v1/models")).status, 200);
        server->stop();
        QFile file(log);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QStringList runs;
        while (!file.atEnd()) {
            const QJsonObject entry = QJsonDocument::fromJson(file.readLine()).object();
            runs << entry.value(QLatin1String("run_id")).toString();
            QCOMPARE(entry.value(QLatin1String("path")).toString(),
                QStringLiteral("/v1/chat/completions"));
        }
        QCOMPARE(runs,
            QStringList({ QStringLiteral("nominal/baseline/1/s1"),
                QStringLiteral("nominal/restate/1/s1"), QStringLiteral("nominal/baseline/1/s1") }));
    }

    void aRetryExactlyAtRetryAfterOnAKeptAliveConnectionIsAnswered()
    {
        // Retry-After: 1, then the same connection again exactly 1 s later: the server must still
        // hold it open (llama.cpp's server does, for 5 s), and log both requests.
        QTemporaryDir dir;
        const QString log = dir.filePath(QStringLiteral("llm.jsonl"));
        auto server = startServer(
            R"({"faults":[{"kind":"http_429","when":{"step":"any"},"times":1,"retry_after_s":1}]})",
            7, {}, log.toStdString());
        Client client; // one QNetworkAccessManager: its connection is kept alive and reused
        for (int round = 0; round < 3; ++round) {
            const QByteArray run = "keepalive-" + QByteArray::number(round);
            const Answer first = client.post(server->port(), kFirstCall, run);
            QCOMPARE(first.status, 429);
            QCOMPARE(first.retryAfter, QByteArray("1"));
            QTest::qWait(1000);
            const Answer retry = client.post(server->port(), kFirstCall, run);
            QCOMPARE(retry.error, QNetworkReply::NoError);
            QCOMPARE(retry.status, 200);
        }
        server->stop();
        QFile file(log);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 6);
    }

    void aTakenPortIsAnErrorNotASharedPort()
    {
        auto first = startServer();
        ServerConfig config;
        config.port = first->port();
        LlmServer second(config);
        std::string error;
        QVERIFY(!second.start(error));
        QVERIFY2(
            QString::fromStdString(error).contains(QLatin1String("port taken")), error.c_str());
    }

    void modelsEndpoint()
    {
        auto server = startServer();
        Client client;
        const Answer answer
            = client.post(server->port(), QByteArray(), "run", QStringLiteral("/v1/models"));
        QCOMPARE(answer.status, 200);
        QCOMPARE(QJsonDocument::fromJson(answer.body)
                     .object()[QLatin1String("data")]
                     .toArray()
                     .at(0)
                     .toObject()[QLatin1String("id")]
                     .toString(),
            QStringLiteral("gpt-oss-20b"));
    }

    void writerConversation()
    {
        auto server = startServer();
        Client client;
        const Answer first = client.post(server->port(), kFirstCall);
        QCOMPARE(first.status, 200);
        const QJsonObject choice = QJsonDocument::fromJson(first.body)
                                       .object()[QLatin1String("choices")]
                                       .toArray()
                                       .at(0)
                                       .toObject();
        QCOMPARE(choice[QLatin1String("finish_reason")].toString(), QStringLiteral("tool_calls"));
        const QJsonObject call = choice[QLatin1String("message")]
                                     .toObject()[QLatin1String("tool_calls")]
                                     .toArray()
                                     .at(0)
                                     .toObject();
        QCOMPARE(call[QLatin1String("function")].toObject()[QLatin1String("name")].toString(),
            QStringLiteral("read_multiple_files"));
        QCOMPARE(call[QLatin1String("function")].toObject()[QLatin1String("arguments")].toString(),
            QStringLiteral(
                R"({"paths":["/tmp/run/notes_memory.txt","/tmp/run/notes_tools.txt"]})"));

        const Answer second = client.post(server->port(), reportCall(false));
        QCOMPARE(second.status, 200);
        const QString report = contentOf(second.body);
        for (const char* heading :
            { "# Research report: Durable execution for agents", "## Executive Summary",
                "## Raw Notes", "## Detailed Agenda", "## Report", "## Follow-up Questions" })
            QVERIFY2(report.contains(QLatin1String(heading)), heading);
        QVERIFY(report.endsWith(QLatin1String("\n## FINAL STEP")));
        QVERIFY(report.contains(QLatin1String("Tools fail; retries help."))); // quoted verbatim
        const QJsonObject usage
            = QJsonDocument::fromJson(second.body).object()[QLatin1String("usage")].toObject();
        QVERIFY(usage[QLatin1String("completion_tokens")].toInt() > 50);
        QCOMPARE(usage[QLatin1String("total_tokens")].toInt(),
            usage[QLatin1String("prompt_tokens")].toInt()
                + usage[QLatin1String("completion_tokens")].toInt());
    }

    void streamingMatchesThePlainAnswer()
    {
        auto server = startServer();
        Client client;
        const QString plain
            = contentOf(client.post(server->port(), reportCall(false), "plain").body);
        const Answer streamed = client.post(server->port(), reportCall(true), "streamed");
        QCOMPARE(streamed.status, 200);
        bool done = false;
        QJsonObject usage;
        QCOMPARE(streamedContent(streamed.body, &done, &usage), plain);
        QVERIFY(done);
        QVERIFY(usage[QLatin1String("completion_tokens")].toInt() > 50);
        QVERIFY(streamed.body.count("data: ") > 40); // a token at a time
        // The tool call streams too: its arguments arrive in pieces.
        const Answer toolStream = client.post(server->port(),
            QByteArray(kFirstCall).replace("\"model\"", "\"stream\":true,\"model\""), "tool");
        QString arguments;
        for (const QByteArray& event : toolStream.body.split('\n'))
            if (event.startsWith("data: {"))
                arguments += QJsonDocument::fromJson(event.mid(6))
                                 .object()[QLatin1String("choices")]
                                 .toArray()
                                 .at(0)
                                 .toObject()[QLatin1String("delta")]
                                 .toObject()[QLatin1String("tool_calls")]
                                 .toArray()
                                 .at(0)
                                 .toObject()[QLatin1String("function")]
                                 .toObject()[QLatin1String("arguments")]
                                 .toString();
        QCOMPARE(arguments,
            QStringLiteral(
                R"({"paths":["/tmp/run/notes_memory.txt","/tmp/run/notes_tools.txt"]})"));
    }

    void faultKinds_data()
    {
        QTest::addColumn<QByteArray>("fault");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<int>("status");
        QTest::addColumn<bool>("networkError");
        QTest::newRow("429") << QByteArray(R"({"kind":"http_429","retry_after_s":2})") << false
                             << 429 << false;
        QTest::newRow("500") << QByteArray(R"({"kind":"http_500"})") << false << 500 << false;
        QTest::newRow("503") << QByteArray(R"({"kind":"http_503"})") << false << 503 << false;
        QTest::newRow("reset") << QByteArray(R"({"kind":"reset"})") << false << 200 << true;
        QTest::newRow("reset-stream") << QByteArray(R"({"kind":"reset"})") << true << 200 << true;
        QTest::newRow("stall") << QByteArray(R"({"kind":"stall","stall_s":0.4})") << false << 200
                               << false;
        QTest::newRow("truncated")
            << QByteArray(R"({"kind":"truncated_json"})") << false << 200 << false;
        QTest::newRow("truncated-stream")
            << QByteArray(R"({"kind":"truncated_json"})") << true << 200 << false;
        QTest::newRow("headings") << QByteArray(R"({"kind":"missing_headings"})") << false << 200
                                  << false;
        QTest::newRow("headings-stream")
            << QByteArray(R"({"kind":"missing_headings"})") << true << 200 << false;
        QTest::newRow("slow") << QByteArray(R"({"kind":"slow_tokens","tokens_per_s":400})") << true
                              << 200 << false;
    }

    void faultKinds()
    {
        QFETCH(QByteArray, fault);
        QFETCH(bool, stream);
        QFETCH(int, status);
        QFETCH(bool, networkError);
        auto server = startServer("{\"faults\":[" + fault + "]}");
        Client client;
        const Answer answer = client.post(server->port(), reportCall(stream));
        QCOMPARE(answer.status, status);
        QCOMPARE(answer.error != QNetworkReply::NoError, networkError || status >= 400);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        if (status >= 400) {
            const QJsonObject error
                = QJsonDocument::fromJson(answer.body).object()[QLatin1String("error")].toObject();
            QVERIFY(!error[QLatin1String("message")].toString().isEmpty());
            QVERIFY(!error[QLatin1String("type")].toString().isEmpty());
        }
        if (tag == QLatin1String("429"))
            QCOMPARE(answer.retryAfter, QByteArray("2"));
        if (tag == QLatin1String("stall"))
            QVERIFY2(answer.elapsedMs >= 390, qPrintable(QString::number(answer.elapsedMs)));
        if (tag == QLatin1String("truncated"))
            QVERIFY(QJsonDocument::fromJson(answer.body).isNull());
        bool done = true;
        const QString content
            = stream ? streamedContent(answer.body, &done) : contentOf(answer.body);
        if (tag == QLatin1String("truncated-stream"))
            QVERIFY(!done && !content.contains(QLatin1String("## FINAL STEP")));
        if (tag.startsWith(QLatin1String("headings"))) {
            QVERIFY(content.contains(QLatin1String("## Executive Summary")));
            QVERIFY(!content.contains(QLatin1String("## Raw Notes")));
            QVERIFY(!content.contains(QLatin1String("## FINAL STEP")));
        }
        if (tag == QLatin1String("slow")) {
            // ~110 tokens at 400 tokens/s although the latency model is off.
            QVERIFY2(answer.elapsedMs >= 200, qPrintable(QString::number(answer.elapsedMs)));
            QVERIFY(done);
        }
        // The fault was once: the retry gets the normal answer.
        const Answer retry = client.post(server->port(), reportCall(stream));
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.error, QNetworkReply::NoError);
    }

    void kInARowPerRun()
    {
        auto server
            = startServer(R"({"faults":[{"kind":"http_429","when":{"step":"report"},"times":3}]})");
        Client client;
        QCOMPARE(client.post(server->port(), kFirstCall, "a").status, 200); // the tool-call step
        for (int i = 0; i < 3; ++i)
            QCOMPARE(client.post(server->port(), reportCall(false), "a").status, 429);
        QCOMPARE(client.post(server->port(), reportCall(false), "a").status, 200);
        QCOMPARE(client.post(server->port(), reportCall(false), "b").status, 429); // its own count
    }

    void sameScenarioAndSeedGiveIdenticalBytes()
    {
        const QByteArray scenario = R"({"faults":[{"kind":"http_500","probability":0.5}]})";
        auto collect = [&](uint64_t seed) {
            return answersOf(scenario, seed, QStringLiteral("/v1/chat/completions"), kFirstCall,
                tt::llm::testing::reportCall);
        };
        const auto first = collect(11);
        QCOMPARE(collect(11), first);
        QVERIFY(collect(12) != first);
    }

    void proxyAppliesThePlanInFrontOfARealServer()
    {
        QTemporaryDir dir;
        const std::string upstreamLog
            = dir.filePath(QStringLiteral("upstream.jsonl")).toStdString();
        auto upstream = startServer("{}", 7, {}, upstreamLog);
        auto reference = startServer("{}", 7); // what the upstream answers, asked directly
        const std::string url = "http://127.0.0.1:" + std::to_string(upstream->port());
        auto proxy = startServer(R"({"faults":[{"kind":"http_429","when":{"call":1},"times":1},
                                              {"kind":"missing_headings","when":{"step":"report"},"times":1}]})",
            99, url);
        Client client;
        // Call 1 is refused by the proxy: the upstream never sees it.
        QCOMPARE(client.post(proxy->port(), kFirstCall, "p").status, 429);
        QFile log(QString::fromStdString(upstreamLog));
        QVERIFY(!log.exists() || log.size() == 0);
        // Call 2 goes through: byte for byte the upstream's answer.
        const Answer through = client.post(proxy->port(), kFirstCall, "p");
        QCOMPARE(through.status, 200);
        QCOMPARE(through.body, client.post(reference->port(), kFirstCall, "p").body);
        // The report streams through the proxy, its headings stripped on the way.
        const Answer report = client.post(proxy->port(), reportCall(true), "p");
        bool done = false;
        const QString content = streamedContent(report.body, &done);
        QVERIFY(done);
        QVERIFY(!content.contains(QLatin1String("## Raw Notes")));
        QVERIFY(!content.contains(QLatin1String("## FINAL STEP")));
        QVERIFY(content.contains(QLatin1String("## Detailed Agenda")));
        // Then a clean streamed report: identical events to the upstream's own (the reference
        // is asked the same sequence of calls).
        client.post(reference->port(), reportCall(true), "p");
        const Answer clean = client.post(proxy->port(), reportCall(true), "p");
        QCOMPARE(clean.body, client.post(reference->port(), reportCall(true), "p").body);
        // An unreachable upstream is a 502 with an OpenAI-style error.
        upstream->stop();
        const Answer down = client.post(proxy->port(), kFirstCall, "p");
        QCOMPARE(down.status, 502);
        QVERIFY(QJsonDocument::fromJson(down.body).object().contains(QLatin1String("error")));
    }

    void badInputNeverBringsTheServerDown()
    {
        auto server = startServer(
            R"({"faults":[{"kind":"slow_tokens","when":{"step":"report"},"tokens_per_s":20}]})");
        Client client;
        const Answer malformed = client.post(server->port(), "{\"messages\": [");
        QCOMPARE(malformed.status, 400);
        QCOMPARE(QJsonDocument::fromJson(malformed.body)
                     .object()[QLatin1String("error")]
                     .toObject()[QLatin1String("type")]
                     .toString(),
            QStringLiteral("invalid_request_error"));
        QCOMPARE(client.post(server->port(), R"({"messages":[]})").status, 400);
        QCOMPARE(
            client.post(server->port(), R"({"messages":[{"role":"wizard","content":"x"}]})").status,
            400);
        QCOMPARE(client.post(server->port(), R"([1,2,3])").status, 400);
        QCOMPARE(
            client.post(server->port(), "{}", "run", QStringLiteral("/v1/nothing")).status, 404);
        QCOMPARE(client.post(server->port(), QByteArray(17 << 20, 'x')).status, 413);
        // A client that leaves in the middle of a (slow) stream.
        QNetworkRequest request(
            QUrl(QStringLiteral("http://127.0.0.1:%1/v1/chat/completions").arg(server->port())));
        request.setHeader(
            QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        QNetworkReply* leaving = client.m_nam.post(request, reportCall(true));
        QSignalSpy ready(leaving, &QNetworkReply::readyRead);
        QVERIFY(ready.wait(5000));
        leaving->abort();
        leaving->deleteLater();
        // Still serving.
        QCOMPARE(client.post(server->port(), kFirstCall, "after").status, 200);
    }

    void requestLogCountsCallsAndTokens()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("llm.jsonl"));
        {
            auto server = startServer(
                R"({"faults":[{"kind":"http_503","when":{"call":2}}]})", 7, {}, path.toStdString());
            Client client;
            client.post(server->port(), kFirstCall, "run-1");
            client.post(server->port(), reportCall(false), "run-1");
            client.post(server->port(), reportCall(true), "run-1");
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
        QCOMPARE(second[QLatin1String("run_id")].toString(), QStringLiteral("run-1"));
        QCOMPARE(second[QLatin1String("call")].toInt(), 2);
        QCOMPARE(second[QLatin1String("status")].toInt(), 503);
        QCOMPARE(second[QLatin1String("fault")].toString(), QStringLiteral("http_503"));
        const QJsonObject third = QJsonDocument::fromJson(lines[2]).object();
        QCOMPARE(third[QLatin1String("step")].toString(), QStringLiteral("report"));
        QVERIFY(third[QLatin1String("stream")].toBool());
        QVERIFY(third[QLatin1String("completed")].toBool());
        QVERIFY(third[QLatin1String("completion_tokens")].toInt() > 50);
    }

    void executableRefusesBadScenariosAndAddresses()
    {
        QTemporaryDir dir;
        const QString bad = dir.filePath(QStringLiteral("bad.json"));
        QFile file(bad);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(R"({"faults":[{"kind":"http_500","times":-1}]})");
        file.close();
        QProcess process;
        process.start(QStringLiteral(TT_LLM_BIN), { QStringLiteral("--scenario"), bad });
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains(
            "bad.json: faults[0].times: expected a positive integer"));
        process.start(QStringLiteral(TT_LLM_BIN),
            { QStringLiteral("--listen"), QStringLiteral("0.0.0.0:0") });
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardError().contains("bind 127.0.0.1 only"));
    }

    void executableServesAndStopsOnSigterm()
    {
        QProcess process;
        process.start(QStringLiteral(TT_LLM_BIN),
            { QStringLiteral("--scenario"), QStringLiteral(TT_SCENARIOS "/transient-llm-k2.json"),
                QStringLiteral("--time-scale"), QStringLiteral("0") });
        QVERIFY(process.waitForReadyRead(10000));
        const QByteArray banner = process.readAllStandardOutput();
        const int port = banner.mid(banner.indexOf("127.0.0.1:") + 10).split(' ').first().toInt();
        QVERIFY2(port > 0, banner.constData());
        Client client;
        QCOMPARE(client.post(port, kFirstCall).status, 200);
        QCOMPARE(client.post(port, reportCall(false)).status, 429);
        QCOMPARE(client.post(port, reportCall(false)).status, 429);
        QCOMPARE(client.post(port, reportCall(false)).status, 200);
        process.terminate();
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }
};

QTEST_MAIN(TestLlmServer)
#include "tst_llmserver.moc"
