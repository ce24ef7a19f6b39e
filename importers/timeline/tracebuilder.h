// SPDX-License-Identifier: MIT
#pragma once

#include "trace.h"

#include <functional>
#include <optional>
#include <unordered_map>

namespace tt::timeline {

// One span as an importer read it. Views must stay valid until addSpan() returns; text inside
// the source buffer is referenced, not copied.
struct SpanInput
{
    std::string_view traceId;
    std::string_view id;
    std::string_view parentId;
    std::string_view linkId;
    std::string_view name;
    std::string_view error;
    std::string_view payload;
    SpanKind kind = SpanKind::Other;
    SpanStatus status = SpanStatus::Unset;
    std::optional<int64_t> startNs;
    std::optional<int64_t> endNs;
    int64_t line = 0;
};

// Collects spans in any order (children before parents, start and end records of one span,
// spans of several traces interleaved, several files read together) and turns them into sorted,
// linked Traces. Everything odd it meets becomes a Warning; it never throws for bad data.
class TraceSetBuilder
{
public:
    TraceSetBuilder(
        Source source, std::string origin, std::shared_ptr<const std::string> sourceBytes = {});
    // A builder for several sources, each announced with beginSource() before its spans.
    explicit TraceSetBuilder(Source source);

    // Reads on from another file: its spans join the traces already collected (a trace split
    // across requests, files or pages is one trace) and warnings name this origin.
    void beginSource(std::string origin, std::shared_ptr<const std::string> sourceBytes = {});

    // A span with only an end (a LangSmith patch) completes the start record of the same id.
    void addSpan(const SpanInput& input);
    // A trace object without times (OpenAI's export): gives the trace its name.
    void noteTrace(std::string_view traceId, std::string_view name);
    void warn(int64_t line, std::string message);

    StringStore& strings() { return *m_strings; }
    // Without records, spans keep no payload: a summary of a large import (twintrace import)
    // then needs no copy of the source, which it can read in pieces.
    void keepRecords(bool keep) { m_keepRecords = keep; }
    // Makes room for the text of about this many bytes of records still to come (ids and
    // parent ids copied out of the parser's buffer: about a tenth of an OpenAI span's line).
    void expectBytes(uint64_t bytes);
    bool keepsRecords() const { return m_keepRecords; }

    ImportResult finish();

private:
    // Where a record was read: a line of one of the origins.
    struct Where
    {
        int64_t line = 0;
        uint32_t origin = 0;
    };
    struct PendingTrace
    {
        std::string id;
        std::string name;
        std::vector<Span> spans;
        std::vector<Where> where;
        std::vector<StrRef> parentIds; // in m_scratch until linking
        std::vector<uint32_t> origins; // every origin that had a span of it
    };
    PendingTrace& traceFor(std::string_view traceId);
    uint32_t currentOrigin();
    void warnAt(Where where, std::string message);
    void buildTrace(PendingTrace& pending, std::vector<Trace>& out);
    void mergeDuplicates(PendingTrace& pending);
    bool mergeRecords(PendingTrace& pending, size_t into, size_t other);
    void dropUnmatchedEnds(PendingTrace& pending);
    static void keepSpans(PendingTrace& pending, const std::function<bool(size_t)>& keep);
    void linkParents(
        Trace& trace, const std::vector<Where>& where, const std::vector<StrRef>& parentIds);
    // Spans that start at the same time keep the order the source gave, a parent before its
    // children.
    void orderSameStart(Trace& trace);
    void reorderGroup(std::vector<Span>& spans, size_t first, size_t last);
    std::string originOf(const PendingTrace& pending) const;
    // Fills m_reuse.ids with (id, index) of the spans, sorted by id, the first index of an id
    // first; spans without an id, or marked as duplicates when asked, are left out.
    void indexIds(const std::vector<Span>& spans, bool skipDuplicates);

    Source m_source;
    std::vector<std::string> m_origins;
    std::shared_ptr<StringStore> m_strings;
    // Parent ids wait here until linking: a found parent's own id serves, so only the ids of
    // missing parents are copied into m_strings (saves ~30 bytes a span).
    StringStore m_scratch;
    std::shared_ptr<TypeTable> m_types;
    std::vector<PendingTrace> m_traces;
    std::unordered_map<std::string, size_t> m_traceIndex;
    std::vector<Warning> m_warnings;
    size_t m_suppressedWarnings = 0;
    bool m_keepRecords = true;
    // Working space of finish(), reused from trace to trace: an import of many small traces
    // would otherwise allocate a dozen times per trace.
    struct Reuse
    {
        std::vector<std::pair<std::string_view, int32_t>> ids;
        std::vector<int32_t> firstOf;
        std::vector<uint32_t> order;
        std::vector<Where> where;
        std::vector<StrRef> parentIds;
        std::vector<int32_t> chain;
        std::vector<uint8_t> onChain;
        std::vector<size_t> missing;
        std::vector<int32_t> moved;
        std::vector<int32_t> group;
        std::vector<std::pair<int32_t, int32_t>> byParent;
        std::vector<uint8_t> placed;
        std::vector<int32_t> reordered;
        std::vector<Span> spans;
    } m_reuse;
};

} // namespace tt::timeline
