// SPDX-License-Identifier: MIT
#pragma once

#include <QSqlDatabase>
#include <QString>

#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <vector>

namespace tt::engine {

// One finished run, as the results store keeps it.
struct RunRecord
{
    QString scenario;
    QString variant; // baseline, baseline-restart or restate
    int runIndex = 0; // 1..N within its cell
    qint64 seed = 0;
    // success, a baseline outcome (llm_unavailable...), crashed, failed, paused, timeout, or what
    // the engine found wrong with the result (no_report, duplicate_reports, incomplete_report)
    QString outcome;
    bool success = false; // the outcome is success and exactly one complete report is on disk
    // The engine's clock, the same for every variant: from handing the work over (the process
    // spawned, the ingress request sent) to the result known (the process exited with its final
    // line, the invocation's result answered).
    double wallMs = 0;
    // The Writer's own span from its traces: first step start -> last step end; -1 when the run
    // left no trace of its steps (a foreign Writer, a crash before the first step).
    double writerMs = -1;
    int llmRequests = 0; // the stand-in's log for this run id
    int llmAnswered = 0; // requests answered in full
    int promptTokens = 0;
    int completionTokens = 0;
    int clientRetries = 0; // requests the OpenAI-style client repeated
    int restateRetries = 0; // TransientError events of the invocation
    int reportsWritten = 0; // report files in the run's output folder (exactly-once check)
    // Reports an earlier attempt left in the output folder when the last one began
    // (baseline-restart): a leftover beside the final report, or the final one if kept.
    int earlierReports = 0;
    int attempts = 1; // Writer processes launched (baseline-restart relaunches from scratch)
    // LLM calls answered but paid again: for baseline-restart, those of the attempts thrown
    // away; for the others, answered requests whose body was already answered in this run.
    int llmRepeated = 0;
    int tokensRepeated = 0; // their prompt and completion tokens: tokens paid twice
    bool crashed = false; // the Writer process was killed at the crash point
    double recoverMs = -1; // crash -> the run completed (durable), -1 when not applicable
    // restate-server killed -> answering again (restate-crash, restate-down-at-start), and when
    // that was on the wall clock (ms since the Unix epoch, the traces' clock): the window draws
    // it as a band on the Restate lanes. -1 when Restate did not go down.
    double restateOutageMs = -1;
    double restateDownAtMs = -1;
    double restateUpAtMs = -1;
    // What the client submitting the durable run to the ingress saw (restate-down-at-start):
    // its tries, the first try -> the run accepted, and each answer in words ("connection
    // refused x9, then HTTP 200").
    int ingressAttempts = 0;
    double ingressWaitMs = -1;
    QString ingressSeen;
    int journalEntries = 0;
    int durableSteps = 0; // Run commands in the invocation's journal (durable variant)
    double engineMs = 0; // what the engine spent around the run (set-up, start, collection)
    QString message;
    QString runDir;
    QString invocationId;
    QString finishedAt; // ISO 8601

    using Key = std::tuple<QString, QString, int>;
    Key key() const { return { scenario, variant, runIndex }; }
};

// One answer of a timed debugging exercise (engine/exercise): who, which run in which view, how
// long to a diagnosis, what was answered and what was true.
struct ExerciseRecord
{
    QString series; // one sitting of one person
    QString person; // optional
    int position = 0; // 0-based order within the series
    bool practice = false; // the warm-up round: stored, not counted
    QString scenario;
    QString view; // "today" (logs and traces) or "restate" (journal, lifecycle, retries + traces)
    QString variant; // the run shown: baseline for today's view, restate for Restate's
    int runIndex = 1;
    double seconds = 0; // from the view appearing to the answer
    QString answerStep;
    QString answerKind;
    QString truthStep;
    QString truthKind;
    bool correct = false; // step and kind both right
    QString notes;
    QString finishedAt; // ISO 8601
};

// The experiment's results in SQLite (Qt Sql, WAL mode, one transaction per run): a run is
// written as it ends, so an experiment killed at any point keeps every finished run and resumes
// with the others.
class ResultStore
{
public:
    ResultStore();
    ~ResultStore();
    ResultStore(const ResultStore&) = delete;
    ResultStore& operator=(const ResultStore&) = delete;

    // Opens (or creates) DIR/results.sqlite; false with a reason.
    bool open(const QString& dir, QString& error);
    // Opens an existing DIR/results.sqlite to read it only: no schema, no migration, nothing
    // written, so looking at a results folder leaves it (and its timestamp) as it was.
    bool openToRead(const QString& dir, QString& error);
    bool isOpen() const;
    QString path() const { return m_path; }

    bool add(const RunRecord& record, QString& error);
    std::vector<RunRecord> runs() const;
    std::set<RunRecord::Key> finished() const;

    bool addExercise(const ExerciseRecord& record, QString& error);
    std::vector<ExerciseRecord> exercises() const;

    // Experiment-wide facts (setup time, versions, the command line...).
    void setMeta(const QString& key, const QString& value);
    QString meta(const QString& key) const;
    std::map<QString, QString> allMeta() const;

private:
    // Adds this store's connection to the database `name` with Qt's SQLite `options`.
    bool connect(const QString& name, const QString& options, QString& error);

    QString m_connection;
    QString m_path;
};

} // namespace tt::engine
