// SPDX-License-Identifier: MIT
#include "runner.h"

#include "engine/env/externalcheck.h"
#include "engine/gpu/gpusampler.h"

#include "lanes.h"
#include "resultcheck.h"
#include "session.h"
#include "setuptime.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QUuid>

#include <QThread>

#include <algorithm>
#include <deque>
#include <memory>

namespace tt::engine {

ExperimentRunner::ExperimentRunner(ExperimentOptions options, Catalog catalog)
    : m_options(std::move(options))
    , m_catalog(std::move(catalog))
{
    if (m_options.binDir.isEmpty())
        m_options.binDir = QCoreApplication::applicationDirPath();
}

ExperimentRunner::~ExperimentRunner() = default;

void ExperimentRunner::setProgress(std::function<void(const ExperimentProgress&)> progress)
{
    m_progress = std::move(progress);
}

void ExperimentRunner::setCancel(const std::atomic<bool>* cancel)
{
    m_cancel = cancel;
}

namespace {

// How runs are timed (RunRecord::wallMs); stores of another method are not resumed into.
constexpr const char* kClock = "engine: work handed over -> result known";

// What the report's Environment section names: the parts that really ran, ours or the team's.
void describeWhatRuns(const ExperimentOptions& options, ResultStore& store)
{
    if (const ExternalConfig* external = options.external.get()) {
        int status = 0;
        const QJsonArray models = QJsonDocument::fromJson(
            sendJson(
                "GET", external->llm.upstream + QStringLiteral("/v1/models"), {}, status, 5000))
                                      .object()
                                      .value(QLatin1String("data"))
                                      .toArray();
        const QString model = models.isEmpty()
            ? QStringLiteral("model unknown (/v1/models answered HTTP %1)").arg(status)
            : QStringLiteral("model %1")
                  .arg(models.first().toObject().value(QLatin1String("id")).toString());
        store.setMeta(QStringLiteral("llm"),
            QStringLiteral("the team's server at %1, %2, behind TwinTrace's fault proxy on %3")
                .arg(external->llm.upstream, model, external->llm.proxyListen));
        const QJsonObject version = QJsonDocument::fromJson(
            sendJson("GET", external->durable.admin + QStringLiteral("/version"), {}, status, 5000))
                                        .object();
        store.setMeta(QStringLiteral("restate_version"),
            version.value(QLatin1String("version")).toString().isEmpty()
                ? QStringLiteral("the team's server at %1 (its version unknown: /version "
                                 "answered HTTP %2)")
                      .arg(external->durable.admin)
                      .arg(status)
                : QStringLiteral("%1, the team's server at %2")
                      .arg(version.value(QLatin1String("version")).toString(),
                          external->durable.admin));
        store.setMeta(QStringLiteral("writers"),
            QStringLiteral("the team's: baseline `%1`; durable %2/%3 through the ingress %4")
                .arg(external->baseline.command.join(QLatin1Char(' ')), external->durable.service,
                    external->durable.handler, external->durable.ingress));
        QStringList notPassed;
        for (const char* setting : { "client_timeout_s", "max_retries" })
            if (!external->mentions(QLatin1String(setting)))
                notPassed << QLatin1String(setting);
        store.setMeta(QStringLiteral("settings_not_passed"), notPassed.join(QLatin1Char(',')));
        return;
    }
    store.setMeta(QStringLiteral("llm"),
        QStringLiteral("twintrace-llm stand-in, latency model of gpt-oss-20b on a DGX Spark "
                       "(DESIGN.md section 5), time scale %1")
            .arg(options.timeScale));
    store.setMeta(QStringLiteral("writers"),
        QStringLiteral("TwinTrace's C++ Writers: the baseline as one process per run; the durable "
                       "one as a Restate service endpoint (%1)")
            .arg(options.transport == QLatin1String("h1")
                    ? QStringLiteral("HTTP/1.1, request-response mode: one request per step")
                    : QStringLiteral("HTTP/2, a bidirectional stream per attempt")));
}

// The lanes' set-up timings: the first one timed of each part.
void mergeSetup(SetupParts& into, const SetupParts& lane)
{
    for (auto part : { &SetupParts::serverStartMs, &SetupParts::registerMs })
        if (into.*part < 0)
            into.*part = lane.*part;
}

} // namespace

int defaultParallelism(bool external)
{
    // A real LLM's latency changes with the calls it serves at once; the stand-in's is a model.
    return external ? 1 : kDefaultParallel;
}

int parallelism(const ExperimentOptions& options)
{
    return options.parallel > 0 ? options.parallel : defaultParallelism(bool(options.external));
}

bool ExperimentRunner::run(QString& error)
{
    ResultStore store;
    SetupParts setup; // timed as the lanes set up; stored once the first durable run succeeds
    // Tells this process's run ids from an interrupted one's.
    const QString session = QUuid::createUuid().toString(QUuid::Id128).left(8);
    const auto bin
        = [this](const char* name) { return QDir(m_options.binDir).filePath(QLatin1String(name)); };
    const auto selected = m_catalog.select(m_options.scenarios, error);
    if (!selected)
        return false;
    for (const QString& variant : m_options.variants) {
        if (!knownVariants().contains(variant)) {
            error = QStringLiteral("unknown variant \"%1\" (expected %2)")
                        .arg(variant, knownVariants().join(QStringLiteral(", ")));
            return false;
        }
        // The team's baseline command is theirs to relaunch; the supervisor runs ours.
        if (m_options.external && variant == QLatin1String("baseline-restart")) {
            error = QStringLiteral("baseline-restart relaunches TwinTrace's own baseline Writer; "
                                   "with --config, choose --variants baseline,restate");
            return false;
        }
    }
    for (const char* tool :
        { "twintrace-llm", "twintrace-writer-baseline", "twintrace-writer-restate" })
        if (!QFileInfo::exists(bin(tool))) {
            error = QStringLiteral("%1 is missing: build it (scripts/setup.sh)").arg(bin(tool));
            return false;
        }
    if (m_options.external) {
        // The team's Writers are not ours to kill at a step or to make fail once.
        for (const Scenario& scenario : *selected)
            if (!scenario.crashAt.isEmpty() || !scenario.failOnce.isEmpty()
                || scenario.breaksRestate()) {
                error = QStringLiteral(
                    "%1 needs TwinTrace's own Writers and Restate server (it "
                    "kills or breaks them at a step); with --config, choose LLM-side scenarios "
                    "(nominal, transient-llm, llm-timeout, malformed-output, "
                    "persistent-outage)")
                            .arg(scenario.id);
                return false;
            }
    }
    if (m_options.external && parallelism(m_options) > 1) {
        // One proxy on the address the team's Writers call: one stand-in, so one lane.
        error = QStringLiteral("--parallel %1 with --config: the fault proxy listens on the one "
                               "address the team's Writers call (%2), so their runs go one at a "
                               "time; use --parallel 1")
                    .arg(parallelism(m_options))
                    .arg(m_options.external->llm.proxyListen);
        return false;
    }
    if (m_options.external) {
        // The team's parts are checked before anything starts: a missing command, a taken port
        // or an unknown service is the experiment's error, not a failed run.
        error = firstProblem(checkExternal(*m_options.external));
        if (!error.isEmpty())
            return false;
    }
    if (!store.open(m_options.outDir, error))
        return false;
    const QString logDir = QDir(m_options.outDir).filePath(QStringLiteral("logs"));
    QDir().mkpath(logDir);
    const auto finished = store.finished();
    const int total = int(selected->size()) * int(m_options.variants.size()) * m_options.runs;
    int done = 0;
    for (const Scenario& scenario : *selected)
        for (const QString& variant : m_options.variants)
            for (int n = 1; n <= m_options.runs; ++n)
                done += finished.count({ scenario.id, variant, n }) ? 1 : 0;
    const auto report = [&](const QString& message, const RunRecord* record = nullptr) {
        if (m_progress)
            m_progress({ done, total, message, record });
    };
    // Runs made with other settings must not be pooled with these.
    if (!finished.empty() && store.meta(QStringLiteral("clock")) != QLatin1String(kClock)) {
        error = QStringLiteral("%1 holds runs timed another way (before every variant was timed "
                               "on the engine's clock): choose another --out")
                    .arg(m_options.outDir);
        return false;
    }
    if (!finished.empty()) {
        const QString seed = store.meta(QStringLiteral("seed"));
        const QString scale = store.meta(QStringLiteral("time_scale"));
        // Stores from before the transport was recorded ran HTTP/1.1.
        QString transport = store.meta(QStringLiteral("transport"));
        if (transport.isEmpty())
            transport = QStringLiteral("h1");
        if ((!seed.isEmpty() && seed != QString::number(m_options.seed))
            || (!scale.isEmpty() && scale != QString::number(m_options.timeScale))
            || transport != m_options.transport) {
            error = QStringLiteral("%1 holds runs made with --seed %2 --time-scale %3 --transport "
                                   "%4: resume with those, or choose another --out")
                        .arg(m_options.outDir, seed, scale, transport);
            return false;
        }
    }
    if (done > 0)
        report(QStringLiteral("resuming: %1 of %2 runs already in %3")
                   .arg(done)
                   .arg(total)
                   .arg(store.path()));
    if (done == total) {
        report(QStringLiteral("nothing left to run"));
        return true;
    }
    m_started = true;
    store.setMeta(QStringLiteral("catalog"), m_catalog.path);
    store.setMeta(QStringLiteral("seed"), QString::number(m_options.seed));
    store.setMeta(QStringLiteral("clock"), QLatin1String(kClock));
    store.setMeta(QStringLiteral("time_scale"), QString::number(m_options.timeScale));
    store.setMeta(QStringLiteral("transport"), m_options.transport);

    // The GPU's load and memory through the whole experiment, when this machine has one (the
    // team's DGX Spark runs the LLM there): a GPU lane under every run, and the report's line.
    std::unique_ptr<GpuSampler> gpu;
    if (m_options.gpuSampleMs > 0) {
        QString noGpu;
        if (auto nvml = Nvml::open(noGpu)) {
            gpu = std::make_unique<GpuSampler>(std::move(nvml),
                QDir(m_options.outDir).filePath(QStringLiteral("gpu.jsonl")),
                m_options.gpuSampleMs);
            QString gpuError;
            if (gpu->start(gpuError))
                report(QStringLiteral("sampling %1 GPU(s) every %2 ms")
                           .arg(gpu->devices().size())
                           .arg(m_options.gpuSampleMs));
            else
                report(QStringLiteral("GPU telemetry off: %1").arg(gpuError));
        }
    }

    const bool needsRestate = m_options.variants.contains(QStringLiteral("restate"));
    describeWhatRuns(m_options, store);
    if (m_options.external)
        store.setMeta(QStringLiteral("external_config"), m_options.external->path);
    else if (needsRestate)
        store.setMeta(QStringLiteral("restate_version"), RestateServer::version());

    // Scenario by scenario, as one after another would run them: a lane keeps its stand-in
    // while the runs it takes stay in one scenario.
    std::deque<ScheduledRun> todo;
    for (const Scenario& scenario : *selected)
        for (int n = 1; n <= m_options.runs; ++n)
            for (const QString& variant : m_options.variants)
                if (!finished.count({ scenario.id, variant, n }))
                    todo.push_back({ &scenario, variant, n });
    const int lanes = std::min(int(todo.size()), parallelism(m_options));
    store.setMeta(QStringLiteral("parallel"), QString::number(parallelism(m_options)));
    const int staggerMs = laneStaggerMs(m_options.timeScale);
    store.setMeta(QStringLiteral("lane_stagger_ms"), QString::number(staggerMs));
    if (needsRestate && !m_options.external)
        report(lanes > 1 ? QStringLiteral("%1 lanes, each with its own restate-server, durable "
                                          "endpoint and stand-in")
                               .arg(lanes)
                         : QStringLiteral("starting restate-server"));
    else if (lanes > 1)
        report(QStringLiteral("%1 lanes, each with its own stand-in").arg(lanes));
    if (const auto install = recordedInstall(RestateServer::findBinary());
        install && needsRestate && !m_options.external) {
        setup.installMs = install->installMs;
        setup.installHow = install->installHow;
    }

    Schedule schedule(std::move(todo), lanes, staggerMs);
    std::vector<std::unique_ptr<RunSession>> sessions;
    std::vector<std::unique_ptr<QThread>> threads;
    for (int lane = 1; lane <= lanes; ++lane) {
        auto laneSession = std::make_unique<RunSession>();
        laneSession->options = m_options;
        laneSession->catalog = m_catalog;
        laneSession->cancel = schedule.stopping();
        laneSession->logDir = logDir;
        laneSession->lane = lanes > 1 ? QStringLiteral("-%1").arg(lane) : QString();
        laneSession->session = session + laneSession->lane;
        threads.emplace_back(QThread::create(
            [&, s = laneSession.get(), lane] { runLane(*s, schedule, needsRestate, lane - 1); }));
        sessions.push_back(std::move(laneSession));
        threads.back()->start();
    }
    // This thread alone writes the store and reports, in the order the runs end.
    const auto running = [&] {
        return std::any_of(threads.begin(), threads.end(),
            [](const auto& thread) { return !thread->isFinished(); });
    };
    bool cancelled = false;
    for (bool more = true; more;) {
        more = running(); // events posted before a lane ended are taken below
        if (m_cancel && m_cancel->load() && !cancelled) {
            cancelled = true;
            schedule.stop();
        }
        for (LaneEvent& event : schedule.take(100)) {
            mergeSetup(setup, event.setup);
            if (event.kind == LaneEvent::Kind::Failed) {
                if (error.isEmpty())
                    error = event.text;
                continue;
            }
            if (event.kind != LaneEvent::Kind::Finished) {
                report(event.text);
                continue;
            }
            const RunRecord& record = *event.record;
            QString storeError;
            if (!store.add(record, storeError)) {
                if (error.isEmpty())
                    error = storeError;
                schedule.stop();
                continue;
            }
            if (record.variant == QLatin1String("restate") && record.success
                && setup.firstRunMs < 0)
                setup.firstRunMs = record.wallMs;
            storeSetupParts(store, setup); // what is timed so far, kept once
            ++done;
            report(QStringLiteral("%1 %2 #%3: %4 in %5 s, %6 LLM calls")
                       .arg(record.scenario, record.variant)
                       .arg(record.runIndex)
                       .arg(record.outcome)
                       .arg(record.wallMs / 1000, 0, 'f', 2)
                       .arg(record.llmRequests),
                &record);
        }
    }
    for (const auto& thread : threads)
        thread->wait();
    if (!error.isEmpty())
        return false;
    if (cancelled || done < total) {
        error = QStringLiteral("cancelled after %1 of %2 runs").arg(done).arg(total);
        return false;
    }
    return true;
}

} // namespace tt::engine
