// SPDX-License-Identifier: MIT
#pragma once

#include "chatclient.h"
#include "tracing.h"

#include <QString>
#include <QStringList>

#include <functional>

#include <nlohmann/json.hpp>

namespace tt::writer {

// How a run ends; the baseline's exit code is the number.
enum class Outcome
{
    Success = 0,
    BadInput = 2, // the input is missing or unreadable: nothing was attempted
    LlmUnavailable = 3, // HTTP errors or dropped connections beyond the client's retries
    LlmTimeout = 4, // no data within the client's timeout, on every attempt
    MalformedOutput = 5, // not JSON, no choices, bad tool arguments, headings missing, max_turns
    SaveFailed = 6, // the report could not be written
    ToolFailed = 7, // read_multiple_files failed (an injected fault)
};
std::string_view toString(Outcome outcome);

struct WriterInput
{
    QString query; // the research request
    QString tempDir; // the run's temp folder, the only place the file tool may read
    QStringList files; // the search results: paths in tempDir (relative ones are taken from it)
    QString outputDir; // where save_report writes
};

// Where the Writer kills itself (SIGKILL), so the engine can crash a run at the same point every
// time: before a step starts, inside it (its work done - the LLM answered, the files were read,
// the report file was written - but not yet recorded), or after it finished.
struct CrashPoint
{
    enum class Phase
    {
        Before,
        Inside,
        After
    };
    QString step; // llm_call#1, read_multiple_files#1, llm_call#2, save_report#1
    Phase phase = Phase::Before;

    bool isSet() const { return !step.isEmpty(); }
    // "llm_call#2:inside"; false with a reason for anything else.
    static bool parse(const QString& text, CrashPoint& out, QString& error);
};

// How a step's work ended. The value is what a durable Writer records: counters, the model's
// answer, the tool's output, the report's path, and when the step ran.
struct StepResult
{
    enum class Failure
    {
        None,
        Transient, // worth retrying: the LLM unreachable or timing out, the report not written
        Terminal, // retrying cannot help: malformed output, a tool the model made up
    };
    nlohmann::json value = nlohmann::json::object();
    Failure failure = Failure::None;
    QString error;
};

// Where each step's work runs. Without one, the work runs in place (the baseline). The durable
// Writer (agents/durable) journals it through Restate: a recorded step returns its recorded
// result without running again, and a transient failure ends the attempt so that Restate retries.
class StepRunner
{
public:
    virtual ~StepRunner() = default;
    // `step` is llm_call#1, read_multiple_files#1...; `durableName` the journal entry's name.
    virtual StepResult run(const QString& step, const std::string& durableName,
        const std::function<StepResult()>& work)
        = 0;
};

struct WriterConfig
{
    QString llmUrl = QStringLiteral("http://127.0.0.1:8080");
    QString model = QStringLiteral("openai/wm");
    QString runId; // sent to the LLM as X-TwinTrace-Run
    RetryPolicy retry;
    int maxTurns = 10; // the Agents SDK's default max_turns
    bool stream = true; // the team's Writer runs streamed (Runner.run_streamed)
    CrashPoint crash;
    StepRunner* steps = nullptr; // null: run in place
    // Announce the trace and the agent span when they start (a durable replay already did).
    bool announceTrace = true;
    // save_report returns the report already saved with the same content instead of writing a
    // second file, so a step re-run after a crash writes the report once.
    bool idempotentSave = false;
    // A fault the engine injects: this step (read_multiple_files#1, save_report#1) fails the
    // first time it runs, as long as `failOnceMarker` does not exist (the failure creates it, so
    // a retry, or a durable re-run, succeeds). Empty marker: <output dir>/.fail-once-<step>.
    QString failOnceStep;
    QString failOnceMarker;
};

// What the progress lines and the final line report.
struct WriterOutcome
{
    Outcome outcome = Outcome::Success;
    QString message;
    QString reportPath;
    int llmCalls = 0; // HTTP requests, retries included
    int llmRetries = 0;
    int toolCalls = 0;
    int promptTokens = 0;
    int completionTokens = 0;
    double wallMs = 0;
    double llmMs = 0; // inside chat completion calls, retries and backoff included
};

struct ProgressEvents
{
    std::function<void(const QString& step)> stepStarted;
    std::function<void(const QString& step, bool ok, int attempts)> stepFinished;
    std::function<void(const QString& step, const RetryNotice& retry)> retrying;
    std::function<void(const QString& step, CrashPoint::Phase phase)> crashing;
};

// The team's Writer (research/user_repo.md §1-2): instructions and prompt as theirs, LLM call 1
// asks for the files through read_multiple_files, LLM call 2 writes the markdown report, the
// headings are checked, save_report writes it. Traced through `tracer` (trace -> agent
// writer_agent -> generation and function spans).
WriterOutcome runWriter(const WriterInput& input, const WriterConfig& config, Tracer& tracer,
    const ProgressEvents& progress = {});

// Checks the input before anything runs: "" or what is wrong.
QString validateInput(const WriterInput& input);

// The required headings of the team's markdown contract; "" when the report has them all, else
// which are missing.
QString missingHeadings(const QString& report);

} // namespace tt::writer
