// SPDX-License-Identifier: MIT
// The Writer end to end on the LLM stand-in: the report, the three trace formats read back by the
// importers, the outcome of every stand-in fault, bad input, and crash points in the executable.
#include "agents/llm/server.h"
#include "agents/writer/emitters.h"
#include "agents/writer/filetools.h"
#include "agents/writer/writer.h"
#include "importers/common/files.h"
#include "importers/common/importer.h"
#include "importers/timeline/steps.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>

#include "importers/capture/captureserver.h"
#include "importers/common/files.h"
#include <QTemporaryDir>
#include <QtTest>

#include <httplib.h>

#include <atomic>
#include <map>
#include <mutex>
#include <thread>

using namespace tt::writer;

namespace {

std::unique_ptr<tt::llm::LlmServer> standIn(const QByteArray& faults = "[]")
{
    std::string error;
    auto scenario
        = tt::llm::parseScenario("{\"faults\":" + faults.toStdString() + "}", "test", error);
    if (!scenario)
        qFatal("bad scenario: %s", error.c_str());
    scenario->latency.scale = 0;
    tt::llm::ServerConfig config;
    config.scenario = *scenario;
    auto server = std::make_unique<tt::llm::LlmServer>(config);
    if (!server->start(error))
        qFatal("stand-in did not start: %s", error.c_str());
    return server;
}

struct Workspace
{
    QTemporaryDir dir;
    WriterInput input;

    Workspace()
    {
        QDir(dir.path()).mkpath(QStringLiteral("tmp"));
        write(QStringLiteral("tmp/notes_memory.txt"),
            "Agents need memory to keep context across steps.\n");
        write(QStringLiteral("tmp/notes_tools.txt"),
            "Tools fail; retries and durable journals help.\n");
        write(QStringLiteral("secret.txt"), "outside the temp folder\n");
        input.query = QStringLiteral("Durable execution for LLM agents");
        input.tempDir = dir.filePath(QStringLiteral("tmp"));
        input.files = { QStringLiteral("notes_memory.txt"), QStringLiteral("notes_tools.txt") };
        input.outputDir = dir.filePath(QStringLiteral("out"));
    }

    void write(const QString& name, const QByteArray& text)
    {
        QFile file(dir.filePath(name));
        file.open(QIODevice::WriteOnly);
        file.write(text);
    }

    QString path(const char* name) const { return dir.filePath(QLatin1String(name)); }
};

WriterConfig configFor(int port, double timeoutSeconds = 10, int maxRetries = 2)
{
    WriterConfig config;
    config.llmUrl = QStringLiteral("http://127.0.0.1:%1").arg(port);
    config.runId = QStringLiteral("run-1");
    config.retry.timeoutSeconds = timeoutSeconds;
    config.retry.maxRetries = maxRetries;
    return config;
}

WriterOutcome runWith(Workspace& work, const WriterConfig& config, bool traces = false)
{
    Tracer tracer(1);
    EmitterSettings settings;
    if (traces) {
        settings.openAiJsonl = work.path("openai.jsonl");
        settings.langSmithJsonl = work.path("langsmith.jsonl");
        settings.traceLog = work.path("trace.log");
    }
    QString error;
    if (!addEmitters(tracer, settings, error))
        qFatal("emitters: %s", qPrintable(error));
    return runWriter(work.input, config, tracer);
}

// A killed run's file lacks the spans that never ended (the agent's): their children's parent is
// then missing, which the importer reports; `crashed` accepts that.
std::vector<std::string> importedSteps(const QString& path, bool crashed = false)
{
    const auto result = tt::importers::importPath(path.toStdString());
    if (result.traces.size() != 1 || (!crashed && !result.warnings.empty()))
        return { "import failed: "
            + (result.warnings.empty() ? std::string("no trace") : result.warnings[0].message) };
    std::vector<std::string> labels;
    for (const auto& step : tt::timeline::extractSteps(result.traces[0]))
        labels.push_back(step.label());
    return labels;
}

// Answers every chat request with the same crafted body: for model misbehaviour the scripted
// stand-in never shows (no JSON, no choices, bad tool arguments).
class CraftedServer
{
public:
    explicit CraftedServer(std::string body)
    {
        m_server.Post(
            "/v1/chat/completions", [body](const httplib::Request&, httplib::Response& r) {
                r.set_content(body, "application/json");
            });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
    }
    ~CraftedServer()
    {
        m_server.stop();
        m_thread.join();
    }
    int port() const { return m_port; }

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
};

// Plain literals, not raw strings: moc 6.4 misreads \" inside a raw string and drops the class.
const char* const kBadArguments
    = "{\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":"
      "\"assistant\","
      "\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{"
      "\"name\":"
      "\"read_multiple_files\",\"arguments\":\"{\\\"paths\\\": [\\\"a.txt\\\"\"}}]}}]}";
const char* const kEndlessToolCalls
    = "{\"choices\":[{\"index\":0,\"finish_reason\":\"tool_calls\",\"message\":{\"role\":"
      "\"assistant\","
      "\"content\":null,\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\",\"function\":{"
      "\"name\":"
      "\"read_multiple_files\",\"arguments\":\"{\\\"paths\\\":[]}\"}}]}}]}";

} // namespace

// A Writer run on the stand-in whose traces are also uploaded (keys from the environment)
// to base + /v1/traces/ingest and base + /runs/batch.
static WriterOutcome runUploadingTo(Workspace& work, const QString& base)
{
    auto llm = standIn();
    qputenv("OPENAI_API_KEY", "sk-test-secret-1");
    qputenv("LANGSMITH_API_KEY", "lsv2-test-secret-2");
    Tracer tracer(1);
    EmitterSettings settings;
    settings.openAiJsonl = work.path("openai.jsonl");
    settings.openAiIngestUrl = base + QStringLiteral("/v1/traces/ingest");
    settings.langSmithJsonl = work.path("langsmith.jsonl");
    settings.langSmithEndpoint = base;
    settings.traceLog = work.path("trace.log");
    QString error;
    if (!addEmitters(tracer, settings, error))
        qFatal("emitters: %s", qPrintable(error));
    const WriterOutcome result = runWriter(work.input, configFor(llm->port()), tracer);
    qunsetenv("OPENAI_API_KEY");
    qunsetenv("LANGSMITH_API_KEY");
    return result;
}

class TestWriter : public QObject
{
    Q_OBJECT
private slots:
    void endToEndOnTheStandIn()
    {
        auto llm = standIn();
        Workspace work;
        WriterConfig config = configFor(llm->port());
        const WriterOutcome result = runWith(work, config, true);
        QCOMPARE(int(result.outcome), int(Outcome::Success));
        QCOMPARE(result.llmCalls, 2);
        QCOMPARE(result.toolCalls, 1);
        QVERIFY(result.completionTokens > 50);
        QFile report(result.reportPath);
        QVERIFY(report.open(QIODevice::ReadOnly));
        QVERIFY(QFileInfo(result.reportPath)
                    .fileName()
                    .startsWith(QLatin1String("durable_execution_for_llm_agents_final_report_")));
        const QString text = QString::fromUtf8(report.readAll());
        QCOMPARE(missingHeadings(text), QString());
        QVERIFY(text.contains(QLatin1String(
            "Tools fail; retries and durable journals help."))); // read through the tool
        // Every emitter's output imports and lines up with the Writer's steps.
        const std::vector<std::string> expected
            = { "llm_call#1", "read_multiple_files#1", "llm_call#2", "save_report#1" };
        QCOMPARE(importedSteps(work.path("openai.jsonl")), expected);
        QCOMPARE(importedSteps(work.path("langsmith.jsonl")), expected);
        QCOMPARE(importedSteps(work.path("trace.log")), expected);
    }

    void faultOutcomes_data()
    {
        QTest::addColumn<QByteArray>("faults");
        QTest::addColumn<double>("timeout");
        QTest::addColumn<int>("outcome");
        QTest::addColumn<int>("retries");
        QTest::newRow("429 x2: within the 2 retries") << QByteArray(
            R"([{"kind":"http_429","when":{"step":"report"},"times":2,"retry_after_s":0.1}])")
                                                      << 10.0 << int(Outcome::Success) << 2;
        QTest::newRow("500 x3: beyond them")
            << QByteArray(R"([{"kind":"http_500","when":{"step":"report"},"times":3}])") << 10.0
            << int(Outcome::LlmUnavailable) << 2;
        QTest::newRow("reset once: retried")
            << QByteArray(R"([{"kind":"reset","times":1}])") << 10.0 << int(Outcome::Success) << 1;
        QTest::newRow("outage: 503 always")
            << QByteArray(R"([{"kind":"http_503","times":"always"}])") << 10.0
            << int(Outcome::LlmUnavailable) << 2;
        QTest::newRow("stall: timeout on every attempt") << QByteArray(
            R"([{"kind":"stall","when":{"step":"report"},"times":"always","stall_s":1.5}])")
                                                         << 0.3 << int(Outcome::LlmTimeout) << 2;
        QTest::newRow("truncated JSON") << QByteArray(
            R"([{"kind":"truncated_json","when":{"step":"report"},"times":"always"}])")
                                        << 10.0 << int(Outcome::MalformedOutput) << 0;
        QTest::newRow("missing headings") << QByteArray(
            R"([{"kind":"missing_headings","when":{"step":"report"},"times":"always"}])")
                                          << 10.0 << int(Outcome::MalformedOutput) << 0;
    }

    void faultOutcomes()
    {
        QFETCH(QByteArray, faults);
        QFETCH(double, timeout);
        QFETCH(int, outcome);
        QFETCH(int, retries);
        auto llm = standIn(faults);
        Workspace work;
        const WriterOutcome result = runWith(work, configFor(llm->port(), timeout), true);
        QCOMPARE(int(result.outcome), outcome);
        QCOMPARE(result.llmRetries, retries);
        QCOMPARE(result.reportPath.isEmpty(), outcome != int(Outcome::Success));
        QVERIFY(!result.message.isEmpty() || outcome == int(Outcome::Success));
        // Partial traces are on disk and readable whatever happened.
        const auto imported = tt::importers::importPath(work.path("openai.jsonl").toStdString());
        QCOMPARE(imported.traces.size(), size_t(1));
        QVERIFY(imported.traces[0].spans.size() >= 2);
        if (outcome != int(Outcome::Success))
            QVERIFY(imported.traces[0].errorCount >= 1);
    }

    void retryAfterIsHonoured()
    {
        auto llm = standIn(
            R"([{"kind":"http_429","when":{"step":"report"},"times":1,"retry_after_s":1}])");
        Workspace work;
        QElapsedTimer timer;
        timer.start();
        const WriterOutcome result = runWith(work, configFor(llm->port()));
        QCOMPARE(int(result.outcome), int(Outcome::Success));
        QVERIFY2(timer.elapsed() >= 950, qPrintable(QString::number(timer.elapsed())));
    }

    void modelMisbehaviour_data()
    {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QString>("message");
        QTest::newRow("not JSON") << QByteArray("<html>oops</html>") << QStringLiteral("not JSON");
        QTest::newRow("no choices")
            << QByteArray(R"({"id":"x","choices":[]})") << QStringLiteral("no choices");
        QTest::newRow("bad tool arguments") << QByteArray(
            kBadArguments) << QStringLiteral("Invalid JSON input for tool read_multiple_files");
        QTest::newRow("unknown tool") << QByteArray(
            R"({"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                "tool_calls":[{"id":"c1","type":"function","function":{"name":"rm_rf","arguments":"{}"}}]}}]})")
                                      << QStringLiteral("Tool rm_rf not found");
        QTest::newRow("endless tool calls")
            << QByteArray(kEndlessToolCalls) << QStringLiteral("max_turns (10) exceeded");
    }

    void modelMisbehaviour()
    {
        QFETCH(QByteArray, answer);
        QFETCH(QString, message);
        CraftedServer llm(answer.toStdString());
        Workspace work;
        WriterConfig config = configFor(llm.port());
        config.stream = false;
        const WriterOutcome result = runWith(work, config);
        QCOMPARE(int(result.outcome), int(Outcome::MalformedOutput));
        QVERIFY2(result.message.contains(message), qPrintable(result.message));
    }

    void fileToolStaysInTheTempFolder()
    {
        Workspace work;
        QFile::link(work.path("secret.txt"), work.path("tmp/link.txt"));
        const QString out = readMultipleFiles(work.input.tempDir,
            { QStringLiteral("notes_memory.txt"), work.path("secret.txt"),
                QStringLiteral("../secret.txt"), QStringLiteral("link.txt"),
                QStringLiteral("nothing.txt") });
        const QStringList parts = out.split(QStringLiteral("\n---\n"));
        QCOMPARE(parts.size(), 5);
        QVERIFY(parts[0].startsWith(QLatin1String("notes_memory.txt:\nAgents need memory")));
        for (int i : { 1, 2, 3 }) {
            QVERIFY2(
                parts[i].contains(QLatin1String("Error - Access denied")), qPrintable(parts[i]));
            QVERIFY(!parts[i].contains(QLatin1String("outside the temp folder")));
        }
        QVERIFY(parts[4].contains(QLatin1String("ENOENT")));
    }

    void fileToolFailsClosedWhenTheTempFolderGoesMidRun()
    {
        // The pipeline cleans the temp folder after the run started: the model then asks for a
        // file outside by its absolute path. Nothing outside may reach the next LLM call.
        Workspace work;
        nlohmann::json call = nlohmann::json::object();
        call["id"] = "c1";
        call["type"] = "function";
        call["function"] = {
            { "name", "read_multiple_files" },
            { "arguments",
                nlohmann::json { { "paths", { work.path("secret.txt").toStdString() } } }.dump() }
        };
        nlohmann::json message = { { "role", "assistant" }, { "content", nullptr } };
        message["tool_calls"] = nlohmann::json::array({ call });
        nlohmann::json choice = { { "index", 0 }, { "finish_reason", "tool_calls" } };
        choice["message"] = message;
        const std::string toolCall
            = nlohmann::json { { "choices", nlohmann::json::array({ choice }) } }.dump();
        httplib::Server llm;
        std::atomic<int> calls { 0 };
        std::string toolResult;
        llm.Post("/v1/chat/completions", [&](const httplib::Request& q, httplib::Response& r) {
            if (calls++ == 0) {
                QDir(work.input.tempDir).removeRecursively();
                r.set_content(toolCall, "application/json");
            } else {
                toolResult = q.body; // the conversation, the tool's answer in it
                r.set_content("not JSON", "application/json");
            }
        });
        const int port = llm.bind_to_any_port("127.0.0.1");
        std::thread serving([&] { llm.listen_after_bind(); });
        WriterConfig config = configFor(port);
        config.stream = false;
        runWith(work, config);
        llm.stop();
        serving.join();
        QCOMPARE(calls.load(), 2);
        QVERIFY2(!toolResult.empty() && toolResult.find("Access denied") != std::string::npos,
            toolResult.c_str());
        QVERIFY(toolResult.find("outside the temp folder") == std::string::npos);
    }

    // A relaunched Writer (--append-traces) after one killed half-way through a line starts its
    // records on a line of their own.
    void appendedTracesStartOnTheirOwnLine()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("openai.jsonl"));
        QFile cut(path);
        QVERIFY(cut.open(QIODevice::WriteOnly));
        cut.write("{\"object\":\"trace\",\"id\":\"t1\"}\n{\"object\":\"trace.sp");
        cut.close();
        for (const bool again : { false, true }) {
            LineFile file;
            QString error;
            QVERIFY2(file.open(path, error, true), qPrintable(error));
            file.writeLine(again ? "{\"b\":2}" : "{\"a\":1}");
        }
        QVERIFY(cut.open(QIODevice::ReadOnly));
        QCOMPARE(cut.readAll(),
            QByteArray("{\"object\":\"trace\",\"id\":\"t1\"}\n{\"object\":\"trace.sp\n"
                       "{\"a\":1}\n{\"b\":2}\n"));
    }
    void badInput()
    {
        Workspace work;
        WriterConfig config = configFor(1);
        work.input.files << QStringLiteral("missing.txt");
        QCOMPARE(int(runWith(work, config).outcome), int(Outcome::BadInput));
        Workspace noTemp;
        noTemp.input.tempDir = noTemp.path("nowhere");
        const WriterOutcome result = runWith(noTemp, config);
        QCOMPARE(int(result.outcome), int(Outcome::BadInput));
        QVERIFY(result.message.contains(QLatin1String("does not exist")));
    }

    void uploadsTracesWithKeysFromTheEnvironmentOnly()
    {
        // A local collector standing where api.openai.com and api.smith.langchain.com would be.
        httplib::Server collector;
        std::mutex mutex;
        std::map<std::string, std::pair<std::string, std::string>> received; // path -> (auth, body)
        collector.Post(".*", [&](const httplib::Request& q, httplib::Response& r) {
            std::lock_guard lock(mutex);
            const std::string auth = q.has_header("Authorization")
                ? q.get_header_value("Authorization")
                : q.get_header_value("x-api-key");
            received[q.path] = { auth, q.body };
            r.set_content("{}", "application/json");
        });
        const int port = collector.bind_to_any_port("127.0.0.1");
        std::thread serving([&] { collector.listen_after_bind(); });

        Workspace work;
        const WriterOutcome result
            = runUploadingTo(work, QStringLiteral("http://127.0.0.1:%1").arg(port));
        collector.stop();
        serving.join();
        QCOMPARE(int(result.outcome), int(Outcome::Success));

        QCOMPARE(received["/v1/traces/ingest"].first, std::string("Bearer sk-test-secret-1"));
        const auto ingest = nlohmann::json::parse(received["/v1/traces/ingest"].second);
        QCOMPARE(ingest.at("data").size(), size_t(6)); // the trace and its five spans
        QCOMPARE(ingest.at("data").at(0).at("object"), "trace");
        QCOMPARE(received["/runs/batch"].first, std::string("lsv2-test-secret-2"));
        const auto batch = nlohmann::json::parse(received["/runs/batch"].second);
        QCOMPARE(batch.at("post").size(), size_t(6)); // five runs and the root chain
        // The uploads import like the files do.
        const auto fromIngest = tt::importers::importBytes(
            std::make_shared<const std::string>(received["/v1/traces/ingest"].second), "ingest");
        QCOMPARE(fromIngest.spanCount(), size_t(5));
        // No key in any file the run wrote.
        for (const char* name : { "openai.jsonl", "langsmith.jsonl", "trace.log" }) {
            QFile file(work.path(name));
            QVERIFY(file.open(QIODevice::ReadOnly));
            const QByteArray text = file.readAll();
            QVERIFY(!text.contains("secret"));
        }
        QVERIFY(!result.message.contains(QLatin1String("secret")));
    }

    void uploadsFollowNoRedirectWithTheirKeys()
    {
        // The upload endpoint answers 307 to another origin: nothing may reach that origin.
        httplib::Server elsewhere;
        std::atomic<int> reached { 0 };
        std::string leakedHeaders;
        elsewhere.Post(".*", [&](const httplib::Request& q, httplib::Response& r) {
            ++reached;
            for (const auto& [name, value] : q.headers)
                leakedHeaders += name + ": " + value + "\n";
            r.set_content("{}", "application/json");
        });
        const int elsewherePort = elsewhere.bind_to_any_port("127.0.0.1");
        std::thread servingElsewhere([&] { elsewhere.listen_after_bind(); });
        httplib::Server redirecting;
        std::atomic<int> redirected { 0 };
        redirecting.Post(".*", [&](const httplib::Request& q, httplib::Response& r) {
            ++redirected;
            r.status = 307;
            r.set_header("Location", "http://127.0.0.1:" + std::to_string(elsewherePort) + q.path);
        });
        const int port = redirecting.bind_to_any_port("127.0.0.1");
        std::thread serving([&] { redirecting.listen_after_bind(); });

        Workspace work;
        const WriterOutcome result
            = runUploadingTo(work, QStringLiteral("http://127.0.0.1:%1").arg(port));
        redirecting.stop();
        serving.join();
        elsewhere.stop();
        servingElsewhere.join();
        QCOMPARE(int(result.outcome), int(Outcome::Success));
        QCOMPARE(redirected.load(), 2); // both uploads were tried
        QVERIFY2(reached == 0, leakedHeaders.c_str());
    }

    void liveCaptureReceivesWhatTheWriterUploads()
    {
        // TwinTrace's capture server where the vendors' endpoints would be: the Writer's uploads
        // land as files that import like the Writer's own trace files, without the keys.
        tt::importers::capture::CaptureServer capture;
        QTemporaryDir captured;
        std::string error;
        QVERIFY(capture.start(0, captured.path().toStdString(), error));
        Workspace work;
        const WriterOutcome result = runUploadingTo(work, QString::fromStdString(capture.url()));
        capture.stop();
        QCOMPARE(int(result.outcome), int(Outcome::Success));
        QCOMPARE(capture.counts().openAiItems, 6);
        QCOMPARE(capture.counts().langSmithRuns, 6);
        const auto openai = tt::importers::importPath(
            captured.filePath(QStringLiteral("openai.jsonl")).toStdString());
        const auto own = tt::importers::importPath(work.path("openai.jsonl").toStdString());
        QCOMPARE(openai.spanCount(), own.spanCount());
        const auto langsmith = tt::importers::importPath(
            captured.filePath(QStringLiteral("langsmith.jsonl")).toStdString());
        QCOMPARE(langsmith.spanCount(), size_t(6));
        for (const char* name : { "openai.jsonl", "langsmith.jsonl" }) {
            QFile file(captured.filePath(QLatin1String(name)));
            QVERIFY(file.open(QIODevice::ReadOnly));
            QVERIFY(!file.readAll().contains("secret"));
        }
    }

    void executableProgressExitCodesAndCrashPoints()
    {
        auto llm = standIn();
        Workspace work;
        auto baseline = [&](const QStringList& extra, QByteArray& out) {
            QProcess process;
            process.start(QStringLiteral(TT_BASELINE_BIN),
                QStringList { QStringLiteral("--query"), work.input.query,
                    QStringLiteral("--temp-dir"), work.input.tempDir, QStringLiteral("--file"),
                    QStringLiteral("notes_memory.txt"), QStringLiteral("--file"),
                    QStringLiteral("notes_tools.txt"), QStringLiteral("--output-dir"),
                    work.input.outputDir, QStringLiteral("--llm-url"),
                    QStringLiteral("http://127.0.0.1:%1").arg(llm->port()),
                    QStringLiteral("--openai-trace"), work.path("crash.jsonl") }
                    + extra);
            process.waitForFinished(30000);
            out = process.readAllStandardOutput();
            return process.exitStatus() == QProcess::CrashExit ? -1 : process.exitCode();
        };
        QByteArray out;
        QCOMPARE(baseline({ QStringLiteral("--run-id"), QStringLiteral("ok") }, out), 0);
        QVERIFY(out.contains("\"event\":\"step_started\",\"step\":\"llm_call#1\""));
        QVERIFY(out.trimmed().split('\n').last().contains("\"outcome\":\"success\""));
        QCOMPARE(QDir(work.input.outputDir).entryList(QDir::Files).size(), 1);

        // Each crash starts from an empty output folder, so what is there is that run's own.
        const auto clearOutput = [&] {
            QDir output(work.input.outputDir);
            for (const QString& name : output.entryList(QDir::Files))
                QVERIFY(output.remove(name));
        };
        // Killed inside read_multiple_files: the first LLM call is on disk, no report.
        clearOutput();
        QCOMPARE(baseline({ QStringLiteral("--run-id"), QStringLiteral("c1"),
                              QStringLiteral("--crash-at"),
                              QStringLiteral("read_multiple_files#1:inside") },
                     out),
            -1);
        QVERIFY(out.contains(
            "\"event\":\"crash_point\",\"phase\":\"inside\",\"step\":\"read_multiple_files#1\""));
        QVERIFY(!out.contains("\"event\":\"finished\""));
        QCOMPARE(importedSteps(work.path("crash.jsonl"), true),
            std::vector<std::string> { "llm_call#1" });
        QCOMPARE(QDir(work.input.outputDir).entryList(QDir::Files).size(), 0);

        // Killed inside save_report: this run's report was written, whole, before the kill.
        clearOutput();
        qputenv("TWINTRACE_CRASH_AT", "save_report#1:inside");
        QCOMPARE(baseline({ QStringLiteral("--run-id"), QStringLiteral("c2") }, out), -1);
        qunsetenv("TWINTRACE_CRASH_AT");
        QVERIFY(out.contains(
            "\"event\":\"crash_point\",\"phase\":\"inside\",\"step\":\"save_report#1\""));
        const QStringList saved = QDir(work.input.outputDir).entryList(QDir::Files);
        QCOMPARE(saved.size(), 1);
        QFile savedReport(QDir(work.input.outputDir).filePath(saved.first()));
        QVERIFY(savedReport.open(QIODevice::ReadOnly));
        QVERIFY(savedReport.readAll().trimmed().endsWith("## FINAL STEP"));

        QCOMPARE(baseline({ QStringLiteral("--crash-at"), QStringLiteral("lunch#1") }, out),
            int(Outcome::BadInput));
        QCOMPARE(baseline({ QStringLiteral("--file"), QStringLiteral("missing.txt") }, out),
            int(Outcome::BadInput));
        QVERIFY(out.contains("missing or unreadable"));
    }
};

QTEST_MAIN(TestWriter)
#include "tst_writer.moc"
