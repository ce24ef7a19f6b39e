// SPDX-License-Identifier: MIT
#include "commandline.h"

namespace tt::writer {

using nlohmann::json;

void addWriterOptions(QCommandLineParser& parser)
{
    parser.addOptions({
        { QStringLiteral("llm-url"), QStringLiteral("OpenAI-compatible server."),
            QStringLiteral("URL"), QStringLiteral("http://127.0.0.1:8080") },
        { QStringLiteral("model"), QStringLiteral("Model name."), QStringLiteral("NAME"),
            QStringLiteral("openai/wm") },
        { QStringLiteral("timeout-s"),
            QStringLiteral("Client read timeout (default 600, the OpenAI client's)."),
            QStringLiteral("S"), QStringLiteral("600") },
        { QStringLiteral("max-retries"),
            QStringLiteral("Client retries (default 2, the OpenAI client's)."), QStringLiteral("N"),
            QStringLiteral("2") },
        { QStringLiteral("max-turns"), QStringLiteral("Agent turns (default 10, the SDK's)."),
            QStringLiteral("N"), QStringLiteral("10") },
        { QStringLiteral("no-stream"),
            QStringLiteral("Ask for whole answers instead of streams.") },
        { QStringLiteral("crash-at"),
            QStringLiteral("Kill this process (SIGKILL) at STEP#N[:before|inside|after]; "
                           "also TWINTRACE_CRASH_AT."),
            QStringLiteral("POINT") },
        { QStringLiteral("fail-once"),
            QStringLiteral("Make STEP (read_multiple_files#1, save_report#1) fail the first time "
                           "it runs (an injected fault)."),
            QStringLiteral("STEP") },
        { QStringLiteral("fail-once-marker"),
            QStringLiteral("The file that records the fault happened (default: in the output "
                           "folder)."),
            QStringLiteral("FILE") },
    });
}

bool readWriterOptions(const QCommandLineParser& parser, WriterConfig& config, QString& error)
{
    config.llmUrl = parser.value(QStringLiteral("llm-url"));
    config.model = parser.value(QStringLiteral("model"));
    config.stream = !parser.isSet(QStringLiteral("no-stream"));
    bool ok = true;
    config.retry.timeoutSeconds = parser.value(QStringLiteral("timeout-s")).toDouble(&ok);
    if (!ok || config.retry.timeoutSeconds <= 0) {
        error = QStringLiteral("--timeout-s: expected a positive number");
        return false;
    }
    config.retry.maxRetries = parser.value(QStringLiteral("max-retries")).toInt(&ok);
    if (!ok || config.retry.maxRetries < 0) {
        error = QStringLiteral("--max-retries: expected a number >= 0");
        return false;
    }
    config.maxTurns = parser.value(QStringLiteral("max-turns")).toInt(&ok);
    if (!ok || config.maxTurns < 1) {
        error = QStringLiteral("--max-turns: expected a number >= 1");
        return false;
    }
    config.failOnceStep = parser.value(QStringLiteral("fail-once"));
    config.failOnceMarker = parser.value(QStringLiteral("fail-once-marker"));
    if (!config.failOnceStep.isEmpty()
        && config.failOnceStep != QLatin1String("read_multiple_files#1")
        && config.failOnceStep != QLatin1String("save_report#1")) {
        error = QStringLiteral("--fail-once: expected read_multiple_files#1 or save_report#1");
        return false;
    }
    const QString crash = parser.isSet(QStringLiteral("crash-at"))
        ? parser.value(QStringLiteral("crash-at"))
        : qEnvironmentVariable("TWINTRACE_CRASH_AT");
    return crash.isEmpty() || CrashPoint::parse(crash, config.crash, error);
}

bool readWriterInput(const json& object, WriterInput& input, QString& error)
{
    if (!object.is_object()) {
        error = QStringLiteral("the input is not a JSON object");
        return false;
    }
    const auto text = [&](const char* key) {
        const auto found = object.find(key);
        return found != object.end() && found->is_string()
            ? QString::fromStdString(found->get<std::string>())
            : QString();
    };
    input.query = text("query");
    input.tempDir = text("temp_dir");
    input.outputDir = text("output_dir");
    const auto files = object.find("files");
    if (files != object.end()) {
        if (!files->is_array()) {
            error = QStringLiteral("\"files\" must be an array of paths");
            return false;
        }
        for (const json& file : *files)
            if (file.is_string())
                input.files << QString::fromStdString(file.get<std::string>());
    }
    return true;
}

json outcomeJson(const WriterOutcome& result)
{
    return { { "outcome", std::string(toString(result.outcome)) },
        { "exit_code", int(result.outcome) }, { "message", result.message.toStdString() },
        { "report", result.reportPath.toStdString() }, { "llm_calls", result.llmCalls },
        { "llm_retries", result.llmRetries }, { "tool_calls", result.toolCalls },
        { "prompt_tokens", result.promptTokens }, { "completion_tokens", result.completionTokens },
        { "wall_ms", result.wallMs }, { "llm_ms", result.llmMs },
        { "writer_ms", result.wallMs - result.llmMs } };
}

ProgressEvents jsonProgress(std::function<void(json)> send)
{
    ProgressEvents progress;
    progress.stepStarted = [send](const QString& step) {
        send({ { "event", "step_started" }, { "step", step.toStdString() } });
    };
    progress.stepFinished = [send](const QString& step, bool ok, int attempts) {
        send({ { "event", "step_finished" }, { "step", step.toStdString() }, { "ok", ok },
            { "attempts", attempts } });
    };
    progress.retrying = [send](const QString& step, const RetryNotice& retry) {
        send({ { "event", "retry" }, { "step", step.toStdString() }, { "attempt", retry.attempt },
            { "reason", retry.reason.toStdString() }, { "delay_ms", retry.delayMs } });
    };
    progress.crashing = [send](const QString& step, CrashPoint::Phase phase) {
        static const char* phases[] = { "before", "inside", "after" };
        send({ { "event", "crash_point" }, { "step", step.toStdString() },
            { "phase", phases[int(phase)] } });
    };
    return progress;
}

} // namespace tt::writer
