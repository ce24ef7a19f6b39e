// SPDX-License-Identifier: MIT
// The stand-in's OpenAI Responses route (POST /v1/responses) through a real HTTP client: the same
// conversation as its Chat Completions route, streamed and not, with the same fault plan and
// request log.
#include "llmclient.h"

#include <QTemporaryDir>

using namespace tt::llm;
using namespace tt::llm::testing;

namespace {

const QString kResponses = QStringLiteral("/v1/responses");
const QString kChat = QStringLiteral("/v1/chat/completions");

// The Writer's first call as OpenAIResponsesModel sends it: the system prompt as instructions,
// the user's message as an input item.
QByteArray firstCall(bool stream = false)
{
    const QJsonArray messages
        = QJsonDocument::fromJson(kFirstCall).object()[QLatin1String("messages")].toArray();
    QJsonObject body { { "model", "gpt-oss-20b" },
        { "instructions", messages[0].toObject()[QLatin1String("content")] },
        { "input",
            QJsonArray { QJsonObject { { "role", "user" },
                { "content", messages[1].toObject()[QLatin1String("content")] } } } } };
    if (stream)
        body[QLatin1String("stream")] = true;
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

// The second call: the model's function_call and the tool's output appended, the output as
// content parts (what @openai/agents sends for a text result).
QByteArray reportInput(bool stream)
{
    QJsonObject body = QJsonDocument::fromJson(firstCall(stream)).object();
    QJsonArray input = body[QLatin1String("input")].toArray();
    input.append(QJsonObject { { "type", "function_call" }, { "call_id", "call_1" },
        { "name", "read_multiple_files" }, { "arguments", "{}" }, { "status", "completed" } });
    input.append(QJsonObject { { "type", "function_call_output" }, { "call_id", "call_1" },
        { "output",
            QJsonArray { QJsonObject { { "type", "input_text" },
                { "text",
                    "/tmp/run/notes_memory.txt:\nAgents need memory.\n---\n"
                    "/tmp/run/notes_tools.txt:\nTools fail; retries help." } } } } });
    body[QLatin1String("input")] = input;
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

QJsonObject firstOutput(const QJsonObject& response)
{
    return response[QLatin1String("output")].toArray().at(0).toObject();
}

QString textOf(const QJsonObject& response)
{
    return firstOutput(response)[QLatin1String("content")]
        .toArray()
        .at(0)
        .toObject()[QLatin1String("text")]
        .toString();
}

QJsonObject chatMessage(const QByteArray& body)
{
    return QJsonDocument::fromJson(body)
        .object()[QLatin1String("choices")]
        .toArray()
        .at(0)
        .toObject()[QLatin1String("message")]
        .toObject();
}

struct Event
{
    QString name; // the "event:" line
    QJsonObject data;
};

// The server-sent events of a streamed answer, in order.
QList<Event> eventsOf(const QByteArray& body)
{
    QList<Event> events;
    for (const QByteArray& block : body.split('\n')) {
        if (block.startsWith("event: "))
            events.append({ QString::fromUtf8(block.mid(7)), {} });
        else if (block.startsWith("data: ") && !events.isEmpty())
            events.last().data = QJsonDocument::fromJson(block.mid(6)).object();
    }
    return events;
}

// Joins the `field` of every event of type `type`.
QString joined(const QList<Event>& events, const char* type, const char* field)
{
    QString text;
    for (const Event& event : events)
        if (event.name == QLatin1String(type))
            text += event.data[QLatin1String(field)].toString();
    return text;
}

} // namespace

class TestLlmResponses : public QObject
{
    Q_OBJECT
private slots:
    void sameConversationAsChatCompletions()
    {
        auto server = startServer();
        Client client;
        // Call 1 of two runs: the same tool call, id included.
        const Answer chatCall = client.post(server->port(), kFirstCall, "chat", kChat);
        const Answer call = client.post(server->port(), firstCall(), "responses", kResponses);
        QCOMPARE(call.status, 200);
        const QJsonObject response = QJsonDocument::fromJson(call.body).object();
        QCOMPARE(response[QLatin1String("object")].toString(), QStringLiteral("response"));
        QCOMPARE(response[QLatin1String("status")].toString(), QStringLiteral("completed"));
        QVERIFY(response[QLatin1String("id")].toString().startsWith(QLatin1String("resp_")));
        const QJsonObject item = firstOutput(response);
        QCOMPARE(item[QLatin1String("type")].toString(), QStringLiteral("function_call"));
        const QJsonObject chatCallItem
            = chatMessage(chatCall.body)[QLatin1String("tool_calls")].toArray().at(0).toObject();
        const QJsonObject function = chatCallItem[QLatin1String("function")].toObject();
        QCOMPARE(item[QLatin1String("name")], function[QLatin1String("name")]);
        QCOMPARE(item[QLatin1String("arguments")].toString(),
            QStringLiteral(
                R"({"paths":["/tmp/run/notes_memory.txt","/tmp/run/notes_tools.txt"]})"));
        QCOMPARE(item[QLatin1String("arguments")], function[QLatin1String("arguments")]);
        QCOMPARE(item[QLatin1String("call_id")], chatCallItem[QLatin1String("id")]);

        // Call 2: the same report, byte for byte, as the chat route writes from the same notes.
        const QString chatReport = chatMessage(
            client.post(server->port(), tt::llm::testing::reportCall(false), "chat", kChat)
                .body)[QLatin1String("content")]
                                       .toString();
        const Answer report
            = client.post(server->port(), reportInput(false), "responses", kResponses);
        QCOMPARE(report.status, 200);
        const QJsonObject reportResponse = QJsonDocument::fromJson(report.body).object();
        QCOMPARE(firstOutput(reportResponse)[QLatin1String("type")].toString(),
            QStringLiteral("message"));
        QCOMPARE(firstOutput(reportResponse)[QLatin1String("role")].toString(),
            QStringLiteral("assistant"));
        const QString text = textOf(reportResponse);
        QVERIFY(text.contains(QLatin1String("Tools fail; retries help.")));
        QVERIFY(text.endsWith(QLatin1String("\n## FINAL STEP")));
        QCOMPARE(text, chatReport);
        const QJsonObject usage = reportResponse[QLatin1String("usage")].toObject();
        QVERIFY(usage[QLatin1String("output_tokens")].toInt() > 50);
        QCOMPARE(usage[QLatin1String("total_tokens")].toInt(),
            usage[QLatin1String("input_tokens")].toInt()
                + usage[QLatin1String("output_tokens")].toInt());
    }

    void streamingMatchesThePlainAnswer()
    {
        auto server = startServer();
        Client client;
        const QString plain = textOf(QJsonDocument::fromJson(
            client.post(server->port(), reportInput(false), "plain", kResponses).body)
                                         .object());
        const Answer streamed
            = client.post(server->port(), reportInput(true), "streamed", kResponses);
        QCOMPARE(streamed.status, 200);
        const QList<Event> events = eventsOf(streamed.body);
        QVERIFY(events.size() > 40); // a token at a time
        QCOMPARE(events.first().name, QStringLiteral("response.created"));
        QCOMPARE(events.last().name, QStringLiteral("response.completed"));
        for (int i = 0; i < events.size(); ++i) {
            QCOMPARE(events[i].data[QLatin1String("type")].toString(), events[i].name);
            QCOMPARE(events[i].data[QLatin1String("sequence_number")].toInt(), i);
        }
        QCOMPARE(joined(events, "response.output_text.delta", "delta"), plain);
        QCOMPARE(joined(events, "response.output_text.done", "text"), plain);
        QCOMPARE(textOf(events.last().data[QLatin1String("response")].toObject()), plain);
        QCOMPARE(events.first()
                     .data[QLatin1String("response")]
                     .toObject()[QLatin1String("status")]
                     .toString(),
            QStringLiteral("in_progress"));

        // The function call streams its arguments in pieces.
        const Answer tool = client.post(server->port(), firstCall(true), "tool", kResponses);
        const QList<Event> toolEvents = eventsOf(tool.body);
        const QString arguments = QStringLiteral(
            R"({"paths":["/tmp/run/notes_memory.txt","/tmp/run/notes_tools.txt"]})");
        QVERIFY(toolEvents.size() > 10);
        QCOMPARE(joined(toolEvents, "response.function_call_arguments.delta", "delta"), arguments);
        QCOMPARE(
            joined(toolEvents, "response.function_call_arguments.done", "arguments"), arguments);
        const auto added = std::find_if(toolEvents.begin(), toolEvents.end(),
            [](const Event& e) { return e.name == QLatin1String("response.output_item.added"); });
        QVERIFY(added != toolEvents.end());
        QCOMPARE(added->data[QLatin1String("item")].toObject()[QLatin1String("type")].toString(),
            QStringLiteral("function_call"));
        QCOMPARE(firstOutput(toolEvents.last()
                                 .data[QLatin1String("response")]
                                 .toObject())[QLatin1String("arguments")]
                     .toString(),
            arguments);
    }

    void faultsApplyAsOnChatCompletions_data()
    {
        QTest::addColumn<QByteArray>("fault");
        QTest::addColumn<bool>("stream");
        QTest::addColumn<int>("status");
        QTest::newRow("429") << QByteArray(R"({"kind":"http_429","retry_after_s":2})") << false
                             << 429;
        QTest::newRow("500") << QByteArray(R"({"kind":"http_500"})") << false << 500;
        QTest::newRow("500-stream") << QByteArray(R"({"kind":"http_500"})") << true << 500;
        QTest::newRow("reset-stream") << QByteArray(R"({"kind":"reset"})") << true << 200;
        QTest::newRow("truncated-stream")
            << QByteArray(R"({"kind":"truncated_json"})") << true << 200;
        QTest::newRow("headings") << QByteArray(R"({"kind":"missing_headings"})") << false << 200;
    }

    void faultsApplyAsOnChatCompletions()
    {
        QFETCH(QByteArray, fault);
        QFETCH(bool, stream);
        QFETCH(int, status);
        auto server = startServer("{\"faults\":[" + fault + "]}");
        Client client;
        const Answer answer = client.post(server->port(), reportInput(stream), "run", kResponses);
        QCOMPARE(answer.status, status);
        const QString tag = QString::fromLatin1(QTest::currentDataTag());
        if (status >= 400)
            QVERIFY(!QJsonDocument::fromJson(answer.body)
                         .object()[QLatin1String("error")]
                         .toObject()[QLatin1String("message")]
                         .toString()
                         .isEmpty());
        if (tag == QLatin1String("429"))
            QCOMPARE(answer.retryAfter, QByteArray("2"));
        if (tag == QLatin1String("reset-stream"))
            QVERIFY(answer.error != QNetworkReply::NoError);
        if (tag == QLatin1String("truncated-stream")) {
            const QList<Event> events = eventsOf(answer.body);
            QVERIFY(!events.isEmpty());
            QVERIFY(events.last().name != QLatin1String("response.completed"));
        }
        if (tag == QLatin1String("headings")) {
            const QString text = textOf(QJsonDocument::fromJson(answer.body).object());
            QVERIFY(text.contains(QLatin1String("## Executive Summary")));
            QVERIFY(!text.contains(QLatin1String("## FINAL STEP")));
        }
        // Once: the retry is answered in full.
        const Answer retry = client.post(server->port(), reportInput(stream), "run", kResponses);
        QCOMPARE(retry.status, 200);
        QCOMPARE(retry.error, QNetworkReply::NoError);
    }

    void sameScenarioAndSeedGiveIdenticalBytes()
    {
        const QByteArray scenario = R"({"faults":[{"kind":"http_500","probability":0.5}]})";
        auto collect = [&](uint64_t seed) {
            return answersOf(scenario, seed, kResponses, firstCall(), reportInput);
        };
        const auto first = collect(11);
        QCOMPARE(collect(11), first);
        QVERIFY(collect(12) != first);
    }

    void requestLogAndRunPrefix()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("llm.jsonl"));
        const QByteArray report = reportInput(true);
        {
            auto server = startServer(
                R"({"faults":[{"kind":"http_503","when":{"call":1}}]})", 7, {}, path.toStdString());
            Client client;
            client.post(server->port(), firstCall(), {}, QStringLiteral("/run/a/1/v1/responses"));
            client.post(server->port(), firstCall(), {}, QStringLiteral("/run/a/1/v1/responses"));
            client.post(server->port(), report, {}, QStringLiteral("/run/a/1/v1/responses"));
        }
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const QJsonObject first = QJsonDocument::fromJson(lines[0]).object();
        QCOMPARE(first[QLatin1String("status")].toInt(), 503);
        QCOMPARE(first[QLatin1String("fault")].toString(), QStringLiteral("http_503"));
        const QJsonObject second = QJsonDocument::fromJson(lines[1]).object();
        const QJsonObject third = QJsonDocument::fromJson(lines[2]).object();
        for (const QJsonObject& entry : { first, second, third }) {
            QCOMPARE(entry[QLatin1String("run_id")].toString(), QStringLiteral("a/1"));
            QCOMPARE(entry[QLatin1String("path")].toString(), QStringLiteral("/v1/responses"));
            QCOMPARE(entry[QLatin1String("body_hash")].toString().size(), 16);
            QVERIFY(entry.contains(QLatin1String("simulated_ms")));
        }
        QCOMPARE(first[QLatin1String("body_hash")], second[QLatin1String("body_hash")]);
        QVERIFY(third[QLatin1String("body_hash")] != second[QLatin1String("body_hash")]);
        QCOMPARE(third[QLatin1String("body_bytes")].toInt(), report.size());
        QCOMPARE(second[QLatin1String("call")].toInt(), 2);
        QCOMPARE(third[QLatin1String("step")].toString(), QStringLiteral("report"));
        QVERIFY(third[QLatin1String("stream")].toBool());
        QVERIFY(third[QLatin1String("completed")].toBool());
        QVERIFY(third[QLatin1String("completion_tokens")].toInt() > 50);
    }

    void badInputIsA400()
    {
        auto server = startServer();
        Client client;
        for (const QByteArray& body : { QByteArray("{\"input\": ["), QByteArray("{}"),
                 QByteArray(R"({"input":42})"), QByteArray(R"({"input":[]})"),
                 QByteArray(R"({"input":[{"role":"wizard","content":"x"}]})"),
                 QByteArray(R"([1,2])") }) {
            const Answer answer = client.post(server->port(), body, "run", kResponses);
            QCOMPARE(answer.status, 400);
            QCOMPARE(QJsonDocument::fromJson(answer.body)
                         .object()[QLatin1String("error")]
                         .toObject()[QLatin1String("type")]
                         .toString(),
                QStringLiteral("invalid_request_error"));
        }
        // A plain string input is a user message.
        QCOMPARE(
            client.post(server->port(), R"({"input":"read /tmp/a.md"})", "run", kResponses).status,
            200);
    }
};

QTEST_MAIN(TestLlmResponses)
#include "tst_llmresponses.moc"
