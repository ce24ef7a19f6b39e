// SPDX-License-Identifier: MIT
#include "tracebuilder.h"

#include <algorithm>
#include <numeric>

namespace tt::timeline {

namespace {
constexpr size_t kMaxWarnings = 1000;
constexpr int64_t kPrecisionNs = 1'000'000; // the coarsest time unit a source sends

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
    , m_origins { std::move(origin) }
    , m_strings(std::make_shared<StringStore>(std::move(sourceBytes)))
    , m_types(std::make_shared<TypeTable>())
{ }

TraceSetBuilder::TraceSetBuilder(Source source)
    : m_source(source)
    , m_strings(std::make_shared<StringStore>())
    , m_types(std::make_shared<TypeTable>())
{ }

uint32_t TraceSetBuilder::currentOrigin()
{
    if (m_origins.empty()) // a warning before any source began
        m_origins.emplace_back();
    return uint32_t(m_origins.size() - 1);
}

void TraceSetBuilder::beginSource(
    std::string origin, std::shared_ptr<const std::string> sourceBytes)
{
    m_origins.push_back(std::move(origin));
    m_strings->addSource(std::move(sourceBytes));
}

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

void TraceSetBuilder::expectBytes(uint64_t bytes)
{
    const auto room = size_t(std::min<uint64_t>(bytes / 8, uint64_t(1) << 30));
    m_strings->reserve(room);
    m_scratch.reserve(room);
}

void TraceSetBuilder::noteTrace(std::string_view traceId, std::string_view name)
{
    auto& pending = traceFor(traceId);
    if (pending.name.empty())
        pending.name = std::string(name);
}

void TraceSetBuilder::addSpan(const SpanInput& in)
{
    // An end without a start can only complete a record of the same span read elsewhere.
    const bool endOnly = !in.startNs && in.endNs && !in.id.empty();
    if (!in.startNs && !endOnly) {
        warn(in.line, "span " + quoted(in.id) + " has no start time: skipped");
        return;
    }
    auto& pending = traceFor(in.traceId);
    Span span;
    span.startNs = endOnly ? *in.endNs : *in.startNs;
    span.endNs = in.endNs.value_or(span.startNs);
    if (!in.endNs)
        span.flags |= SpanFlag::NoEnd;
    if (endOnly)
        span.flags |= SpanFlag::NoStart;
    span.id = m_strings->slice(in.id);
    span.linkId = m_strings->slice(in.linkId);
    span.error = m_strings->slice(in.error);
    if (m_keepRecords)
        span.payload = m_strings->slice(in.payload);
    span.typeIndex = m_types->intern(in.kind, in.name);
    span.status = in.status;
    if (!in.error.empty())
        span.status = SpanStatus::Error;
    const auto origin = currentOrigin();
    pending.spans.push_back(span);
    pending.where.push_back({ in.line, origin });
    pending.parentIds.push_back(m_scratch.add(in.parentId));
    if (pending.origins.empty() || pending.origins.back() != origin)
        if (std::find(pending.origins.begin(), pending.origins.end(), origin)
            == pending.origins.end())
            pending.origins.push_back(origin);
}

void TraceSetBuilder::warn(int64_t line, std::string message)
{
    warnAt({ line, currentOrigin() }, std::move(message));
}

void TraceSetBuilder::warnAt(Where where, std::string message)
{
    if (m_warnings.size() >= kMaxWarnings) {
        ++m_suppressedWarnings;
        return;
    }
    m_warnings.push_back({ m_origins[where.origin], where.line, std::move(message) });
}

namespace {
// How complete a record is: both times beat a start alone, which beats an end alone.
int completeness(const Span& span)
{
    return (span.flags & SpanFlag::NoStart ? 0 : 2) + (span.flags & SpanFlag::NoEnd ? 0 : 1);
}
} // namespace

// Merges record `other` into record `into` of the same span id when they describe one span: a
// start record and an end record (a span logged at start and at end, a LangSmith post and its
// patch), or the same record read twice (a body and a file concatenating bodies, overlapping
// query pages). False when both are finished and disagree.
bool TraceSetBuilder::mergeRecords(PendingTrace& pending, size_t into, size_t other)
{
    Span& first = pending.spans[into];
    const Span& again = pending.spans[other];
    StrRef& parentId = pending.parentIds[into];
    const StrRef otherParent = pending.parentIds[other];
    if (completeness(first) == 3 && completeness(again) == 3) {
        return first.startNs == again.startNs && first.endNs == again.endNs
            && first.typeIndex == again.typeIndex
            && m_strings->view(first.error) == m_strings->view(again.error)
            && m_scratch.view(parentId) == m_scratch.view(otherParent);
    }
    // The more complete record's data wins; the other fills in what it lacks.
    const bool keepFirst = completeness(first) >= completeness(again);
    const Span& base = keepFirst ? first : again;
    const Span& rest = keepFirst ? again : first;
    Span merged = base;
    const bool baseHasStart = !(base.flags & SpanFlag::NoStart);
    const bool restHasStart = !(rest.flags & SpanFlag::NoStart);
    if (baseHasStart && restHasStart)
        merged.startNs = std::min(base.startNs, rest.startNs);
    else if (restHasStart)
        merged.startNs = rest.startNs;
    if (!baseHasStart && restHasStart)
        merged.flags &= uint8_t(~SpanFlag::NoStart);
    if ((base.flags & SpanFlag::NoEnd) && !(rest.flags & SpanFlag::NoEnd)) {
        merged.endNs = rest.endNs;
        merged.flags &= uint8_t(~SpanFlag::NoEnd);
    }
    if (merged.flags & SpanFlag::NoEnd)
        merged.endNs = merged.startNs;
    if (merged.error.empty() && !rest.error.empty()) {
        merged.error = rest.error;
        merged.status = rest.status;
    }
    if (merged.linkId.empty())
        merged.linkId = rest.linkId;
    if (merged.payload.empty())
        merged.payload = rest.payload;
    if (!otherParent.empty() && (!keepFirst || parentId.empty()))
        parentId = otherParent;
    first = merged;
    pending.where[into].line = std::min(pending.where[into].line, pending.where[other].line);
    return true;
}

void TraceSetBuilder::indexIds(const std::vector<Span>& spans, bool skipDuplicates)
{
    auto& ids = m_reuse.ids;
    ids.clear();
    for (size_t i = 0; i < spans.size(); ++i) {
        if (spans[i].id.empty() || (skipDuplicates && (spans[i].flags & SpanFlag::DuplicateId)))
            continue;
        ids.emplace_back(m_strings->view(spans[i].id), int32_t(i));
    }
    std::stable_sort(
        ids.begin(), ids.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
}

void TraceSetBuilder::mergeDuplicates(PendingTrace& pending)
{
    auto& spans = pending.spans;
    // firstOf[i]: the first span with i's id, when i is not that first one.
    indexIds(spans, false);
    const auto& ids = m_reuse.ids;
    auto& firstOf = m_reuse.firstOf;
    firstOf.assign(spans.size(), -1);
    for (size_t group = 0; group < ids.size();) {
        size_t next = group + 1;
        for (; next < ids.size() && ids[next].first == ids[group].first; ++next)
            firstOf[size_t(ids[next].second)] = ids[group].second;
        group = next;
    }
    std::vector<uint8_t> dropped;
    size_t droppedCount = 0;
    for (size_t i = 0; i < spans.size(); ++i) {
        if (firstOf[i] < 0)
            continue;
        const auto first = size_t(firstOf[i]);
        if (mergeRecords(pending, first, i)) {
            dropped.resize(spans.size(), 0);
            dropped[i] = 1;
            ++droppedCount;
            continue;
        }
        spans[i].flags |= SpanFlag::DuplicateId;
        const Where firstWhere = pending.where[first];
        warnAt(pending.where[i],
            "duplicate span id " + quoted(m_strings->view(spans[i].id)) + " (first seen on line "
                + std::to_string(firstWhere.line)
                + (firstWhere.origin == pending.where[i].origin
                        ? ""
                        : " of " + m_origins[firstWhere.origin])
                + ") with other times, parent or name: both kept");
    }
    if (droppedCount > 0)
        keepSpans(pending, [&dropped](size_t i) { return !dropped[i]; });
}

void TraceSetBuilder::keepSpans(PendingTrace& pending, const std::function<bool(size_t)>& keep)
{
    size_t out = 0;
    for (size_t i = 0; i < pending.spans.size(); ++i) {
        if (!keep(i))
            continue;
        pending.spans[out] = pending.spans[i];
        pending.where[out] = pending.where[i];
        pending.parentIds[out] = pending.parentIds[i];
        ++out;
    }
    pending.spans.resize(out);
    pending.where.resize(out);
    pending.parentIds.resize(out);
}

// End records whose start never came (a patch of a run posted before the capture began).
void TraceSetBuilder::dropUnmatchedEnds(PendingTrace& pending)
{
    keepSpans(pending, [&](size_t i) {
        const Span& span = pending.spans[i];
        if (!(span.flags & SpanFlag::NoStart))
            return true;
        warnAt(pending.where[i],
            "span " + quoted(m_strings->view(span.id))
                + " has no start time (only its end record was seen): skipped");
        return false;
    });
}

void TraceSetBuilder::linkParents(
    Trace& trace, const std::vector<Where>& where, const std::vector<StrRef>& parentIds)
{
    auto& spans = trace.spans;
    indexIds(spans, true);
    const auto& ids = m_reuse.ids;
    auto& missing = m_reuse.missing;
    missing.clear();
    for (size_t i = 0; i < spans.size(); ++i) {
        Span& span = spans[i];
        const auto parentId = m_scratch.view(parentIds[i]);
        if (parentId.empty())
            continue;
        const auto it = std::lower_bound(ids.begin(), ids.end(), parentId,
            [](const auto& entry, std::string_view id) { return entry.first < id; });
        if (it == ids.end() || it->first != parentId || it->second == int32_t(i)) {
            span.flags |= SpanFlag::ParentMissing;
            warnAt(where[i],
                "span " + quoted(m_strings->view(span.id)) + " names parent " + quoted(parentId)
                    + ", which never appears in trace " + quoted(trace.id)
                    + ": shown at the top level");
            missing.push_back(i);
            continue;
        }
        span.parent = it->second;
        span.parentId = spans[size_t(it->second)].id;
    }
    // The index views the arena: only now may it grow.
    m_reuse.ids.clear();
    for (size_t i : missing)
        spans[i].parentId = m_strings->add(m_scratch.view(parentIds[i]));
    // Depths, cutting any loop in the parent chains (a malformed source can create one).
    constexpr uint16_t kUnknown = 0xffff;
    for (auto& span : spans)
        span.depth = kUnknown;
    auto& chain = m_reuse.chain;
    auto& onChain = m_reuse.onChain;
    onChain.assign(spans.size(), 0);
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
            warnAt(where[at],
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

void TraceSetBuilder::orderSameStart(Trace& trace)
{
    // Sources give times in milliseconds at best: a quick tool call and the LLM call after it
    // often share their start. The order the source recorded them in (journal index, line) is
    // then the truth; only a child recorded before its parent (spans written as they end) moves,
    // with what it holds, to after that parent (and the siblings that waited for it too).
    auto& spans = trace.spans;
    const auto& order = m_reuse.order; // trace position -> the source's order
    auto& moved = m_reuse.moved; // old position -> new one
    moved.clear();
    for (size_t first = 0; first < spans.size();) {
        size_t last = first + 1;
        while (last < spans.size() && spans[last].startNs == spans[first].startNs)
            ++last;
        const auto inGroup
            = [&](int32_t index) { return index >= int32_t(first) && index < int32_t(last); };
        bool inOrder = true;
        for (size_t i = first; i < last && inOrder; ++i)
            inOrder = (i == first || order[i - 1] < order[i])
                && !(inGroup(spans[i].parent) && size_t(spans[i].parent) > i);
        if (!inOrder)
            reorderGroup(spans, first, last);
        first = last;
    }
    if (moved.empty())
        return;
    for (Span& span : spans)
        if (span.parent >= 0)
            span.parent = moved[size_t(span.parent)];
}

void TraceSetBuilder::reorderGroup(std::vector<Span>& spans, size_t first, size_t last)
{
    const auto& order = m_reuse.order;
    auto& moved = m_reuse.moved;
    if (moved.empty()) {
        moved.resize(spans.size());
        std::iota(moved.begin(), moved.end(), 0);
    }
    // The group in the source's order; a span whose parent (in the group) is not placed yet
    // waits for it, and comes out right after it with the others that waited.
    auto& bySource = m_reuse.group;
    bySource.resize(last - first);
    std::iota(bySource.begin(), bySource.end(), int32_t(first));
    std::sort(bySource.begin(), bySource.end(),
        [&](int32_t a, int32_t b) { return order[size_t(a)] < order[size_t(b)]; });
    // (parent, span) in the source's order within each parent: a span's children in the group
    // are one range of it.
    auto& byParent = m_reuse.byParent;
    byParent.clear();
    for (int32_t index : bySource)
        byParent.emplace_back(spans[size_t(index)].parent, index);
    std::stable_sort(byParent.begin(), byParent.end(),
        [](const auto& a, const auto& b) { return a.first < b.first; });
    auto& placed = m_reuse.placed;
    placed.assign(last - first, 0);
    auto& result = m_reuse.reordered;
    result.clear();
    auto& stack = m_reuse.chain;
    const auto waiting = [&](int32_t index) {
        const int32_t parent = spans[size_t(index)].parent;
        return parent >= int32_t(first) && parent < int32_t(last)
            && !placed[size_t(parent) - first];
    };
    for (int32_t index : bySource) {
        if (placed[size_t(index) - first] || waiting(index))
            continue;
        const uint32_t reached = order[size_t(index)]; // the spans recorded before it are seen
        stack.assign(1, index);
        while (!stack.empty()) {
            const int32_t at = stack.back();
            stack.pop_back();
            placed[size_t(at) - first] = 1;
            result.push_back(at);
            // The children that waited for it (recorded earlier), first recorded first (pushed
            // last); those recorded later come in their turn.
            const auto children = std::equal_range(byParent.begin(), byParent.end(),
                std::pair<int32_t, int32_t>(at, 0),
                [](const auto& a, const auto& b) { return a.first < b.first; });
            for (auto child = children.second; child != children.first;) {
                --child;
                if (!placed[size_t(child->second) - first]
                    && order[size_t(child->second)] < reached)
                    stack.push_back(child->second);
            }
        }
    }
    // A parent chain that loops inside the group was cut by linkParents; anything left keeps
    // the source's order.
    for (int32_t index : bySource)
        if (!placed[size_t(index) - first])
            result.push_back(index);
    auto& copy = m_reuse.spans;
    copy.assign(spans.begin() + ptrdiff_t(first), spans.begin() + ptrdiff_t(last));
    for (size_t k = 0; k < result.size(); ++k) {
        moved[size_t(result[k])] = int32_t(first + k);
        spans[first + k] = copy[size_t(result[k]) - first];
    }
}

std::string TraceSetBuilder::originOf(const PendingTrace& pending) const
{
    if (pending.origins.empty())
        return m_origins.empty() ? std::string() : m_origins.back();
    std::string joined;
    for (uint32_t origin : pending.origins)
        joined += (joined.empty() ? "" : " + ") + m_origins[origin];
    return joined;
}

void TraceSetBuilder::buildTrace(PendingTrace& pending, std::vector<Trace>& out)
{
    mergeDuplicates(pending);
    dropUnmatchedEnds(pending);
    if (pending.spans.empty()) {
        warn(0, "trace " + quoted(pending.id) + " has no spans: nothing to show");
        return;
    }
    // The last moment the trace speaks of: a span that never ended lasted at least until then.
    int64_t lastRecordedNs = INT64_MIN;
    for (const Span& span : pending.spans)
        lastRecordedNs = std::max({ lastRecordedNs, span.startNs, span.endNs });
    size_t open = 0;
    Where firstOpen;
    for (size_t i = 0; i < pending.spans.size(); ++i) {
        Span& span = pending.spans[i];
        if (span.flags & SpanFlag::NoEnd) {
            if (open++ == 0)
                firstOpen = pending.where[i];
            // Drawn and compared as what it is: work that did not finish.
            span.endNs = lastRecordedNs;
            span.status = SpanStatus::Error;
            continue;
        }
        if (span.endNs < span.startNs) {
            // Under a millisecond is precision, not disorder: langsmith (JS) sends start_time
            // with microseconds and end_time in whole milliseconds, so an instant run's end
            // reads up to 999 us before its start.
            if (span.startNs - span.endNs >= kPrecisionNs) {
                warnAt(pending.where[i],
                    "span " + quoted(m_strings->view(span.id))
                        + " ends before it starts: end set to its start");
                span.flags |= SpanFlag::EndBeforeStart;
            }
            span.endNs = span.startNs;
        }
    }
    if (open > 0)
        warnAt(firstOpen,
            std::to_string(open) + " span(s) of trace " + quoted(pending.id)
                + " have a start but no end (still running, killed, or the end was lost): "
                  "shown as not finished, until the trace's last record");
    auto& order = m_reuse.order;
    order.resize(pending.spans.size());
    std::iota(order.begin(), order.end(), 0u);
    // By start; ties keep the source's order (orderSameStart then moves only a child recorded
    // before its parent).
    std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) {
        return pending.spans[a].startNs < pending.spans[b].startNs;
    });

    Trace trace;
    trace.source = m_source;
    trace.id = pending.id;
    trace.name = pending.name;
    trace.origin = originOf(pending);
    trace.types = m_types;
    trace.strings = m_strings;
    trace.spans.reserve(order.size());
    auto& where = m_reuse.where;
    auto& parentIds = m_reuse.parentIds;
    where.clear();
    parentIds.clear();
    for (uint32_t index : order) {
        trace.spans.push_back(pending.spans[index]);
        where.push_back(pending.where[index]);
        parentIds.push_back(pending.parentIds[index]);
    }
    pending = {};
    linkParents(trace, where, parentIds);
    orderSameStart(trace);

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
        m_warnings.push_back({ m_origins.empty() ? std::string() : m_origins.front(), 0,
            std::to_string(m_suppressedWarnings) + " more warnings of this kind were not listed" });
    result.warnings = std::move(m_warnings);
    return result;
}

} // namespace tt::timeline
