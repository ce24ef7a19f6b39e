// SPDX-License-Identifier: MIT
#include "runfacts.h"

#include <algorithm>
#include <map>

namespace tt::engine {

int LlmCall::faults() const
{
    return int(std::count_if(
        requests.begin(), requests.end(), [](const LlmRequest* r) { return !r->fault.empty(); }));
}

bool LlmCall::answered() const
{
    return std::any_of(
        requests.begin(), requests.end(), [](const LlmRequest* r) { return r->answered(); });
}

std::string LlmCall::firstFault() const
{
    for (const LlmRequest* r : requests)
        if (!r->fault.empty())
            return r->fault;
    return {};
}

QString LlmCall::delays() const
{
    QStringList gaps;
    for (size_t i = 1; i < requests.size(); ++i)
        gaps << seconds(requests[i]->tsMs - requests[i - 1]->tsMs);
    return gaps.isEmpty() ? QString()
                          : QStringLiteral("(after %1)").arg(gaps.join(QStringLiteral(", ")));
}

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

size_t llmCallIndex(const QString& step)
{
    return step.startsWith(QLatin1String("llm_call#"))
        ? size_t(step.section(QLatin1Char('#'), 1).toInt() - 1)
        : SIZE_MAX;
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

QString times(int count)
{
    return count == 1 ? QStringLiteral("once") : QStringLiteral("%1 times").arg(count);
}

QString seconds(double ms)
{
    return QStringLiteral("%1 s").arg(ms / 1000.0, 0, 'f', 2);
}

std::vector<int32_t> failedAttempts(const timeline::Trace& trace, const timeline::Step& step)
{
    const auto isAttempt = [&](int32_t index) {
        return std::find(step.attempts.begin(), step.attempts.end(), index) != step.attempts.end();
    };
    std::vector<int32_t> out;
    if (step.attempts.empty())
        return out;
    // Spans are sorted by start, and an attempt's children start inside it: only the spans from
    // the first attempt to the last one's end can be the step's, so a large trace is not read once
    // per step.
    int64_t until = INT64_MIN;
    for (int32_t index : step.attempts)
        until = std::max(
            { until, trace.spans[size_t(index)].startNs, trace.spans[size_t(index)].endNs });
    for (size_t i = size_t(step.attempts.front());
         i < trace.spans.size() && trace.spans[i].startNs <= until; ++i) {
        const timeline::Span& span = trace.spans[i];
        // Restate keeps a step's failures as attempts under its one command (TransientError
        // events); other sources as failed spans of the step.
        const bool underCommand = span.parent >= 0 && isAttempt(span.parent)
            && trace.spanKind(span) == timeline::SpanKind::RetryAttempt;
        if (span.hasError() && (isAttempt(int32_t(i)) || underCommand))
            out.push_back(int32_t(i));
    }
    return out;
}

StepTrouble troubleOf(const timeline::RunView& view, const timeline::Step& step)
{
    StepTrouble trouble;
    // A step's attempts are in its own track (a killed Writer's last step may be in trace.log
    // only), else in the run's step track.
    const int track = step.track >= 0 ? step.track : view.stepTrack();
    if (track < 0 || size_t(track) >= view.tracks().size())
        return trouble;
    const timeline::Trace& trace = *view.tracks()[size_t(track)].trace;
    for (int32_t index : failedAttempts(trace, step)) {
        const timeline::Span& span = trace.spans[size_t(index)];
        ++trouble.failedAttempts;
        if (trouble.error.isEmpty())
            trouble.error = QString::fromUtf8(
                trace.str(span.error).data(), qsizetype(trace.str(span.error).size()));
    }
    if (!step.attempts.empty()) {
        const timeline::Span& last = trace.spans[size_t(step.attempts.back())];
        trouble.unfinished = (last.flags & timeline::SpanFlag::NoEnd) || last.endNs <= last.startNs;
    }
    trouble.failedForGood = step.status == timeline::SpanStatus::Error;
    return trouble;
}

bool isDurable(const RunRecord* record, const timeline::RunView& view)
{
    if (record)
        return record->variant.startsWith(QLatin1String("restate"));
    for (const auto& track : view.tracks())
        if (track.trace->source == timeline::Source::Restate)
            return true;
    return false;
}

QString restateResponse(const RunRecord& record)
{
    if (record.crashed)
        return QStringLiteral("Restate restarted the invocation and replayed its journal%1")
            .arg(record.recoverMs >= 0 ? QStringLiteral(", recovering %1 after the crash")
                                             .arg(seconds(record.recoverMs))
                                       : QString());
    if (record.restateRetries > 0)
        return QStringLiteral("Restate retried the step %1").arg(times(record.restateRetries));
    return {};
}

} // namespace tt::engine
