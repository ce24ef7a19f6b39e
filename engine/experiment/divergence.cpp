// SPDX-License-Identifier: MIT
#include "divergence.h"

#include "importers/timeline/alignment.h"

#include <QDir>
#include <QFile>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>
#include <set>

namespace tt::engine {

std::map<QString, std::vector<LlmRequest>> readLlmLogs(
    const QString& outDir, std::vector<timeline::Warning>* warnings)
{
    // By full run id ("scenario/variant/index/session"): a run repeated by a resumed experiment
    // keeps only its latest session.
    std::map<std::string, std::vector<LlmRequest>> byRunId;
    const QDir logs(QDir(outDir).filePath(QStringLiteral("logs")));
    for (const QString& name : logs.entryList({ QStringLiteral("llm-*.jsonl") }, QDir::Files)) {
        QFile file(logs.filePath(name));
        if (!file.open(QIODevice::ReadOnly))
            continue;
        int64_t line = 0;
        while (!file.atEnd()) {
            const QByteArray text = file.readLine().trimmed();
            ++line;
            if (text.isEmpty())
                continue;
            const auto record = nlohmann::json::parse(text.toStdString(), nullptr, false);
            if (!record.is_object() || !record.contains("run_id")) {
                if (warnings)
                    warnings->push_back({ file.fileName().toStdString(), line,
                        "expected a JSON object with a run_id" });
                continue;
            }
            LlmRequest request;
            request.bodyHash = record.value("body_hash", std::string());
            if (record.contains("fault") && record["fault"].is_string())
                request.fault = record["fault"].get<std::string>();
            request.status = record.value("status", 0);
            request.completed = record.value("completed", false);
            request.tsMs = record.value("ts_ms", 0.0);
            byRunId[record.value("run_id", std::string())].push_back(std::move(request));
        }
    }
    std::map<QString, std::vector<LlmRequest>> out;
    for (auto& [runId, requests] : byRunId) {
        const QString id = QString::fromStdString(runId);
        const QString key = id.section(QLatin1Char('/'), 0, 2);
        auto& kept = out[key];
        if (kept.empty() || kept.front().tsMs < requests.front().tsMs)
            kept = std::move(requests);
    }
    return out;
}

QString llmLogKey(const RunRecord& run)
{
    return QStringLiteral("%1/%2/%3").arg(run.scenario, run.variant).arg(run.runIndex);
}

namespace {

// The requests of one LLM call (one request body), in order: llm_call#N is the N-th body.
struct LlmCall
{
    std::vector<const LlmRequest*> requests;
    int faults() const
    {
        return int(std::count_if(requests.begin(), requests.end(),
            [](const LlmRequest* r) { return !r->fault.empty(); }));
    }
    bool answered() const
    {
        return std::any_of(
            requests.begin(), requests.end(), [](const LlmRequest* r) { return r->answered(); });
    }
    std::string firstFault() const
    {
        for (const LlmRequest* r : requests)
            if (!r->fault.empty())
                return r->fault;
        return {};
    }
};

std::vector<LlmCall> llmCalls(const std::vector<LlmRequest>& requests)
{
    std::vector<LlmCall> calls;
    std::map<std::string, size_t> byBody;
    for (const LlmRequest& request : requests) {
        auto [it, added] = byBody.try_emplace(request.bodyHash, calls.size());
        if (added)
            calls.emplace_back();
        calls[it->second].requests.push_back(&request);
    }
    return calls;
}

QString llmStep(size_t index)
{
    return QStringLiteral("llm_call#%1").arg(index + 1);
}

QString faultWords(const std::string& fault, int count)
{
    const QString times = count > 1 ? QStringLiteral("%1 × ").arg(count) : QString();
    if (fault.rfind("http_", 0) == 0)
        return times + QStringLiteral("HTTP ") + QString::fromStdString(fault.substr(5));
    if (fault == "stall")
        return times + QStringLiteral("a stalled answer (no bytes until the client timed out)");
    if (fault == "missing_headings")
        return QStringLiteral("an answer without the report's required headings");
    return times + QString::fromStdString(fault);
}

// The catalog's kind for a fault the stand-in injected into one LLM call.
QString kindOfLlmFault(const std::string& fault, bool answeredOnEitherSide)
{
    if (fault == "stall" || fault.find("timeout") != std::string::npos)
        return QStringLiteral("llm-timeout");
    if (fault.find("heading") != std::string::npos || fault.find("malformed") != std::string::npos)
        return QStringLiteral("malformed-output");
    return answeredOnEitherSide ? QStringLiteral("llm-transient") : QStringLiteral("llm-outage");
}

// The catalog's kind for an error message a trace kept on an LLM call.
QString kindOfLlmError(const QString& error, bool answeredOnEitherSide)
{
    if (error.contains(QLatin1String("timeout"), Qt::CaseInsensitive)
        || error.contains(QLatin1String("timed out"), Qt::CaseInsensitive))
        return QStringLiteral("llm-timeout");
    return answeredOnEitherSide ? QStringLiteral("llm-transient") : QStringLiteral("llm-outage");
}

// "once", "2 times".
QString times(int count)
{
    return count == 1 ? QStringLiteral("once") : QStringLiteral("%1 times").arg(count);
}

QString seconds(double ms)
{
    return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 2);
}

// What one side shows at one step: its failed attempts and the error they left.
struct StepTrouble
{
    int failedAttempts = 0;
    bool failedForGood = false;
    bool unfinished = false; // started, never ended (the process died inside it)
    QString error;
};

StepTrouble troubleOf(const timeline::RunView& view, const timeline::Step& step)
{
    StepTrouble trouble;
    // A step's attempts are in its own track (a killed Writer's last step may be in trace.log
    // only), else in the run's step track.
    const int track = step.track >= 0 ? step.track : view.stepTrack();
    if (track < 0 || size_t(track) >= view.tracks().size())
        return trouble;
    const timeline::Trace& trace = *view.tracks()[size_t(track)].trace;
    for (int32_t index : step.attempts) {
        const timeline::Span& span = trace.spans[size_t(index)];
        if (span.hasError()) {
            ++trouble.failedAttempts;
            if (trouble.error.isEmpty())
                trouble.error = QString::fromUtf8(
                    trace.str(span.error).data(), qsizetype(trace.str(span.error).size()));
        }
    }
    if (!step.attempts.empty()) {
        const timeline::Span& last = trace.spans[size_t(step.attempts.back())];
        trouble.unfinished = (last.flags & timeline::SpanFlag::NoEnd) || last.endNs <= last.startNs;
    }
    trouble.failedForGood = step.status == timeline::SpanStatus::Error;
    return trouble;
}

struct Finding
{
    size_t row = SIZE_MAX; // aligned row where it shows
    QString step;
    QString kind;
    QString what; // what went wrong there, in words
};

void keepEarliest(std::optional<Finding>& best, Finding candidate)
{
    if (!best || candidate.row < best->row)
        best = std::move(candidate);
}

struct Side
{
    const ExplainedRun* run;
    std::vector<timeline::Step> steps;
    std::vector<LlmCall> calls;
    bool durable() const
    {
        if (run->record)
            return run->record->variant.startsWith(QLatin1String("restate"));
        for (const auto& track : run->view->tracks())
            if (track.trace->source == timeline::Source::Restate)
                return true;
        return false;
    }
};

QString labelOfRow(const Side& left, const Side& right, const timeline::AlignedRow& row)
{
    const auto& step
        = row.left >= 0 ? left.steps[size_t(row.left)] : right.steps[size_t(row.right)];
    return QString::fromStdString(step.label());
}

size_t rowOfStep(const std::vector<QString>& rowLabels, const QString& step)
{
    const auto it = std::find(rowLabels.begin(), rowLabels.end(), step);
    return it == rowLabels.end() ? rowLabels.size() : size_t(it - rowLabels.begin());
}

// The first LLM call the stand-in faulted on either side.
void findLlmFault(const Side& a, const Side& b, const std::vector<QString>& rowLabels,
    std::optional<Finding>& best)
{
    for (const Side* side : { &a, &b }) {
        const Side* other = side == &a ? &b : &a;
        for (size_t i = 0; i < side->calls.size(); ++i) {
            const LlmCall& call = side->calls[i];
            if (call.faults() == 0)
                continue;
            const bool answered
                = call.answered() || (i < other->calls.size() && other->calls[i].answered());
            const QString step = llmStep(i);
            keepEarliest(best,
                { rowOfStep(rowLabels, step), step, kindOfLlmFault(call.firstFault(), answered),
                    QStringLiteral("the LLM stand-in answered %1 with %2")
                        .arg(side->run->name + QStringLiteral("'s requests"),
                            faultWords(call.firstFault(), call.faults())) });
            break;
        }
    }
}

// A step that failed in a trace (an LLM call's error, a tool's), or one a crashed run stopped in.
void findTraceTrouble(const Side& side, const Side& other, const std::vector<QString>& rowLabels,
    const std::vector<timeline::AlignedRow>& rows, bool leftSide, std::optional<Finding>& best)
{
    const bool crashed = side.run->record && side.run->record->crashed
        && !side.durable(); // the durable side's crash is recovered: it shows as replays
    for (size_t r = 0; r < rows.size(); ++r) {
        const int32_t mine = leftSide ? rows[r].left : rows[r].right;
        if (mine < 0) {
            if (crashed)
                keepEarliest(best,
                    { r, rowLabels[r], QStringLiteral("crash"),
                        QStringLiteral("%1's Writer was killed before it recorded %2")
                            .arg(side.run->name, rowLabels[r]) });
            continue;
        }
        const timeline::Step& step = side.steps[size_t(mine)];
        const StepTrouble trouble = troubleOf(*side.run->view, step);
        if (crashed && trouble.unfinished && size_t(mine) + 1 == side.steps.size()) {
            keepEarliest(best,
                { r, rowLabels[r], QStringLiteral("crash"),
                    QStringLiteral("%1's Writer was killed inside %2")
                        .arg(side.run->name, rowLabels[r]) });
            continue;
        }
        if (trouble.failedAttempts == 0)
            continue;
        QString kind = QStringLiteral("tool-failure");
        if (step.kind == timeline::SpanKind::LlmCall) {
            const int32_t theirs = leftSide ? rows[r].right : rows[r].left;
            const bool answered = !trouble.failedForGood
                || (theirs >= 0
                    && other.steps[size_t(theirs)].status != timeline::SpanStatus::Error);
            kind = kindOfLlmError(trouble.error, answered);
        }
        QString what = QStringLiteral("%1 failed %2 on %3")
                           .arg(rowLabels[r], times(trouble.failedAttempts), side.run->name);
        if (!trouble.error.isEmpty())
            what += QStringLiteral(" (%1)").arg(trouble.error.left(120));
        keepEarliest(best, { r, rowLabels[r], kind, what });
    }
}

// What a side did about the fault, from its record (retries, replays) and the stand-in's log.
QString response(const Side& side, const QString& step)
{
    const RunRecord* record = side.run->record;
    if (!record)
        return {};
    QStringList parts;
    const size_t call = step.startsWith(QLatin1String("llm_call#"))
        ? size_t(step.section(QLatin1Char('#'), 1).toInt() - 1)
        : SIZE_MAX;
    // A baseline's repeats of the call are all its client's; a durable side's mix in Restate's.
    const auto* requests = call < side.calls.size() ? &side.calls[call].requests : nullptr;
    const int clientRetries
        = requests && !side.durable() ? int(requests->size()) - 1 : record->clientRetries;
    if (clientRetries > 0) {
        QString delays;
        if (requests && !side.durable()) {
            QStringList gaps;
            for (size_t i = 1; i < requests->size(); ++i)
                gaps << seconds((*requests)[i]->tsMs - (*requests)[i - 1]->tsMs);
            delays = QStringLiteral(" (after %1)").arg(gaps.join(QStringLiteral(", ")));
        }
        parts << QStringLiteral("its client retried %1%2").arg(times(clientRetries), delays);
    }
    if (side.durable() && record->crashed)
        parts << QStringLiteral("Restate restarted the invocation and replayed its journal%1")
                     .arg(record->recoverMs >= 0 ? QStringLiteral(", recovering %1 after the crash")
                                                       .arg(seconds(record->recoverMs))
                                                 : QString());
    else if (side.durable() && record->restateRetries > 0)
        parts << QStringLiteral("Restate retried the step %1").arg(times(record->restateRetries));
    // baseline-restart: the supervisor ran the whole Writer again, its earlier work thrown away.
    if (record->attempts > 1)
        parts << QStringLiteral("its supervisor relaunched it from scratch (%1 attempts), paying "
                                "again for %2 answered LLM call(s)")
                     .arg(record->attempts)
                     .arg(record->llmRepeated);
    if (parts.isEmpty())
        parts << QStringLiteral("nothing retried it");
    return QStringLiteral("%1: %2, and it ended %3 after %4.")
        .arg(side.run->name, parts.join(QStringLiteral("; ")),
            record->success ? QStringLiteral("in success") : record->outcome,
            seconds(record->wallMs));
}

int repeatedRequests(const Side& side)
{
    size_t requests = 0;
    for (const LlmCall& call : side.calls)
        requests += call.requests.size();
    return int(requests - side.calls.size());
}

QString cost(const Side& left, const Side& right)
{
    const RunRecord* a = left.run->record;
    const RunRecord* b = right.run->record;
    if (!a || !b)
        return {};
    const double later = b->wallMs - a->wallMs;
    QString text
        = QStringLiteral("%1 ended %2 %3 than %4 %5")
              .arg(right.run->name, seconds(std::abs(later)),
                  later >= 0 ? QStringLiteral("later") : QStringLiteral("earlier"), left.run->name,
                  a->success ? QStringLiteral("finished") : QStringLiteral("failed"));
    if (!left.calls.empty() || !right.calls.empty())
        text += QStringLiteral(", with %1 LLM request(s) against %2 (%3 repeated %4, %5 %6)")
                    .arg(b->llmRequests)
                    .arg(a->llmRequests)
                    .arg(right.run->name)
                    .arg(repeatedRequests(right))
                    .arg(left.run->name)
                    .arg(repeatedRequests(left));
    return text + QLatin1Char('.');
}

// restate-server's own outage during a side's run (restate-crash, restate-down-at-start), from
// its record: a difference no trace records.
QString restateOutage(const Side& side)
{
    const RunRecord* record = side.run->record;
    if (!record || record->restateOutageMs < 0)
        return {};
    QString text = QStringLiteral("restate-server was down %1 during %2's run")
                       .arg(seconds(record->restateOutageMs), side.run->name);
    if (record->ingressAttempts > 1)
        text += QStringLiteral(", from before its submission: the ingress client saw %1 and got "
                               "through after %2")
                    .arg(record->ingressSeen, seconds(record->ingressWaitMs));
    return text + QLatin1Char('.');
}

} // namespace

Divergence explainDivergence(const ExplainedRun& leftRun, const ExplainedRun& rightRun)
{
    Side left { &leftRun, leftRun.view->steps(), llmCalls(leftRun.llm) };
    Side right { &rightRun, rightRun.view->steps(), llmCalls(rightRun.llm) };
    const auto rows = timeline::alignSteps(left.steps, right.steps);
    std::vector<QString> rowLabels;
    for (const auto& row : rows)
        rowLabels.push_back(labelOfRow(left, right, row));

    std::optional<Finding> found;
    findLlmFault(left, right, rowLabels, found);
    findTraceTrouble(left, right, rowLabels, rows, true, found);
    findTraceTrouble(right, left, rowLabels, rows, false, found);

    Divergence out;
    if (!found) {
        // No fault in the data: the first step on one side only, if any, is all that differs.
        for (size_t r = 0; r < rows.size(); ++r)
            if (rows[r].left < 0 || rows[r].right < 0) {
                out.step = rowLabels[r];
                out.text = QStringLiteral("The runs match until %1, which only %2 has; neither "
                                          "trace records a failure.")
                               .arg(out.step, rows[r].left < 0 ? rightRun.name : leftRun.name);
                return out;
            }
        out.text = QStringLiteral("The runs do not differ: the same %1 step(s), none failed.")
                       .arg(rows.size());
        for (const Side* side : { &left, &right })
            if (const QString outage = restateOutage(*side); !outage.isEmpty())
                out.text += QLatin1Char(' ') + outage;
        if (const QString spent = cost(left, right); !spent.isEmpty())
            out.text += QLatin1Char(' ') + spent;
        return out;
    }
    out.step = found->step;
    out.faultKind = found->kind;
    QStringList text;
    text << (found->row == 0 || found->row >= rows.size()
            ? QStringLiteral("The runs differ from %1 on.").arg(found->step)
            : QStringLiteral("Both runs match until %1.").arg(found->step));
    text << QStringLiteral("There %1.").arg(found->what);
    for (const Side* side : { &left, &right })
        if (const QString did = response(*side, found->step); !did.isEmpty())
            text << did;
    for (const Side* side : { &left, &right })
        if (const QString outage = restateOutage(*side); !outage.isEmpty())
            text << outage;
    if (const QString spent = cost(left, right); !spent.isEmpty())
        text << spent;
    out.text = text.join(QLatin1Char(' '));
    return out;
}

Divergence explainRuns(const QString& outDir, const RunRecord& left, const RunRecord& right,
    const ExperimentJournals& journals, const std::map<QString, std::vector<LlmRequest>>& llmLogs)
{
    const timeline::RunView leftView = runViewOfRun(outDir, left, journals);
    const timeline::RunView rightView = runViewOfRun(outDir, right, journals);
    const auto logOf = [&](const RunRecord& run) {
        const auto it = llmLogs.find(llmLogKey(run));
        return it == llmLogs.end() ? std::vector<LlmRequest>() : it->second;
    };
    return explainDivergence({ left.variant, &leftView, &left, logOf(left) },
        { right.variant, &rightView, &right, logOf(right) });
}

} // namespace tt::engine
