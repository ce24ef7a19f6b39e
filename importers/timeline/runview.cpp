// SPDX-License-Identifier: MIT
#include "runview.h"

#include "alignment.h"

#include <algorithm>
#include <unordered_map>

namespace tt::timeline {

namespace {

int64_t median(std::vector<int64_t>& values)
{
    if (values.empty())
        return 0;
    auto middle = values.begin() + values.size() / 2;
    std::nth_element(values.begin(), middle, values.end());
    return *middle;
}

// Lower is preferred as the source of a run's steps.
int stepSourceRank(Source source)
{
    switch (source) {
    case Source::Restate:
        return 0;
    case Source::OpenAi:
        return 1;
    case Source::LangSmith:
        return 2;
    case Source::AgenticBenchmark:
        return 3;
    case Source::AgenticTraceLog:
        return 4;
    default:
        return 5;
    }
}

} // namespace

ClockOffset estimateOffset(const Trace& reference, const Trace& other)
{
    ClockOffset result;
    std::vector<int64_t> deltas;
    // By id: each side may name the other's span (LangSmith keeps openai_span_id).
    std::unordered_map<std::string_view, int32_t> refById;
    std::unordered_map<std::string_view, int32_t> refByLink;
    for (size_t i = 0; i < reference.spans.size(); ++i) {
        refById.emplace(reference.str(reference.spans[i].id), int32_t(i));
        if (!reference.spans[i].linkId.empty())
            refByLink.emplace(reference.str(reference.spans[i].linkId), int32_t(i));
    }
    for (const Span& span : other.spans) {
        int32_t match = -1;
        if (!span.linkId.empty()) {
            auto it = refById.find(other.str(span.linkId));
            if (it != refById.end())
                match = it->second;
        }
        if (match < 0) {
            auto it = refByLink.find(other.str(span.id));
            if (it != refByLink.end())
                match = it->second;
        }
        if (match >= 0)
            deltas.push_back(reference.spans[match].startNs - span.startNs);
    }
    result.linkedSpans = int32_t(deltas.size());
    if (deltas.empty()) {
        const auto left = extractSteps(reference);
        const auto right = extractSteps(other);
        for (const auto& row : alignSteps(left, right)) {
            if (row.left >= 0 && row.right >= 0)
                deltas.push_back(left[row.left].startNs - right[row.right].startNs);
        }
        result.matchedSteps = int32_t(deltas.size());
    }
    result.offsetNs = median(deltas);
    return result;
}

RunView::RunView(std::string name)
    : m_name(std::move(name))
{ }

void RunView::addTrace(std::shared_ptr<const Trace> trace, bool sameClock)
{
    SourceTrack track;
    if (!m_tracks.empty()) {
        const ClockOffset offset = estimateOffset(*m_tracks.front().trace, *trace);
        // An estimate from matched steps alone is off by however a step's start differs between
        // sources (a journal entry starts when the step is recorded, a span when it is called).
        track.offsetNs = sameClock ? 0 : offset.offsetNs;
        track.matchedSpans = offset.linkedSpans;
    }
    track.trace = std::move(trace);
    m_tracks.push_back(std::move(track));
}

int64_t RunView::startNs() const
{
    int64_t start = INT64_MAX;
    for (const auto& track : m_tracks)
        start = std::min(start, track.trace->startNs + track.offsetNs);
    for (const Outage& outage : m_outages)
        start = std::min(start, outage.startNs);
    return start == INT64_MAX ? 0 : start;
}

int64_t RunView::endNs() const
{
    int64_t end = INT64_MIN;
    for (const auto& track : m_tracks)
        end = std::max(end, track.trace->endNs + track.offsetNs);
    for (const Outage& outage : m_outages)
        end = std::max(end, outage.endNs);
    return end == INT64_MIN ? 0 : end;
}

void RunView::addOutage(Outage outage)
{
    if (outage.endNs < outage.startNs)
        std::swap(outage.startNs, outage.endNs);
    m_outages.push_back(std::move(outage));
}

int RunView::stepTrack() const
{
    int best = -1;
    for (size_t i = 0; i < m_tracks.size(); ++i) {
        const Trace& trace = *m_tracks[i].trace;
        const bool hasSteps = std::any_of(trace.spans.begin(), trace.spans.end(),
            [&](const Span& s) { return isStepKind(trace.spanKind(s)); });
        if (!hasSteps)
            continue;
        if (best < 0 || stepSourceRank(trace.source) < stepSourceRank(m_tracks[best].trace->source))
            best = int(i);
    }
    return best;
}

std::vector<Step> RunView::steps() const
{
    const int index = stepTrack();
    if (index < 0)
        return {};
    auto steps = extractSteps(*m_tracks[index].trace);
    for (auto& step : steps) {
        step.startNs += m_tracks[index].offsetNs;
        step.endNs += m_tracks[index].offsetNs;
        step.track = index;
    }
    // Unfinished steps that only another source recorded: they started after everything the
    // step source saw end.
    int64_t lastEnd = INT64_MIN;
    for (const Step& step : steps)
        lastEnd = std::max(lastEnd, step.endNs);
    std::vector<Step> unfinished;
    for (size_t t = 0; t < m_tracks.size(); ++t) {
        if (int(t) == index)
            continue;
        const Trace& trace = *m_tracks[t].trace;
        for (Step& step : extractSteps(trace)) {
            const Span& last = trace.spans[size_t(step.attempts.back())];
            step.startNs += m_tracks[t].offsetNs;
            step.endNs += m_tracks[t].offsetNs;
            const bool seen = std::any_of(unfinished.begin(), unfinished.end(),
                [&](const Step& s) { return s.kind == step.kind && s.name == step.name; });
            if (!last.unfinished() || step.startNs < lastEnd || seen)
                continue;
            step.track = int32_t(t);
            unfinished.push_back(std::move(step));
        }
    }
    for (Step& step : unfinished) {
        step.occurrence = 1 + int(std::count_if(steps.begin(), steps.end(), [&](const Step& s) {
            return s.kind == step.kind && s.name == step.name;
        }));
        steps.push_back(std::move(step));
    }
    return steps;
}

void RunView::markKilled(std::optional<int64_t> atNs)
{
    m_killed = true;
    m_killedAt = atNs;
    if (!atNs)
        return;
    // What was running when the process died ended then: not before (the trace may have
    // stopped earlier), not after (a restarted process writes on in the same trace).
    for (SourceTrack& track : m_tracks) {
        const int64_t until = *atNs - track.offsetNs;
        const auto cutShort = [&](const Span& s) {
            return s.unfinished() && s.startNs <= until && s.endNs != until;
        };
        const auto& spans = track.trace->spans;
        if (std::none_of(spans.begin(), spans.end(), cutShort))
            continue;
        auto ended = std::make_shared<Trace>(*track.trace);
        ended->endNs = INT64_MIN;
        for (Span& span : ended->spans) {
            if (cutShort(span))
                span.endNs = until;
            ended->endNs = std::max(ended->endNs, span.endNs);
        }
        track.trace = std::move(ended);
    }
}

std::string RunView::stepLabelOf(int track, int32_t span) const
{
    if (track < 0 || size_t(track) >= m_tracks.size())
        return {};
    const SourceTrack& source = m_tracks[size_t(track)];
    const Trace& trace = *source.trace;
    if (span < 0 || size_t(span) >= trace.spans.size())
        return {};
    int32_t index = span;
    if (trace.spanKind(trace.spans[size_t(index)]) == SpanKind::RetryAttempt
        && trace.spans[size_t(index)].parent >= 0)
        index = trace.spans[size_t(index)].parent;
    if (isStepKind(trace.spanKind(trace.spans[size_t(index)]))) {
        for (const Step& step : extractSteps(trace))
            if (std::find(step.attempts.begin(), step.attempts.end(), index) != step.attempts.end())
                return step.label();
    }
    constexpr int64_t kSlackNs = 1'000'000; // sources disagree by a few hundred microseconds
    const Span& s = trace.spans[size_t(span)];
    const int64_t start = s.startNs + source.offsetNs;
    const int64_t end = s.endNs + source.offsetNs;
    for (const Step& step : steps())
        if (start >= step.startNs - kSlackNs && end <= step.endNs + kSlackNs)
            return step.label();
    return {};
}

} // namespace tt::timeline
