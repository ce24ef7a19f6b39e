// SPDX-License-Identifier: MIT
#include "importer.h"

#include "importers/agentic/agenticimporters.h"
#include "importers/gpu/gpuimporter.h"
#include "importers/langsmith/langsmithimporter.h"
#include "importers/openai/openaiimporter.h"

namespace tt::importers {

Format resolveFormat(std::string_view bytes, std::string_view origin, Format requested)
{
    const Format detected = detectFormat(bytes, origin);
    if (requested == Format::Auto)
        return detected;
    if (requested == Format::AgenticRunLog && detected == Format::AgenticTraceLog)
        return Format::AgenticTraceLog;
    return requested;
}

timeline::ImportResult importBytes(
    std::shared_ptr<const std::string> bytes, std::string origin, Format format)
{
    if (!bytes)
        bytes = std::make_shared<const std::string>();
    switch (resolveFormat(*bytes, origin, format)) {
    case Format::OpenAi:
        return openai::importTraces(std::move(bytes), std::move(origin));
    case Format::LangSmith:
        return langsmith::importRuns(std::move(bytes), std::move(origin));
    case Format::AgenticTraceLog:
        return agentic::importTraceLog(std::move(bytes), std::move(origin));
    case Format::AgenticRunLog:
        return agentic::importRunLog(std::move(bytes), std::move(origin));
    case Format::AgenticBenchmark:
        return agentic::importBenchmark(std::move(bytes), std::move(origin));
    case Format::GpuSamples:
        return gpu::importSamples(std::move(bytes), std::move(origin));
    case Format::RestateSnapshot:
        return { {},
            { { origin, 0,
                "Restate snapshots are folders of /query answers: "
                "pass the folder (the Restate importer reads them)" } } };
    case Format::Auto:
    case Format::Unknown:
        break;
    }
    timeline::ImportResult result;
    result.warnings.push_back({ origin, 0,
        bytes->empty() ? "empty file: nothing to import"
                       : "unrecognised format: expected OpenAI Agents traces (JSON lines or "
                         "{\"data\":[...]}), LangSmith runs, an agentic-research trace.log, "
                         "run_*.log or benchmark trace.json (or name one with --source)" });
    return result;
}

} // namespace tt::importers
