// SPDX-License-Identifier: MIT
#include "divergence.h"

#include "runfacts.h"

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
    bool durable() const { return isDurable(run->record, *run->view); }
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
    const size_t call = llmCallIndex(step);
    // A baseline's repeats of the call are all its client's; a durable side's mix in Restate's.
    const LlmCall* llm = call < side.calls.size() ? &side.calls[call] : nullptr;
    const int clientRetries
        = llm && !side.durable() ? int(llm->requests.size()) - 1 : record->clientRetries;
    if (clientRetries > 0)
        parts << QStringLiteral("its client retried %1%2")
                     .arg(times(clientRetries),
                         llm && !side.durable() ? QStringLiteral(" ") + llm->delays() : QString());
    if (side.durable())
        if (const QString restate = restateResponse(*record); !restate.isEmpty())
            parts << restate;
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
