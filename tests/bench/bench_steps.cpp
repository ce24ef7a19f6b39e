// SPDX-License-Identifier: MIT
// What one durable step costs, by transport, side by side on ONE restate-server in one run: the
// same handler (n ctx.run steps, each returning a short string) served by our endpoint over
// HTTP/2 (a bidirectional stream per attempt), by our endpoint over HTTP/1.1 (request-response:
// one request per step) and by Restate's official TypeScript SDK over HTTP/2 (steps-ts.mjs), each
// called through the ingress for n = 1, 5, 10, 20, plus a handler without steps as each one's
// floor. scripts/bench.sh turns the medians into slopes (ms per step) and ratios.
#include "agents/restate/endpoint.h"
#include "engine/restate/restateserver.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QProcess>

#include <benchmark/benchmark.h>
#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <sstream>

#include <sys/resource.h>
#include <unistd.h>

namespace {

// CPU time (user + system) of a process so far, in ms; 0 when it cannot be read.
double cpuMsOf(qint64 pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (pid <= 0 || !std::getline(in, line))
        return 0;
    std::istringstream fields(line.substr(line.rfind(')') + 2)); // after "pid (comm) "
    std::string field;
    double ticks = 0;
    for (int i = 3; i <= 15 && fields >> field; ++i)
        if (i == 14 || i == 15) // utime, stime
            ticks += std::stod(field);
    return ticks * 1000.0 / double(sysconf(_SC_CLK_TCK));
}

double selfCpuMs()
{
    rusage usage {};
    getrusage(RUSAGE_SELF, &usage);
    return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3
        + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

tt::restate::ServiceDefinition stepsService(const std::string& name)
{
    tt::restate::ServiceDefinition service;
    service.name = name;
    service.handlers.push_back(
        { "run", [](tt::restate::Context& ctx) {
             const int n = std::atoi(ctx.input().c_str());
             std::string last = "\"\"";
             for (int i = 0; i < n; ++i)
                 last = ctx.run("step", [i] { return "\"step " + std::to_string(i) + "\""; });
             return last;
         } });
    service.handlers.push_back(
        { "noop", [](tt::restate::Context&) { return std::string("\"\""); } });
    return service;
}

struct Fixture
{
    tt::engine::RestateServer restate;
    std::unique_ptr<tt::restate::Endpoint> h2;
    std::unique_ptr<tt::restate::Endpoint> h1;
    QProcess node;
    std::string error;

    bool registerAt(const QString& url, bool http11)
    {
        QString problem;
        if (restate.registerDeployment(url, problem, http11).isEmpty()) {
            error = problem.toStdString();
            return false;
        }
        return true;
    }

    bool start()
    {
        QString problem;
        if (!restate.start(problem)) {
            error = problem.toStdString();
            return false;
        }
        for (auto transport : { tt::restate::Transport::Http2, tt::restate::Transport::Http1 }) {
            tt::restate::Endpoint::Options options;
            options.transport = transport;
            auto endpoint = std::make_unique<tt::restate::Endpoint>(options);
            const bool http11 = transport == tt::restate::Transport::Http1;
            endpoint->addService(stepsService(http11 ? "StepsH1" : "StepsH2"));
            if (!endpoint->start(error)
                || !registerAt(QString::fromStdString(endpoint->url()), http11))
                return false;
            (http11 ? h1 : h2) = std::move(endpoint);
        }
        const int port = tt::engine::freeLoopbackPort();
        node.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        node.start(QStringLiteral("node"), { QStringLiteral(TT_STEPS_TS), QString::number(port) });
        QElapsedTimer clock;
        clock.start();
        while (!node.canReadLine() && clock.elapsed() < 20000)
            node.waitForReadyRead(100);
        if (!node.readLine().contains("listening")) {
            error = "the TypeScript SDK's service did not start (node, npm ci?)";
            return false;
        }
        return registerAt(QStringLiteral("http://127.0.0.1:%1").arg(port), false);
    }

    void stop()
    {
        node.terminate();
        node.waitForFinished(5000);
        h2->stop();
        h1->stop();
        restate.stop();
    }
};

Fixture* g_fixture = nullptr;

// One ingress call per iteration; the median call time is the counter the slopes use. CPU per
// call beside it, which the other work on a shared machine disturbs less: restate-server's, and
// the service side's (this process: the client and, for ours, the endpoint; for the TypeScript
// SDK, node's on top of the same client).
void stepCall(benchmark::State& state, const std::string& service, int steps)
{
    const qint64 serverPid = g_fixture->restate.processId();
    const qint64 nodePid = service == "StepsTs" ? g_fixture->node.processId() : 0;
    httplib::Client ingress("127.0.0.1", g_fixture->restate.ingressPort());
    ingress.set_read_timeout(60);
    ingress.set_keep_alive(true);
    ingress.set_tcp_nodelay(true); // else Nagle holds the body back 40 ms behind the headers
    const std::string path = "/" + service + (steps < 0 ? "/noop" : "/run");
    const std::string body = std::to_string(std::max(steps, 0));
    for (int i = 0; i < 10; ++i) // warm: connections from the server to the endpoint
        ingress.Post(path, body, "application/json");
    std::vector<double> times;
    const double serverBefore = cpuMsOf(serverPid);
    const double serviceBefore = selfCpuMs() + cpuMsOf(nodePid);
    for (auto _ : state) {
        const auto started = std::chrono::steady_clock::now();
        auto answer = ingress.Post(path, body, "application/json");
        times.push_back(
            std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started)
                .count());
        if (!answer || answer->status != 200) {
            state.SkipWithError(answer ? answer->body.c_str() : "the ingress did not answer");
            return;
        }
    }
    const double calls = double(times.size());
    state.counters["server_cpu_ms"] = (cpuMsOf(serverPid) - serverBefore) / calls;
    state.counters["service_cpu_ms"] = (selfCpuMs() + cpuMsOf(nodePid) - serviceBefore) / calls;
    std::sort(times.begin(), times.end());
    state.counters["median_ms"] = times[times.size() / 2];
    state.counters["steps"] = std::max(steps, 0);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // QProcess needs one
    benchmark::Initialize(&argc, argv);
    Fixture fixture;
    if (!fixture.start()) {
        std::fprintf(stderr, "bench_steps: %s\n", fixture.error.c_str());
        return 1;
    }
    g_fixture = &fixture;
    // By step count, then by implementation: the three stand side by side at each n.
    for (const int steps : { -1, 1, 5, 10, 20 })
        for (const char* service : { "StepsH2", "StepsH1", "StepsTs" }) {
            const std::string name = std::string(service) + "/"
                + (steps < 0 ? std::string("noop") : std::to_string(steps));
            benchmark::RegisterBenchmark(name.c_str(), stepCall, std::string(service), steps)
                ->Iterations(200)
                ->Unit(benchmark::kMillisecond)
                ->UseRealTime();
        }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    fixture.stop();
    return 0;
}
