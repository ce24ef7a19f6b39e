// SPDX-License-Identifier: MIT
#include "runner.h"

#include "engine/env/externalcheck.h"
#include "engine/gpu/gpusampler.h"

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
void describeWhatRuns(RunSession& impl)
{
    const ExperimentOptions& options = impl.options;
    ResultStore& store = impl.store;
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

} // namespace

bool ExperimentRunner::run(QString& error)
{
    RunSession impl;
    impl.options = m_options;
    impl.catalog = m_catalog;
    impl.cancel = m_cancel;
    impl.session = QUuid::createUuid().toString(QUuid::Id128).left(8);
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
        if (!QFileInfo::exists(impl.bin(QLatin1String(tool)))) {
            error = QStringLiteral("%1 is missing: build it (scripts/setup.sh)")
                        .arg(impl.bin(QLatin1String(tool)));
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
    if (m_options.external) {
        // The team's parts are checked before anything starts: a missing command, a taken port
        // or an unknown service is the experiment's error, not a failed run.
        error = firstProblem(checkExternal(*m_options.external));
        if (!error.isEmpty())
            return false;
    }
    if (!impl.store.open(m_options.outDir, error))
        return false;
    impl.logDir = QDir(m_options.outDir).filePath(QStringLiteral("logs"));
    QDir().mkpath(impl.logDir);
    const auto finished = impl.store.finished();
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
    if (!finished.empty() && impl.store.meta(QStringLiteral("clock")) != QLatin1String(kClock)) {
        error = QStringLiteral("%1 holds runs timed another way (before every variant was timed "
                               "on the engine's clock): choose another --out")
                    .arg(m_options.outDir);
        return false;
    }
    if (!finished.empty()) {
        const QString seed = impl.store.meta(QStringLiteral("seed"));
        const QString scale = impl.store.meta(QStringLiteral("time_scale"));
        // Stores from before the transport was recorded ran HTTP/1.1.
        QString transport = impl.store.meta(QStringLiteral("transport"));
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
                   .arg(impl.store.path()));
    if (done == total) {
        report(QStringLiteral("nothing left to run"));
        return true;
    }
    m_started = true;
    impl.store.setMeta(QStringLiteral("catalog"), m_catalog.path);
    impl.store.setMeta(QStringLiteral("seed"), QString::number(m_options.seed));
    impl.store.setMeta(QStringLiteral("clock"), QLatin1String(kClock));
    impl.store.setMeta(QStringLiteral("time_scale"), QString::number(m_options.timeScale));
    impl.store.setMeta(QStringLiteral("transport"), m_options.transport);

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
    describeWhatRuns(impl);
    if (m_options.external) {
        impl.store.setMeta(QStringLiteral("external_config"), m_options.external->path);
    } else if (needsRestate) {
        report(QStringLiteral("starting restate-server"));
        RestateServer::Options restateOptions;
        restateOptions.keepLogAs
            = QDir(impl.logDir).filePath(QStringLiteral("restate-%1.log").arg(impl.session));
        impl.restate = std::make_unique<RestateServer>(restateOptions);
        QElapsedTimer starting;
        starting.start();
        if (!impl.restate->start(error))
            return false;
        impl.setup.serverStartMs = double(starting.nsecsElapsed()) / 1e6;
        impl.endpointPort = freeLoopbackPort();
        if (const auto install = recordedInstall(RestateServer::findBinary())) {
            impl.setup.installMs = install->installMs;
            impl.setup.installHow = install->installHow;
        }
        impl.store.setMeta(QStringLiteral("restate_version"), RestateServer::version());
    }

    for (const Scenario& scenario : *selected) {
        bool llmStarted = false;
        for (int n = 1; n <= m_options.runs; ++n)
            for (const QString& variant : m_options.variants) {
                if (finished.count({ scenario.id, variant, n }))
                    continue;
                if (impl.cancelled()) {
                    error = QStringLiteral("cancelled after %1 of %2 runs").arg(done).arg(total);
                    return false;
                }
                if (!llmStarted) {
                    if (!impl.startLlm(scenario, error))
                        return false;
                    impl.endpoint.stop(); // its LLM URL changes with the stand-in
                    llmStarted = true;
                }
                const QString runId = QStringLiteral("%1/%2/%3/%4")
                                          .arg(scenario.id, variant)
                                          .arg(n)
                                          .arg(impl.session);
                QElapsedTimer aroundRun;
                aroundRun.start();
                const QString dir = impl.prepareRun(scenario, variant, n, error);
                if (dir.isEmpty())
                    return false;
                report(QStringLiteral("%1 %2 #%3").arg(scenario.id, variant).arg(n));
                const RunPlan plan { scenario, variant, n, dir, runId };
                RunRecord record = variant == QLatin1String("restate")
                    ? impl.runDurable(plan, error)
                    : variant == QLatin1String("baseline-restart") ? impl.runBaselineRestart(plan)
                    : m_options.external ? impl.runExternalBaseline(plan, error)
                                         : impl.runBaseline(plan);
                if (!error.isEmpty())
                    return false;
                if (record.outcome == QLatin1String("cancelled")) {
                    error = QStringLiteral("cancelled after %1 of %2 runs").arg(done).arg(total);
                    return false;
                }
                record.scenario = scenario.id;
                record.variant = variant;
                record.runIndex = n;
                record.seed = m_options.seed;
                record.runDir = dir;
                judgeResult(record, dir + QStringLiteral("/out"), m_catalog.reportHeadings);
                record.writerMs = writerSpanMs(dir);
                record.finishedAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
                // Everything but the run itself: folders, process start, collection.
                record.engineMs
                    = std::max(0.0, double(aroundRun.nsecsElapsed()) / 1e6 - record.wallMs);
                if (!impl.store.add(record, error))
                    return false;
                if (variant == QLatin1String("restate") && record.success
                    && impl.setup.firstRunMs < 0)
                    impl.setup.firstRunMs = record.wallMs;
                storeSetupParts(impl.store, impl.setup); // what is timed so far, kept once
                ++done;
                report(QStringLiteral("%1 %2 #%3: %4 in %5 s, %6 LLM calls")
                           .arg(scenario.id, variant)
                           .arg(n)
                           .arg(record.outcome)
                           .arg(record.wallMs / 1000, 0, 'f', 2)
                           .arg(record.llmRequests),
                    &record);
            }
    }
    impl.endpoint.stop();
    impl.llm.stop();
    if (impl.hasRestate() && needsRestate) {
        QString warning;
        impl.saveJournals(warning);
        report(warning.isEmpty() ? QStringLiteral("journals saved in %1/restate/%2")
                                       .arg(m_options.outDir, impl.session)
                                 : QStringLiteral("the journals could not be saved: ") + warning);
    }
    if (impl.restate)
        impl.restate->stop();
    return true;
}

} // namespace tt::engine
