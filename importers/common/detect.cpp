// SPDX-License-Identifier: MIT
#include "importer.h"

#include "timeparse.h"

#include "importers/langsmith/multipartruns.h"

namespace tt::importers {

namespace {

bool contains(std::string_view text, std::string_view needle)
{
    return text.find(needle) != std::string_view::npos;
}

// A quoted JSON key (or the same word as a string value: good enough to tell formats apart).
bool hasKey(std::string_view text, std::string_view key)
{
    return contains(text, "\"" + std::string(key) + "\"");
}

bool hasValue(std::string_view text, std::string_view key, std::string_view value)
{
    const std::string k = "\"" + std::string(key) + "\":";
    const std::string v = "\"" + std::string(value) + "\"";
    return contains(text, k + v) || contains(text, k + " " + v);
}

// "key":[ as a /runs/batch body starts its post and patch lists.
bool startsList(std::string_view text, std::string_view key)
{
    const std::string k = "\"" + std::string(key) + "\":";
    return contains(text, k + "[") || contains(text, k + " [");
}

std::string_view baseName(std::string_view path)
{
    const size_t slash = path.find_last_of("/\\");
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

} // namespace

std::optional<Format> formatFromName(std::string_view name)
{
    if (name == "auto")
        return Format::Auto;
    if (name == "openai")
        return Format::OpenAi;
    if (name == "langsmith")
        return Format::LangSmith;
    if (name == "agentic-log")
        return Format::AgenticRunLog; // refined by content in importBytes()
    if (name == "agentic-bench")
        return Format::AgenticBenchmark;
    if (name == "restate")
        return Format::RestateSnapshot;
    if (name == "gpu")
        return Format::GpuSamples;
    return std::nullopt;
}

std::string_view formatName(Format format)
{
    switch (format) {
    case Format::Auto:
        return "auto";
    case Format::OpenAi:
        return "openai";
    case Format::LangSmith:
        return "langsmith";
    case Format::AgenticTraceLog:
        return "agentic-trace-log";
    case Format::AgenticRunLog:
        return "agentic-log";
    case Format::AgenticBenchmark:
        return "agentic-bench";
    case Format::RestateSnapshot:
        return "restate";
    case Format::GpuSamples:
        return "gpu";
    case Format::Unknown:
        break;
    }
    return "unknown";
}

Format detectFormat(std::string_view bytes, std::string_view fileName)
{
    constexpr size_t kPeek = 64 * 1024;
    std::string_view head = bytes.substr(0, kPeek);
    if (head.substr(0, 3) == "\xEF\xBB\xBF")
        head.remove_prefix(3);
    const size_t first = head.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos)
        return Format::Unknown;
    head.remove_prefix(first);

    if (head.front() == '{' || head.front() == '[') {
        if (hasValue(head, "object", "trace.span") || hasValue(head, "object", "trace"))
            return Format::OpenAi;
        if (hasValue(head, "object", "twintrace.gpu_sample"))
            return Format::GpuSamples;
        if (hasKey(head, "span_id") && hasKey(head, "traces"))
            return Format::AgenticBenchmark;
        if (hasKey(head, "run_type") || hasKey(head, "dotted_order")
            || hasKey(head, "parent_run_id") || hasKey(head, "next_cursor")
            || hasKey(head, "cursors") || startsList(head, "post") || startsList(head, "patch"))
            return Format::LangSmith;
        return Format::Unknown;
    }
    if (langsmith::looksLikeMultipartRuns(head))
        return Format::LangSmith;
    // Python logging lines: "2026-02-09 10:15:00 - LEVEL - EVENT: ..." from the trace
    // processor, "2026-02-09 10:15:00[,123] - logger - LEVEL - ..." in run logs.
    if (head.size() >= 22 && parseTimestamp(head.substr(0, 19))) {
        const std::string_view firstLine = head.substr(0, head.find('\n'));
        if (head.substr(19, 3) == " - " && contains(firstLine, " - EVENT: "))
            return Format::AgenticTraceLog;
        if (head.substr(19, 3) == " - "
            || (head.size() >= 26 && head[19] == ',' && head.substr(23, 3) == " - "))
            return Format::AgenticRunLog;
    }
    const auto name = baseName(fileName);
    if (name.rfind("run_", 0) == 0 && name.size() > 4 && name.substr(name.size() - 4) == ".log")
        return Format::AgenticRunLog;
    if (contains(name, "trace") && name.size() > 4 && name.substr(name.size() - 4) == ".log")
        return Format::AgenticTraceLog;
    return Format::Unknown;
}

} // namespace tt::importers
