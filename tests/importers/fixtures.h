// SPDX-License-Identifier: MIT
#pragma once

#include "importers/common/files.h"
#include "importers/timeline/steps.h"

#include <string>
#include <vector>

namespace tt::importers::testing {

inline std::string fixture(const std::string& relative)
{
    return std::string(TT_FIXTURES) + "/" + relative;
}

inline timeline::ImportResult importFixture(
    const std::string& relative, Format format = Format::Auto)
{
    return importPath(fixture(relative), format);
}

inline bool hasWarning(
    const timeline::ImportResult& result, std::string_view fragment, int64_t line = -1)
{
    for (const auto& w : result.warnings)
        if (w.message.find(fragment) != std::string::npos && (line < 0 || w.line == line))
            return true;
    return false;
}

inline std::vector<std::string> stepLabels(const timeline::Trace& trace)
{
    std::vector<std::string> labels;
    for (const auto& step : timeline::extractSteps(trace))
        labels.push_back(step.label());
    return labels;
}

inline const timeline::Span* findSpan(const timeline::Trace& trace, std::string_view id)
{
    for (const auto& span : trace.spans)
        if (trace.str(span.id) == id)
            return &span;
    return nullptr;
}

inline const std::vector<std::string> kWriterSteps
    = { "llm_call#1", "read_multiple_files#1", "llm_call#2" };

} // namespace tt::importers::testing
