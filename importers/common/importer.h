// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace tt::importers {

enum class Format
{
    Auto,
    OpenAi,
    LangSmith,
    AgenticTraceLog,
    AgenticRunLog,
    AgenticBenchmark,
    RestateSnapshot,
    GpuSamples,
    Unknown,
};

// The --source names of the command line (DESIGN.md section 6). "agentic-log" means either
// agentic-research log; the content tells which.
std::optional<Format> formatFromName(std::string_view name);
std::string_view formatName(Format format);

// Guesses the format from the first bytes and the file name. Unknown when nothing fits.
Format detectFormat(std::string_view bytes, std::string_view fileName = {});

// The format to read bytes as: `requested` unless Auto, refined by content ("agentic-log" names
// both agentic-research logs).
Format resolveFormat(std::string_view bytes, std::string_view origin, Format requested);

// The entry point for bytes already in memory: detects the format when asked, then runs the
// matching importer. Never throws; an unreadable input is a warning and no traces.
timeline::ImportResult importBytes(
    std::shared_ptr<const std::string> bytes, std::string origin, Format format = Format::Auto);

} // namespace tt::importers
