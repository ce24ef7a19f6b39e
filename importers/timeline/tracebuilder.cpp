// SPDX-License-Identifier: MIT
#include "tracebuilder.h"

#include <algorithm>
#include <numeric>

namespace tt::timeline {

namespace {
constexpr size_t kMaxWarnings = 1000;

std::string quoted(std::string_view text)
{
    constexpr size_t kMax = 80;
    std::string out = "\"";
    out.append(text.substr(0, kMax));
    if (text.size() > kMax)
        out += "...";
    out += '"';
    return out;
}
} // namespace

TraceSetBuilder::TraceSetBuilder(
    Source source, std::string origin, std::shared_ptr<const std::string> sourceBytes)
    : m_source(source)
    , m_origin(std::move(origin))
    , m_strings(std::make_shared<StringStore>(std::move(sourceBytes)))
    , m_types(std::make_shared<TypeTable>())
{ }

TraceSetBuilder::PendingTrace& TraceSetBuilder::traceFor(std::string_view traceId)
{
    // Spans of one trace usually arrive together: check the last one before hashing.
    if (!m_traces.empty() && m_traces.back().id == traceId)
        return m_traces.back();
    auto [it, inserted] = m_traceIndex.try_emplace(std::string(traceId), m_traces.size());
    if (inserted) {
        m_traces.emplace_back();
        m_traces.back().id = std::string(traceId);
    }
    return m_traces[it->second];
}

void TraceSetBuilder::noteTrace(std::string_view traceId, std::string_view name)
{
    auto& pending = traceFor(traceId);
    if (pending.name.empty())
        pending.name = std::string(name);
}

void TraceSetBuilder::addSpan(const SpanInput& in)
{
    if (!in.startNs) {
        warn(in.line, "span " + quoted(in.id) + " has no start time: skipped");
        return;
    }
    auto& pending = traceFor(in.traceId);
    Span span;
    span.startNs = *in.startNs;
    span.endNs = in.endNs.value_or(*in.startNs);
    if (!in.endNs)
        span.flags |= SpanFlag::NoEnd;
    span.id = m_strings->slice(in.id);
    span.linkId = m_strings->slice(in.linkId);
    span.error = m_strings->slice(in.error);
    span.payload = m_strings->slice(in.payload);
    span.typeIndex = m_types->intern(in.kind, in.name);
    span.status = in.status;
    if (!in.error.empty())
        span.status = SpanStatus::Error;
    pending.spans.push_back(span);
    pending.lines.push_back(in.line);
    pending.parentIds.push_back(m_scratch.add(in.parentId));
}

void TraceSetBuilder::warn(int64_t line, std::string message)
{
    if (m_warnings.size() >= kMaxWarnings) {
        ++m_suppressedWarnings;
        return;
    }
    m_warnings.push_back({ m_origin, line, std::move(message) });
}

// A span logged at start and again at end is one span; two finished spans sharing an id are
// both kept and flagged.
void TraceSetBuilder::mergeDuplicates(PendingTrace& pending)
{
    auto& spans = pending.spans;
    std::unordered_map<std::string_view, size_t> firstById;
    firstById.reserve(spans.size());
    std::vector<uint8_t> dropped(spans.size(), 0);
    size_t droppedCount = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
        const auto id = m_strings->view(spans[i].id);
        if (id.empty())
            continue;
        auto [it, inserted] = firstById.try_emplace(id, i);
        if (inserted)
            continue;
        Span& first = spans[it->second];
        Span& again = spans[i];
        const bool firstOpen = first.flags & SpanFlag::NoEnd;
        const bool againOpen = again.flags & SpanFlag::NoEnd;
        if (firstOpen || againOpen) {
            // Keep the finished record's data and parent, the earliest start; the other record
            // fills what the finished one lacks.
            const bool keepFirst = againOpen && !firstOpen;
            Span merged = keepFirst ? first : again;
            merged.startNs = std::min(first.startNs, again.startNs);
            StrRef& parentId = pending.parentIds[it->second];
            const StrRef other = pending.parentIds[i];
            if (!other.empty() && (!keepFirst || parentId.empty()))
                parentId = other;
            if (merged.payload.empty())
                merged.payload = firstOpen ? first.payload : again.payload;
            first = merged;
            pending.lines[it->second] = std::min(pending.lines[it->second], pending.lines[i]);
            dropped[i] = 1;
            ++droppedCount;
        } else {
            again.flags |= SpanFlag::DuplicateId;
            warn(pending.lines[i],
                "duplicate span id " + quoted(id) + " (first seen on line "
                    + std::to_string(pending.lines[it->second]) + "): both kept");
        }
    }
    if (droppedCount == 0)
        return;
    size_t out = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
        if (dropped[i])
            continue;
        spans[out] = spans[i];
        pending.lines[out] = pending.lines[i];
        pending.parentIds[out] = pending.parentIds[i];
        ++out;
    }
    spans.resize(out);
    pending.lines.resize(out);
    pending.parentIds.resize(out);
}

void TraceSetBuilder::linkParents(
    Trace& trace, const std::vector<int64_t>& lines, const std::vector<StrRef>& parentIds)
{
    auto& spans = trace.spans;
    std::unordered_map<std::string_view, int32_t> indexById;
    indexById.reserve(spans.size());
    for (size_t i = 0; i < spans.size(); ++i) {
        if (spans[i].flags & SpanFlag::DuplicateId)
            continue;
        indexById.emplace(m_strings->view(spans[i].id), int32_t(i));
    }
    std::vector<size_t> missing;
    for (size_t i = 0; i < spans.size(); ++i) {
        Span& span = spans[i];
        const auto parentId = m_scratch.view(parentIds[i]);
        if (parentId.empty())
            continue;
        auto it = indexById.find(parentId);
        if (it == indexById.end() || it->second == int32_t(i)) {
            span.flags |= SpanFlag::ParentMissing;
            warn(lines[i],
                "span " + quoted(m_strings->view(span.id)) + " names parent " + quoted(parentId)
                    + ", which never appears in trace " + quoted(trace.id)
                    + ": shown at the top level");
            missing.push_back(i);
            continue;
        }
        span.parent = it->second;
        span.parentId = spans[size_t(it->second)].id;
    }
    // The map's keys view the arena: only now may it grow.
    indexById = {};
    for (size_t i : missing)
        spans[i].parentId = m_strings->add(m_scratch.view(parentIds[i]));
    // Depths, cutting any loop in the parent chains (a malformed source can create one).
    constexpr uint16_t kUnknown = 0xffff;
    for (auto& span : spans)
        span.depth = kUnknown;
    std::vector<int32_t> chain;
    std::vector<uint8_t> onChain(spans.size(), 0);
    for (size_t i = 0; i < spans.size(); ++i) {
        int32_t at = int32_t(i);
        chain.clear();
        while (at >= 0 && spans[at].depth == kUnknown && !onChain[at]) {
            onChain[at] = 1;
            chain.push_back(at);
            at = spans[at].parent;
        }
        if (at >= 0 && onChain[at]) {
            // `at` closes a loop: cut its parent link.
            warn(lines[at],
                "span " + quoted(m_strings->view(spans[at].id))
                    + " is its own ancestor: parent link cut");
            spans[at].parent = -1;
            spans[at].flags |= SpanFlag::ParentCycle;
            spans[at].depth = 0;
            // Recompute the chain from scratch on the next pass of this index.
            for (int32_t c : chain)
                onChain[c] = 0;
            --i;
            continue;
        }
        uint16_t depth = at >= 0 ? uint16_t(std::min<int>(spans[at].depth + 1, kUnknown - 1)) : 0;
        for (auto c = chain.rbegin(); c != chain.rend(); ++c) {
            const bool root = spans[*c].parent < 0;
            spans[*c].depth = root ? 0 : depth;
            depth = uint16_t(std::min<int>(spans[*c].depth + 1, kUnknown - 1));
            onChain[*c] = 0;
        }
    }
}

void TraceSetBuilder::buildTrace(PendingTrace& pending, std::vector<Trace>& out)
{
    if (pending.spans.empty()) {
        warn(0, "trace " + quoted(pending.id) + " has no spans: nothing to show");
        return;
    }
    mergeDuplicates(pending);
    // The last moment the trace speaks of: a span that never ended lasted at least until then.
    int64_t lastRecordedNs = INT64_MIN;
    for (const Span& span : pending.spans)
        lastRecordedNs = std::max({ lastRecordedNs, span.startNs, span.endNs });
    size_t open = 0;
    int64_t firstOpenLine = 0;
    for (size_t i = 0; i < pending.spans.size(); ++i) {
        Span& span = pending.spans[i];
        if (span.flags & SpanFlag::NoEnd) {
            if (open++ == 0)
                firstOpenLine = pending.lines[i];
            // Drawn and compared as what it is: work that did not finish.
            span.endNs = lastRecordedNs;
            span.status = SpanStatus::Error;
            continue;
        }
        if (span.endNs < span.startNs) {
            warn(pending.lines[i],
                "span " + quoted(m_strings->view(span.id))
                    + " ends before it starts: end set to its start");
            span.endNs = span.startNs;
            span.flags |= SpanFlag::EndBeforeStart;
        }
    }
    if (open > 0)
        warn(firstOpenLine,
            std::to_string(open) + " span(s) of trace " + quoted(pending.id)
                + " have a start but no end (still running, killed, or the end was lost): "
                  "shown as not finished, until the trace's last record");
    std::vector<uint32_t> order(pending.spans.size());
    std::iota(order.begin(), order.end(), 0u);
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        const Span& x = pending.spans[a];
        const Span& y = pending.spans[b];
        if (x.startNs != y.startNs)
            return x.startNs < y.startNs;
        return x.endNs > y.endNs;
    });

    Trace trace;
    trace.source = m_source;
    trace.id = pending.id;
    trace.name = pending.name;
    trace.origin = m_origin;
    trace.types = m_types;
    trace.strings = m_strings;
    trace.spans.reserve(order.size());
    std::vector<int64_t> lines;
    std::vector<StrRef> parentIds;
    lines.reserve(order.size());
    parentIds.reserve(order.size());
    for (uint32_t index : order) {
        trace.spans.push_back(pending.spans[index]);
        lines.push_back(pending.lines[index]);
        parentIds.push_back(pending.parentIds[index]);
    }
    pending = {};
    linkParents(trace, lines, parentIds);

    trace.startNs = trace.spans.front().startNs;
    trace.endNs = trace.spans.front().endNs;
    int64_t rootDuration = -1;
    for (size_t i = 0; i < trace.spans.size(); ++i) {
        const Span& span = trace.spans[i];
        trace.endNs = std::max(trace.endNs, span.endNs);
        if (span.hasError())
            ++trace.errorCount;
        if (span.parent < 0 && span.durationNs() > rootDuration) {
            rootDuration = span.durationNs();
            trace.root = int32_t(i);
        }
    }
    if (trace.name.empty() && trace.root >= 0)
        trace.name = std::string(trace.spanName(trace.spans[trace.root]));
    out.push_back(std::move(trace));
}

ImportResult TraceSetBuilder::finish()
{
    ImportResult result;
    for (auto& pending : m_traces)
        buildTrace(pending, result.traces);
    m_traces.clear();
    m_traceIndex.clear();
    m_scratch = StringStore();
    // The arena is complete: views into it are stable from here on.
    m_strings->compact();
    if (m_suppressedWarnings > 0)
        m_warnings.push_back({ m_origin, 0,
            std::to_string(m_suppressedWarnings) + " more warnings of this kind were not listed" });
    result.warnings = std::move(m_warnings);
    return result;
}

} // namespace tt::timeline
