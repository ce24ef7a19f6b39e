// SPDX-License-Identifier: MIT
#include "durablewriter.h"

#include "agents/writer/commandline.h"
#include "agents/writer/emitters.h"

#include <QHash>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>

namespace tt::durable {

using nlohmann::json;
using writer::StepResult;

namespace {

// Journals each step of the Writer through a Restate context: what a step returns is its
// recorded value; a transient failure ends the attempt with a retryable error on that step.
class RestateSteps : public writer::StepRunner
{
public:
    RestateSteps(restate::Context& context, writer::Tracer& tracer)
        : m_context(context)
        , m_tracer(tracer)
    { }

    StepResult run(const QString& step, const std::string& durableName,
        const std::function<StepResult()>& work) override
    {
        const std::string recorded = m_context.run(durableName, [&] {
            // Fresh span ids for work that really runs (replays draw none).
            m_tracer.reseed(uint64_t(writer::Tracer::nowUs()) ^ qHash(step));
            StepResult result = work();
            if (result.failure == StepResult::Failure::Transient)
                throw restate::RetryableError(result.error.toStdString());
            return json {
                { "value", result.value },
                { "terminal", result.failure == StepResult::Failure::Terminal },
                { "error", result.error.toStdString() }
            }.dump();
        });
        const json parsed = json::parse(recorded, nullptr, false);
        if (!parsed.is_object())
            throw restate::TerminalError(
                "the journal's record of " + step.toStdString() + " is not the Writer's JSON");
        StepResult result;
        result.value = parsed.value("value", json::object());
        if (parsed.value("terminal", false))
            result.failure = StepResult::Failure::Terminal;
        result.error = QString::fromStdString(parsed.value("error", std::string()));
        return result;
    }

private:
    restate::Context& m_context;
    writer::Tracer& m_tracer;
};

// What one invocation keeps between its attempts in this process: the tracer and its emitters,
// so spans of later attempts join the trace the first one started. A new process (after a
// crash) starts a new session with the same trace id.
struct Session
{
    std::mutex lock; // attempts of one invocation never overlap; this makes sure
    std::unique_ptr<writer::Tracer> tracer;
    uint64_t idSeed = 0;
    bool announced = false;
    std::chrono::steady_clock::time_point lastUsed = std::chrono::steady_clock::now();
};

class Sessions
{
public:
    std::shared_ptr<Session> get(const std::string& invocation)
    {
        std::lock_guard<std::mutex> guard(m_lock);
        pruneIdle();
        auto& session = m_sessions[invocation];
        if (!session)
            session = std::make_shared<Session>();
        session->lastUsed = std::chrono::steady_clock::now();
        return session;
    }
    void drop(const std::string& invocation)
    {
        std::lock_guard<std::mutex> guard(m_lock);
        m_sessions.erase(invocation);
    }

private:
    // Invocations that never finish here (killed, cancelled, paused, or finished by another
    // process) would keep their tracer and open trace files: idle ones are let go. A later
    // attempt of one starts a new session, as after a restart.
    void pruneIdle()
    {
        const auto now = std::chrono::steady_clock::now();
        for (auto it = m_sessions.begin(); it != m_sessions.end();) {
            const bool idle = now - it->second->lastUsed > std::chrono::minutes(15);
            const bool tooMany
                = m_sessions.size() > 4096 && now - it->second->lastUsed > std::chrono::seconds(30);
            it = (idle || tooMany) && it->second.use_count() == 1 ? m_sessions.erase(it)
                                                                  : std::next(it);
        }
    }

    std::mutex m_lock;
    std::map<std::string, std::shared_ptr<Session>> m_sessions;
};

QString text(const json& object, const char* key)
{
    const auto found = object.find(key);
    return found != object.end() && found->is_string()
        ? QString::fromStdString(found->get<std::string>())
        : QString();
}

std::string runHandler(
    restate::Context& context, const DurableWriterOptions& options, Sessions& sessions)
{
    const json in = json::parse(context.input(), nullptr, false);
    writer::WriterInput input;
    QString error;
    if (!writer::readWriterInput(in, input, error))
        throw restate::TerminalError("bad_input: " + error.toStdString(), 400);
    const QString problem = writer::validateInput(input);
    if (!problem.isEmpty())
        throw restate::TerminalError("bad_input: " + problem.toStdString(), 400);

    const std::string invocation = context.invocationId();
    writer::WriterConfig config = options.writer;
    config.runId = text(in, "run_id");
    if (config.runId.isEmpty())
        config.runId = QString::fromStdString(invocation);
    config.retry.jitterSeed = qHash(config.runId) ^ context.retryCount();
    config.idempotentSave = true;
    const json failOnce = in.value("fail_once", json::object());
    if (failOnce.is_object() && failOnce.contains("step")) {
        config.failOnceStep = text(failOnce, "step");
        config.failOnceMarker = text(failOnce, "marker");
    }

    const std::shared_ptr<Session> session = sessions.get(invocation);
    std::lock_guard<std::mutex> guard(session->lock);
    if (!session->tracer) {
        session->tracer = std::make_unique<writer::Tracer>(0);
        session->idSeed = qHash(QString::fromStdString(invocation)) | 1;
        const json traces = in.value("traces", json::object());
        writer::EmitterSettings settings;
        settings.openAiJsonl = text(traces, "openai");
        settings.langSmithJsonl = text(traces, "langsmith");
        settings.traceLog = text(traces, "trace_log");
        settings.append = true;
        if (!writer::addEmitters(*session->tracer, settings, error)) {
            sessions.drop(invocation);
            throw restate::TerminalError("bad_input: " + error.toStdString(), 400);
        }
    }
    // The same trace and agent ids on every attempt; announced once per process.
    session->tracer->reseed(session->idSeed);
    config.announceTrace = !session->announced;
    session->announced = true;

    RestateSteps steps(context, *session->tracer);
    config.steps = &steps;
    writer::ProgressEvents progress;
    if (options.progress)
        progress = writer::jsonProgress([&options, invocation](json line) {
            line["invocation"] = invocation;
            options.progress(std::move(line));
        });
    const writer::WriterOutcome result
        = writer::runWriter(input, config, *session->tracer, progress);
    sessions.drop(invocation);
    if (result.outcome != writer::Outcome::Success)
        throw restate::TerminalError(
            std::string(writer::toString(result.outcome)) + ": " + result.message.toStdString(),
            result.outcome == writer::Outcome::BadInput ? 400 : 422);
    return writer::outcomeJson(result).dump();
}

} // namespace

restate::ServiceDefinition writerService(DurableWriterOptions options)
{
    auto sessions = std::make_shared<Sessions>();
    auto shared = std::make_shared<DurableWriterOptions>(std::move(options));
    restate::ServiceDefinition service;
    service.name = "WriterAgentRestate";
    service.documentation = "The team's Writer with each LLM call, read_multiple_files and "
                            "save_report as durable steps (TwinTrace).";
    service.retry = shared->retry;
    service.handlers.push_back({ "run", [shared, sessions](restate::Context& context) {
                                    return runHandler(context, *shared, *sessions);
                                } });
    // Does nothing: an invocation right after registration opens Restate's connection to the
    // endpoint, so the first measured run is not the one that pays for it.
    service.handlers.push_back({ "warmup", [](restate::Context&) { return std::string("{}"); } });
    return service;
}

} // namespace tt::durable
