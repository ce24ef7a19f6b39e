// SPDX-License-Identifier: MIT
#include "writer.h"

#include "filetools.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <csignal>
#include <unistd.h>

namespace tt::writer {

using nlohmann::json;

std::string_view toString(Outcome outcome)
{
    switch (outcome) {
    case Outcome::Success:
        return "success";
    case Outcome::BadInput:
        return "bad_input";
    case Outcome::LlmUnavailable:
        return "llm_unavailable";
    case Outcome::LlmTimeout:
        return "llm_timeout";
    case Outcome::MalformedOutput:
        return "malformed_output";
    case Outcome::SaveFailed:
        return "save_failed";
    case Outcome::ToolFailed:
        return "tool_failed";
    }
    return "unknown";
}

bool CrashPoint::parse(const QString& text, CrashPoint& out, QString& error)
{
    const QStringList parts = text.split(QLatin1Char(':'));
    static const QStringList steps = { QStringLiteral("llm_call"),
        QStringLiteral("read_multiple_files"), QStringLiteral("save_report") };
    const QString step = parts.value(0);
    const int hash = int(step.indexOf(QLatin1Char('#')));
    bool numbered = false;
    if (hash > 0)
        step.mid(hash + 1).toInt(&numbered);
    if (parts.size() > 2 || !numbered || !steps.contains(step.left(hash))) {
        error = QStringLiteral(
            "crash point \"%1\": expected STEP#N[:before|inside|after] with STEP one of "
            "llm_call, read_multiple_files, save_report")
                    .arg(text);
        return false;
    }
    out.step = step;
    const QString phase = parts.value(1, QStringLiteral("before"));
    if (phase == QLatin1String("before"))
        out.phase = Phase::Before;
    else if (phase == QLatin1String("inside"))
        out.phase = Phase::Inside;
    else if (phase == QLatin1String("after"))
        out.phase = Phase::After;
    else {
        error = QStringLiteral("crash point \"%1\": the phase must be before, inside or after")
                    .arg(text);
        return false;
    }
    return true;
}

namespace {

// The writer's instructions: write_prompt.md formatted with the SDK's RECOMMENDED_PROMPT_PREFIX
// and WRITER_OUTPUT_FORMATTING (markdown contract), then the temp folder note the code appends.
QString instructions(const WriterInput& input)
{
    QString text
        = QStringLiteral("# System context\nYou are part of a multi-agent system called the Agents "
                         "SDK, designed to make agent "
                         "coordination and execution easy.\n\n"
                         "You are a senior researcher tasked with writing a cohesive report for a "
                         "research query. You will be "
                         "provided with the original query and the research notes gathered by a "
                         "research assistant.\n\n"
                         "1. Load ALL the files in ONE call to `read_multiple_files`, using the "
                         "paths exactly as given.\n"
                         "2. Use only the content of those files; add no outside knowledge.\n"
                         "3. Write `## Raw Notes` with verbatim excerpts, then `## Detailed "
                         "Agenda`, then `## Report`.\n\n"
                         "Output format (markdown): `# Title`, `## Executive Summary`, `## Raw "
                         "Notes`, `## Detailed Agenda`, "
                         "`## Report`, optionally `## Follow-up Questions`, and end with the line "
                         "`## FINAL STEP`.\n\n");
    text += QStringLiteral(
        "The temporary filesystem is `%1`. Use it ONLY to READ the files listed.\n")
                .arg(input.tempDir);
    return text;
}

QString userPrompt(const WriterInput& input)
{
    QString text = QStringLiteral(
        "Rédige un rapport de recherche exhaustif et détaillé pour la demande suivante : "
        "<research_request>%1</research_request>\n\nSearch results:\n")
                       .arg(input.query);
    for (const QString& file : input.files)
        text += QStringLiteral("- %1\n").arg(
            QDir::isAbsolutePath(file) ? file : QDir(input.tempDir).filePath(file));
    return text;
}

json toolSchema()
{
    return json::array({ { { "type", "function" },
        { "function",
            { { "name", "read_multiple_files" },
                { "description", "Read the contents of multiple files simultaneously." },
                { "parameters",
                    { { "type", "object" },
                        { "properties",
                            { { "paths",
                                { { "type", "array" },
                                    { "items", { { "type", "string" } } } } } } },
                        { "required", json::array({ "paths" }) } } } } } } });
}

class Run
{
public:
    Run(const WriterInput& input, const WriterConfig& config, Tracer& tracer,
        const ProgressEvents& progress)
        : m_input(input)
        , m_files(input.tempDir)
        , m_config(config)
        , m_tracer(tracer)
        , m_progress(progress)
        , m_client(config.llmUrl, config.retry)
    {
        if (!config.runId.isEmpty())
            m_client.setHeader("X-TwinTrace-Run", config.runId.toUtf8());
    }

    WriterOutcome run()
    {
        QElapsedTimer wall;
        wall.start();
        m_tracer.setMuted(!m_config.announceTrace);
        TraceInfo& trace
            = m_tracer.startTrace("Agent workflow", { { "run_id", m_config.runId.toStdString() } });
        m_agent = m_tracer.startSpan(WriterSpan::Type::Agent, "writer_agent", {});
        m_agent.tools = { "read_multiple_files" };
        m_tracer.setMuted(false);
        loop();
        if (m_result.outcome != Outcome::Success)
            m_agent.error = m_result.message.toStdString();
        // A durable run's first steps may come from earlier attempts: the agent began with them.
        if (m_firstStepUs > 0 && m_firstStepUs < m_agent.startUs) {
            m_agent.startUs = m_firstStepUs;
            trace.startUs = std::min(trace.startUs, m_firstStepUs);
        }
        m_tracer.endSpan(m_agent);
        m_tracer.endTrace();
        m_result.wallMs = double(wall.nsecsElapsed()) / 1e6;
        if (m_firstStepUs > 0) // from the first step on, whichever attempt ran it
            m_result.wallMs
                = std::max(m_result.wallMs, double(Tracer::nowUs() - m_firstStepUs) / 1e3);
        return m_result;
    }

private:
    void fail(Outcome outcome, const QString& message)
    {
        m_result.outcome = outcome;
        m_result.message = message;
    }

    QString next(const QString& name)
    {
        return name + QLatin1Char('#') + QString::number(++m_occurrences[name]);
    }

    void crashPoint(const QString& step, CrashPoint::Phase phase)
    {
        if (m_config.crash.step != step || m_config.crash.phase != phase)
            return;
        if (m_progress.crashing)
            m_progress.crashing(step, phase);
        ::raise(SIGKILL); // the same instant every time; nothing after it runs, as with kill -9
    }

    // The injected fault: true (and the marker written) the first time `step` runs.
    bool failsOnce(const QString& step)
    {
        if (m_config.failOnceStep != step)
            return false;
        QString path = m_config.failOnceMarker;
        if (path.isEmpty()) {
            QDir().mkpath(m_input.outputDir);
            path = QDir(m_input.outputDir)
                       .filePath(QStringLiteral(".fail-once-") + QString(step).replace('#', '-'));
        }
        QFile marker(path);
        if (marker.exists())
            return false;
        marker.open(QIODevice::WriteOnly);
        return true;
    }

    // Runs the step's work in place, or through the durable runner; the work announces the step,
    // emits its span and stamps its result with when it ran.
    StepResult runStep(const QString& step, const std::string& durableName,
        const std::function<StepResult()>& work)
    {
        const auto timed = [&] {
            const int64_t startedUs = Tracer::nowUs();
            if (m_progress.stepStarted)
                m_progress.stepStarted(step);
            StepResult result = work();
            result.value["step"] = step.toStdString();
            result.value["started_us"] = startedUs;
            result.value["ended_us"] = Tracer::nowUs();
            if (m_progress.stepFinished)
                m_progress.stepFinished(step, result.failure == StepResult::Failure::None,
                    result.value.value("attempts", 1));
            return result;
        };
        StepResult result
            = m_config.steps ? m_config.steps->run(step, durableName, timed) : timed();
        const int64_t startedUs = result.value.value("started_us", int64_t(0));
        if (startedUs > 0 && (m_firstStepUs == 0 || startedUs < m_firstStepUs))
            m_firstStepUs = startedUs;
        return result;
    }

    void loop()
    {
        json messages = json::array(
            { { { "role", "system" }, { "content", instructions(m_input).toStdString() } },
                { { "role", "user" }, { "content", userPrompt(m_input).toStdString() } } });
        for (int turn = 0; turn < m_config.maxTurns; ++turn) {
            json assistant;
            if (!callLlm(messages, assistant))
                return;
            const bool hasTools = assistant.contains("tool_calls")
                && assistant.at("tool_calls").is_array() && !assistant.at("tool_calls").empty();
            if (!hasTools) {
                const QString report
                    = assistant.contains("content") && assistant.at("content").is_string()
                    ? QString::fromStdString(assistant.at("content").get<std::string>())
                    : QString();
                finishWithReport(report);
                return;
            }
            messages.push_back(assistant);
            for (const json& call : assistant.at("tool_calls"))
                if (!runTool(call, messages))
                    return;
        }
        fail(Outcome::MalformedOutput,
            QStringLiteral("max_turns (%1) exceeded").arg(m_config.maxTurns));
    }

    static Outcome llmOutcome(ChatResult::Failure failure)
    {
        return failure == ChatResult::Failure::Timeout  ? Outcome::LlmTimeout
            : failure == ChatResult::Failure::Malformed ? Outcome::MalformedOutput
                                                        : Outcome::LlmUnavailable;
    }

    bool callLlm(const json& messages, json& assistant)
    {
        const QString step = next(QStringLiteral("llm_call"));
        crashPoint(step, CrashPoint::Phase::Before);
        // "call LLM": the name Restate's DurableRunner gives every model call.
        const StepResult result = runStep(step, "call LLM", [&] {
            WriterSpan span = m_tracer.startSpan(WriterSpan::Type::Generation, {}, m_agent.id);
            span.model = m_config.model.toStdString();
            span.input = ordered_json::parse(messages.dump());
            json request = { { "model", m_config.model.toStdString() }, { "messages", messages },
                { "tools", toolSchema() }, { "stream", m_config.stream } };
            if (m_config.stream)
                request["stream_options"] = { { "include_usage", true } };
            const ChatResult chat = m_client.complete(request, [&](const RetryNotice& retry) {
                if (m_progress.retrying)
                    m_progress.retrying(step, retry);
            });
            crashPoint(step, CrashPoint::Phase::Inside);
            span.inputTokens = chat.promptTokens;
            span.outputTokens = chat.completionTokens;
            StepResult out;
            out.value = { { "attempts", chat.attempts }, { "prompt_tokens", chat.promptTokens },
                { "completion_tokens", chat.completionTokens }, { "llm_ms", chat.elapsedMs } };
            if (!chat.ok()) {
                span.error = "Error getting response";
                span.errorData = { { "error", chat.error.toStdString() } };
                const Outcome outcome = llmOutcome(chat.failure);
                out.failure = outcome == Outcome::MalformedOutput ? StepResult::Failure::Terminal
                                                                  : StepResult::Failure::Transient;
                out.error = QStringLiteral("%1 failed after %2 attempt(s): %3")
                                .arg(step)
                                .arg(chat.attempts)
                                .arg(chat.error);
                out.value["outcome"] = int(outcome);
            } else {
                out.value["assistant"] = chat.assistant;
                span.output = ordered_json::array({ ordered_json::parse(chat.assistant.dump()) });
            }
            m_tracer.endSpan(span);
            return out;
        });
        const int attempts = result.value.value("attempts", 0);
        m_result.llmCalls += attempts;
        m_result.llmRetries += std::max(0, attempts - 1);
        m_result.llmMs += result.value.value("llm_ms", 0.0);
        m_result.promptTokens += result.value.value("prompt_tokens", 0);
        m_result.completionTokens += result.value.value("completion_tokens", 0);
        crashPoint(step, CrashPoint::Phase::After);
        if (result.failure != StepResult::Failure::None) {
            fail(
                Outcome(result.value.value("outcome", int(Outcome::LlmUnavailable))), result.error);
            return false;
        }
        assistant = result.value.value("assistant", json::object());
        return true;
    }

    bool runTool(const json& call, json& messages)
    {
        const json function = call.value("function", json::object());
        const std::string name = function.value("name", std::string());
        const std::string arguments = function.value("arguments", std::string());
        const QString step = next(QString::fromStdString(name.empty() ? "tool" : name));
        crashPoint(step, CrashPoint::Phase::Before);
        const StepResult result = runStep(step, name.empty() ? "tool" : name, [&] {
            WriterSpan span = m_tracer.startSpan(WriterSpan::Type::Function, name, m_agent.id);
            span.input = arguments;
            const json parsed = json::parse(arguments, nullptr, false);
            StepResult out;
            if (name != "read_multiple_files")
                out.error = QStringLiteral("Tool %1 not found in agent writer_agent")
                                .arg(QString::fromStdString(name));
            else if (!parsed.is_object() || !parsed.contains("paths")
                || !parsed.at("paths").is_array())
                out.error = QStringLiteral("Invalid JSON input for tool read_multiple_files: %1")
                                .arg(QString::fromStdString(arguments.substr(0, 200)));
            QString output;
            if (out.error.isEmpty() && failsOnce(step)) {
                out.error = QStringLiteral("read_multiple_files failed: injected fault (once)");
                out.failure = StepResult::Failure::Transient;
                span.error = out.error.toStdString();
            } else if (out.error.isEmpty()) {
                QStringList paths;
                for (const json& path : parsed.at("paths"))
                    if (path.is_string())
                        paths << QString::fromStdString(path.get<std::string>());
                output = m_files.readMultipleFiles(paths);
                crashPoint(step, CrashPoint::Phase::Inside);
            } else if (out.failure == StepResult::Failure::None) {
                // As the Agents SDK: a model asking for an unknown tool or with arguments that
                // are not the tool's JSON is a ModelBehaviorError, and the run fails.
                span.error = out.error.toStdString();
                out.failure = StepResult::Failure::Terminal;
            }
            span.output = output.toStdString();
            m_tracer.endSpan(span);
            out.value["output"] = output.toStdString();
            return out;
        });
        ++m_result.toolCalls;
        crashPoint(step, CrashPoint::Phase::After);
        if (result.failure != StepResult::Failure::None) {
            fail(result.failure == StepResult::Failure::Transient ? Outcome::ToolFailed
                                                                  : Outcome::MalformedOutput,
                result.error);
            return false;
        }
        messages.push_back(
            { { "role", "tool" }, { "tool_call_id", call.value("id", std::string()) },
                { "content", result.value.value("output", std::string()) } });
        return true;
    }

    void finishWithReport(const QString& report)
    {
        const QString missing = missingHeadings(report);
        if (!missing.isEmpty()) {
            fail(Outcome::MalformedOutput,
                QStringLiteral("the report is not in the expected format: %1").arg(missing));
            return;
        }
        const QString step = next(QStringLiteral("save_report"));
        crashPoint(step, CrashPoint::Phase::Before);
        const StepResult result = runStep(step, "save_report", [&] {
            WriterSpan span
                = m_tracer.startSpan(WriterSpan::Type::Function, "save_report", m_agent.id);
            span.input = json { { "output_dir", m_input.outputDir.toStdString() } }.dump();
            QString error;
            if (failsOnce(step)) {
                error = QStringLiteral("save_report failed: injected fault (once)");
                span.error = error.toStdString();
                m_tracer.endSpan(span);
                StepResult out;
                out.failure = StepResult::Failure::Transient;
                out.error = error;
                return out;
            }
            QString path = m_config.idempotentSave
                ? findSavedReport(m_input.outputDir, m_input.query, report)
                : QString();
            if (path.isEmpty())
                path = saveReport(m_input.outputDir, m_input.query, report, error);
            crashPoint(step, CrashPoint::Phase::Inside);
            StepResult out;
            if (path.isEmpty()) {
                span.error = error.toStdString();
                out.failure = StepResult::Failure::Transient;
                out.error = error;
            } else {
                span.output = path.toStdString();
                out.value["path"] = path.toStdString();
            }
            m_tracer.endSpan(span);
            return out;
        });
        crashPoint(step, CrashPoint::Phase::After);
        if (result.failure != StepResult::Failure::None)
            fail(Outcome::SaveFailed, result.error);
        else
            m_result.reportPath = QString::fromStdString(result.value.value("path", std::string()));
    }

    const WriterInput& m_input;
    const FileRoot m_files; // opened when the run starts: a folder removed later fails closed
    const WriterConfig& m_config;
    Tracer& m_tracer;
    const ProgressEvents& m_progress;
    ChatClient m_client;
    WriterSpan m_agent;
    WriterOutcome m_result;
    std::map<QString, int> m_occurrences;
    int64_t m_firstStepUs = 0;
};

} // namespace

QString validateInput(const WriterInput& input)
{
    if (input.query.trimmed().isEmpty())
        return QStringLiteral("the research query is empty");
    if (!QFileInfo(input.tempDir).isDir())
        return QStringLiteral("the temp folder %1 does not exist").arg(input.tempDir);
    if (input.files.isEmpty())
        return QStringLiteral("no search-result files were given");
    for (const QString& file : input.files) {
        const QFileInfo info(
            QDir::isAbsolutePath(file) ? file : QDir(input.tempDir).filePath(file));
        if (!info.isFile() || !info.isReadable())
            return QStringLiteral("the search-result file %1 is missing or unreadable")
                .arg(info.filePath());
    }
    if (input.outputDir.isEmpty())
        return QStringLiteral("no output folder was given");
    return {};
}

QString missingHeadings(const QString& report)
{
    QStringList lines = report.split(QLatin1Char('\n'));
    for (QString& line : lines)
        line = line.trimmed();
    lines.removeAll(QString());
    QStringList missing;
    if (lines.isEmpty() || !lines.first().startsWith(QLatin1String("# ")))
        missing << QStringLiteral("# Title");
    for (const char* heading :
        { "## Executive Summary", "## Raw Notes", "## Detailed Agenda", "## Report" })
        if (!lines.contains(QLatin1String(heading)))
            missing << QLatin1String(heading);
    if (lines.isEmpty() || lines.last() != QLatin1String("## FINAL STEP"))
        missing << QStringLiteral("## FINAL STEP (last line)");
    return missing.isEmpty() ? QString()
                             : QStringLiteral("missing ") + missing.join(QStringLiteral(", "));
}

WriterOutcome runWriter(const WriterInput& input, const WriterConfig& config, Tracer& tracer,
    const ProgressEvents& progress)
{
    const QString problem = validateInput(input);
    if (!problem.isEmpty()) {
        WriterOutcome outcome;
        outcome.outcome = Outcome::BadInput;
        outcome.message = problem;
        return outcome;
    }
    return Run(input, config, tracer, progress).run();
}

} // namespace tt::writer
