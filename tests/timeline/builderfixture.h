// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/steps.h"
#include "importers/timeline/tracebuilder.h"

#include <string>

namespace tt::timeline::testing {

// Spans written the way tests think of them: ids, parent, kind, name, start and end in ms.
inline SpanInput span(std::string_view id, std::string_view parent, SpanKind kind,
    std::string_view name, int64_t startMs, std::optional<int64_t> endMs, int64_t line = 0,
    std::string_view trace = "t1")
{
    SpanInput in;
    in.traceId = trace;
    in.id = id;
    in.parentId = parent;
    in.kind = kind;
    in.name = name;
    in.startNs = startMs * 1'000'000;
    if (endMs)
        in.endNs = *endMs * 1'000'000;
    in.line = line;
    return in;
}

// A step as alignment sees it: kind, name, occurrence, start and end (ns).
inline Step step(SpanKind kind, const char* name, int occurrence, int64_t start, int64_t end)
{
    Step s;
    s.kind = kind;
    s.name = name;
    s.occurrence = occurrence;
    s.startNs = start;
    s.endNs = end;
    return s;
}

inline int32_t indexOf(const Trace& trace, std::string_view id)
{
    for (size_t i = 0; i < trace.spans.size(); ++i)
        if (trace.str(trace.spans[i].id) == id)
            return int32_t(i);
    return -1;
}

} // namespace tt::timeline::testing
