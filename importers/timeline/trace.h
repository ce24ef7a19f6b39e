// SPDX-License-Identifier: MIT
#pragma once

#include "span.h"

#include <memory>
#include <string>
#include <vector>

namespace tt::timeline {

// The spans of one run from one source, sorted by start time; spans that start together keep
// the source's order, a parent before the children that start with it.
struct Trace
{
    Source source = Source::Unknown;
    std::string id;
    std::string name;
    std::string origin; // file or URL it came from
    std::vector<Span> spans;
    std::shared_ptr<const TypeTable> types;
    std::shared_ptr<const StringStore> strings;
    int64_t startNs = 0;
    int64_t endNs = 0;
    uint32_t errorCount = 0;
    int32_t root = -1; // the longest span without a parent

    std::string_view str(StrRef ref) const { return strings->view(ref); }
    const SpanType& type(const Span& span) const { return types->at(span.typeIndex); }
    std::string_view spanName(const Span& span) const { return type(span).name; }
    SpanKind spanKind(const Span& span) const { return type(span).kind; }
    int64_t durationNs() const { return endNs - startNs; }
};

// A problem found while importing: which input, which line (1-based, 0 when not line based),
// and what was expected.
struct Warning
{
    std::string source;
    int64_t line = 0;
    std::string message;
};

struct ImportResult
{
    std::vector<Trace> traces;
    std::vector<Warning> warnings;

    size_t spanCount() const;
    size_t errorCount() const;
    // Moves another import's traces and warnings to the end of this one.
    void append(ImportResult&& other);
};

} // namespace tt::timeline
