// SPDX-License-Identifier: MIT
// The Restate importer live, against the real restate-server 1.7.12 running the durable Writer:
// a completed run, a terminal failure, a run backing off on transient errors, one paused after
// its attempts, an endpoint crash and resume; a snapshot that re-imports identically; a server
// still starting, and one that vanishes mid-fetch.
#include "harness.h"

#include "agents/restate/endpoint.h"
#include "importers/restate/adminclient.h"
#include "importers/timeline/steps.h"

#include <httplib.h>

#include <thread>

using namespace tt;
using importers::restate::AdminClient;
using importers::restate::AdminFilter;
using importers::restate::FetchOptions;
using nlohmann::json;
using timeline::SpanKind;

namespace {

// The trace of one invocation, fetched live by id.
timeline::Trace importOne(const QString& adminUrl, const QString& id, int* queries = nullptr)
{
    AdminClient client(adminUrl.toStdString());
    AdminFilter filter;
    filter.ids = { id.toStdString() };
    const auto fetched = client.fetch(filter);
    if (!fetched.complete)
        qWarning("fetch: %s", fetched.error.c_str());
    if (queries)
        *queries = fetched.queries;
    auto result = importers::restate::importSnapshot(fetched.snapshot, adminUrl.toStdString());
    for (const auto& warning : result.warnings)
        qWarning("import: %s: %s", warning.source.c_str(), warning.message.c_str());
    return result.traces.size() == 1 ? std::move(result.traces.front()) : timeline::Trace();
}

QStringList named(const timeline::Trace& trace, SpanKind kind)
{
    QStringList names;
    for (const auto& span : trace.spans)
        if (trace.spanKind(span) == kind)
            names << QString::fromUtf8(
                trace.spanName(span).data(), int(trace.spanName(span).size()));
    return names;
}

QStringList steps(const timeline::Trace& trace)
{
    QStringList labels;
    for (const auto& step : timeline::extractSteps(trace))
        labels << QString::fromStdString(step.label());
    return labels;
}

QString rootError(const timeline::Trace& trace)
{
    if (trace.root < 0)
        return {};
    const auto error = trace.str(trace.spans[size_t(trace.root)].error);
    return QString::fromUtf8(error.data(), int(error.size()));
}

} // namespace

class TestRestateImport : public QObject
{
    Q_OBJECT

    testing::RestateHarness h;

    QString run(const QString& scenario, const QStringList& endpointOptions = {})
    {
        if (!h.startLlm(scenario) || !h.startEndpoint(endpointOptions))
            return {};
        QString runId, outputDir;
        return h.send(h.newRun(runId, outputDir));
    }

private slots:
    void initTestCase()
    {
        QString error;
        QVERIFY2(h.start(error), qPrintable(error));
        QVERIFY(h.startLlm(QStringLiteral("nominal")));
        QVERIFY(h.startEndpoint());
        QVERIFY2(!h.registerEndpoint(error).isEmpty(), qPrintable(error));
    }

    void completedRun()
    {
        const QString id = run(QStringLiteral("nominal"));
        QVERIFY(!h.waitFor(id, QStringLiteral("completed")).is_null());
        int queries = 0;
        const auto trace = importOne(h.restate.adminUrl(), id, &queries);
        QCOMPARE(queries, 3); // one page: invocations, journal, events
        QCOMPARE(QString::fromStdString(trace.name), QStringLiteral("WriterAgentRestate/run"));
        QCOMPARE(steps(trace),
            QStringList({ QStringLiteral("llm_call#1"), QStringLiteral("read_multiple_files#1"),
                QStringLiteral("llm_call#2"), QStringLiteral("save_report#1") }));
        QCOMPARE(named(trace, SpanKind::Lifecycle),
            QStringList({ QStringLiteral("running"), QStringLiteral("completed") }));
        QCOMPARE(trace.errorCount, 0u);
    }

    void terminalFailure()
    {
        const QString id = run(QStringLiteral("malformed-missing-headings"));
        QVERIFY(!h.waitFor(id, QStringLiteral("completed")).is_null());
        const auto trace = importOne(h.restate.adminUrl(), id);
        QVERIFY2(rootError(trace).contains(QLatin1String("malformed_output")),
            qPrintable(rootError(trace)));
        QCOMPARE(named(trace, SpanKind::Lifecycle).last(), QStringLiteral("failed"));
        QVERIFY(named(trace, SpanKind::RetryAttempt).isEmpty());
    }

    void backingOffOnTransientErrors()
    {
        // Every LLM call fails; no client retries, 3 s between Restate's attempts.
        const QString id = run(QStringLiteral("persistent-outage"),
            { QStringLiteral("--max-retries"), QStringLiteral("0"),
                QStringLiteral("--retry-initial-ms"), QStringLiteral("3000"),
                QStringLiteral("--retry-max-interval-ms"), QStringLiteral("3000") });
        QVERIFY(!h.waitFor(id, QStringLiteral("backing-off")).is_null());
        const auto trace = importOne(h.restate.adminUrl(), id);
        QVERIFY(named(trace, SpanKind::Lifecycle).contains(QStringLiteral("backing-off")));
        QVERIFY2(rootError(trace).contains(QLatin1String("llm_call#1 failed")),
            qPrintable(rootError(trace)));
        int attempts = 0;
        for (const auto& span : trace.spans)
            if (trace.spanKind(span) == SpanKind::RetryAttempt) {
                ++attempts;
                QVERIFY(span.parent >= 0);
                QVERIFY(trace.spanKind(trace.spans[size_t(span.parent)]) == SpanKind::LlmCall);
            }
        QVERIFY(attempts >= 1);
        int status = 0;
        h.restate.query(QStringLiteral("SELECT 1"), status); // keep the server busy-free
        engine::postJson(
            h.restate.adminUrl() + QStringLiteral("/invocations/") + id + QStringLiteral("/kill"),
            {}, status, 5000);
    }

    void pausedAfterMaxAttempts()
    {
        const QString id = run(QStringLiteral("persistent-outage"),
            { QStringLiteral("--max-retries"), QStringLiteral("0"),
                QStringLiteral("--retry-max-attempts"), QStringLiteral("2"),
                QStringLiteral("--on-max-attempts"), QStringLiteral("pause") });
        QVERIFY(!h.waitFor(id, QStringLiteral("paused")).is_null());
        const auto trace = importOne(h.restate.adminUrl(), id);
        QVERIFY(named(trace, SpanKind::Lifecycle).contains(QStringLiteral("paused")));
        QVERIFY2(
            rootError(trace).startsWith(QLatin1String("paused")), qPrintable(rootError(trace)));
    }

    void endpointCrashAndResume()
    {
        h.startLlm(QStringLiteral("nominal"));
        QVERIFY(
            h.startEndpoint({ QStringLiteral("--crash-at"), QStringLiteral("llm_call#2:inside") }));
        QString runId, outputDir;
        const QString id = h.send(h.newRun(runId, outputDir));
        QVERIFY(h.endpoint->waitForFinished(30000));
        QTest::qWait(300); // let Restate meet the closed connection
        QVERIFY(h.startEndpoint());
        QVERIFY(!h.waitFor(id, QStringLiteral("completed")).is_null());
        const auto trace = importOne(h.restate.adminUrl(), id);
        QCOMPARE(steps(trace).size(), 4);
        // The attempt that died shows as a failed attempt of the second LLM call.
        bool underSecondCall = false;
        QStringList seen;
        for (const auto& span : trace.spans) {
            if (trace.spanKind(span) != SpanKind::RetryAttempt)
                continue;
            seen << QString::fromStdString(std::string(trace.str(span.error)) + " under "
                + (span.parent < 0 ? "root"
                                   : std::string(trace.str(trace.spans[size_t(span.parent)].id))));
            if (span.parent < 0)
                continue;
            const auto& parent = trace.spans[size_t(span.parent)];
            underSecondCall |= trace.spanKind(parent) == SpanKind::LlmCall
                && trace.str(parent.id) == (id.toStdString() + "/5");
        }
        QVERIFY2(underSecondCall, qPrintable(seen.join(QStringLiteral("; "))));
    }

    void snapshotReimportsIdentically()
    {
        AdminClient client(h.restate.adminUrl().toStdString());
        const auto fetched = client.fetch({});
        QVERIFY2(fetched.complete, fetched.error.c_str());
        const auto live = importers::restate::importSnapshot(fetched.snapshot, "live");
        const QString folder = h.dir.filePath(QStringLiteral("snapshot"));
        std::string error;
        QVERIFY2(importers::restate::saveSnapshot(fetched.snapshot, folder.toStdString(), error),
            error.c_str());
        QVERIFY(importers::restate::isSnapshotFolder(folder.toStdString()));
        const auto saved = importers::restate::importSnapshotFolder(folder.toStdString());
        QCOMPARE(saved.traces.size(), live.traces.size());
        QVERIFY(live.traces.size() >= 5);
        for (size_t i = 0; i < live.traces.size(); ++i) {
            const auto& a = live.traces[i];
            const auto& b = saved.traces[i];
            QCOMPARE(a.id, b.id);
            QCOMPARE(a.spans.size(), b.spans.size());
            for (size_t s = 0; s < a.spans.size(); ++s) {
                QCOMPARE(a.spans[s].startNs, b.spans[s].startNs);
                QCOMPARE(a.spans[s].endNs, b.spans[s].endNs);
                QCOMPARE(a.spanName(a.spans[s]), b.spanName(b.spans[s]));
                QCOMPARE(a.str(a.spans[s].error), b.str(b.spans[s].error));
            }
        }
        // Paging does not change what is read: one invocation per page, three queries each.
        AdminClient paged(h.restate.adminUrl().toStdString());
        FetchOptions small;
        small.pageSize = 1;
        const auto pages = paged.fetch({}, small);
        QCOMPARE(pages.invocations, fetched.invocations);
        QCOMPARE(pages.snapshot.invocations.size(), size_t(fetched.invocations));
    }

    void filtersAndTheCommandLine()
    {
        AdminClient client(h.restate.adminUrl().toStdString());
        AdminFilter paused;
        paused.statuses = { "paused" };
        paused.service = "WriterAgentRestate";
        const auto onlyPaused = client.fetch(paused);
        QVERIFY2(onlyPaused.invocations == 1,
            h.rows(QStringLiteral("SELECT id, status, target FROM sys_invocation")).dump().c_str());
        AdminFilter none;
        none.handler = "no_such_handler";
        QCOMPARE(client.fetch(none).invocations, 0);
        AdminFilter future;
        future.createdFromMs = QDateTime::currentMSecsSinceEpoch() + 3600000;
        QCOMPARE(client.fetch(future).invocations, 0);

        // twintrace import ADMIN_URL --json, as DESIGN section 6 prints it.
        QProcess cli;
        cli.start(QStringLiteral(TT_TWINTRACE),
            { QStringLiteral("import"), h.restate.adminUrl(), QStringLiteral("--status"),
                QStringLiteral("completed"), QStringLiteral("--json") });
        QVERIFY(cli.waitForFinished(30000));
        QCOMPARE(cli.exitCode(), 0);
        const json printed = json::parse(cli.readAllStandardOutput().toStdString());
        const json completed
            = h.rows(QStringLiteral("SELECT id FROM sys_invocation WHERE status = 'completed'"));
        QVERIFY(completed.size() >= 3); // nominal, terminal failure, crash and resume
        QCOMPARE(printed.at("traces").get<size_t>(), completed.size());
        for (const json& trace : printed.at("traces_detail")) {
            QCOMPARE(trace.at("source").get<std::string>(), std::string("restate"));
            QCOMPARE(trace.at("root").get<std::string>(), std::string("WriterAgentRestate/run"));
        }
    }

    void incrementalPollReturnsOnlyWhatChanged()
    {
        AdminClient client(h.restate.adminUrl().toStdString());
        const auto first = client.poll({});
        QVERIFY(first.invocations >= 5);
        const QString id = run(QStringLiteral("nominal"));
        QVERIFY(!h.waitFor(id, QStringLiteral("completed")).is_null());
        QTest::qWait(1100); // past the poll's one-second overlap
        const auto next = client.poll({});
        QVERIFY2(next.complete, next.error.c_str());
        const auto result = importers::restate::importSnapshot(next.snapshot, "poll");
        QStringList ids;
        for (const auto& trace : result.traces)
            ids << QString::fromStdString(trace.id);
        QVERIFY2(ids.contains(id), qPrintable(ids.join(QLatin1Char(' '))));
        QVERIFY2(next.invocations < first.invocations, qPrintable(ids.join(QLatin1Char(' '))));
    }

    void serverStartingAndVanishing()
    {
        // A second server, fetched from the moment it is launched: refused connections and
        // "node lookup for partition" 500s are waited out.
        QTemporaryDir base;
        const int admin = engine::freeLoopbackPort(), ingress = engine::freeLoopbackPort(),
                  node = engine::freeLoopbackPort();
        QProcess server;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("RESTATE_BIND_IP"), QStringLiteral("127.0.0.1"));
        env.insert(QStringLiteral("RESTATE_BASE_DIR"), base.path());
        env.insert(QStringLiteral("RESTATE_ADMIN__BIND_ADDRESS"),
            QStringLiteral("127.0.0.1:%1").arg(admin));
        env.insert(QStringLiteral("RESTATE_INGRESS__BIND_ADDRESS"),
            QStringLiteral("127.0.0.1:%1").arg(ingress));
        env.insert(QStringLiteral("RESTATE_BIND_PORT"), QString::number(node));
        server.setProcessEnvironment(env);
        server.setProcessChannelMode(QProcess::MergedChannels);
        server.setStandardOutputFile(base.filePath(QStringLiteral("restate.log")));
        server.start(engine::RestateServer::findBinary(),
            { QStringLiteral("--no-logo"), QStringLiteral("--listen-mode"),
                QStringLiteral("tcp") });
        QVERIFY(server.waitForStarted());
        const QString url = QStringLiteral("http://127.0.0.1:%1").arg(admin);
        AdminClient early(url.toStdString());
        const auto empty = early.fetch({});
        QVERIFY2(empty.complete, empty.error.c_str());
        QVERIFY2(empty.queries > 3, "the server answered at once: nothing was waited out");

        // Three invocations of a one-step service, then the server dies between two pages.
        restate::Endpoint endpoint;
        restate::ServiceDefinition service;
        service.name = "Echo";
        service.handlers.push_back({ "run",
            [](restate::Context& ctx) { return ctx.run("echo", [&] { return ctx.input(); }); } });
        endpoint.addService(std::move(service));
        std::string bindError;
        QVERIFY2(endpoint.start(bindError), bindError.c_str());
        int status = 0;
        engine::postJson(url + QStringLiteral("/deployments"),
            QByteArray::fromStdString(
                json { { "uri", endpoint.url() } }.dump()), // HTTP/2, as the endpoint serves
            status, 20000);
        QCOMPARE(status, 201);
        for (int i = 0; i < 3; ++i) {
            engine::postJson(QStringLiteral("http://127.0.0.1:%1/Echo/run").arg(ingress),
                "\"hello\"", status, 20000);
            QCOMPARE(status, 200);
        }
        AdminClient client(url.toStdString());
        FetchOptions options;
        options.pageSize = 1;
        options.progress = [&server](const std::string&) {
            if (server.state() == QProcess::Running) {
                server.kill();
                server.waitForFinished();
            }
        };
        const auto cut = client.fetch({}, options);
        QVERIFY(!cut.complete);
        QVERIFY2(QString::fromStdString(cut.error).contains(QLatin1String("stopped answering")),
            cut.error.c_str());
        const auto kept = importers::restate::importSnapshot(cut.snapshot, "cut");
        QCOMPARE(kept.traces.size(), size_t(1)); // the page read before the server went away
        endpoint.stop();
    }

    void rateLimitedAndSlowAnswers()
    {
        // restate-server answers 429 with Retry-After under load and can be slow; neither can be
        // provoked on an idle local server, so a small HTTP server plays those answers.
        httplib::Server fake;
        std::atomic<int> calls { 0 };
        fake.Post("/query", [&](const httplib::Request& request, httplib::Response& response) {
            if (request.get_header_value("accept") != "application/json") {
                response.status = 400;
                return;
            }
            if (calls++ == 0) {
                response.status = 429;
                response.set_header("Retry-After", "1");
                response.set_content("{\"message\":\"too many queries\"}", "application/json");
                return;
            }
            if (request.body.find("slow") != std::string::npos)
                std::this_thread::sleep_for(std::chrono::milliseconds(1500));
            response.set_content("{\"rows\":[]}", "application/json");
        });
        const int port = fake.bind_to_any_port("127.0.0.1");
        std::thread serving([&] { fake.listen_after_bind(); });
        AdminClient client("http://127.0.0.1:" + std::to_string(port));
        QElapsedTimer clock;
        clock.start();
        const auto fetched = client.fetch({});
        QVERIFY2(fetched.complete, fetched.error.c_str());
        QVERIFY(clock.elapsed() >= 900); // Retry-After was obeyed
        FetchOptions quick;
        quick.queryTimeoutMs = 300;
        AdminFilter slow;
        slow.service = "slow";
        const auto timedOut = client.fetch(slow, quick);
        QVERIFY(!timedOut.complete);
        QVERIFY2(
            QString::fromStdString(timedOut.error).contains(QLatin1String("no complete answer")),
            timedOut.error.c_str());
        fake.stop();
        serving.join();
    }

    void cleanupTestCase() { h.stop(); }
};

QTEST_GUILESS_MAIN(TestRestateImport)
#include "tst_restateimport.moc"
