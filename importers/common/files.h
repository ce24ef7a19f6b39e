// SPDX-License-Identifier: MIT
#pragma once

#include "importer.h"

#include <cstdint>
#include <vector>

namespace tt::importers {

// Files larger than this are skipped with a warning unless the caller raises the limit: importing
// takes 1.5 to 1.8 bytes of memory per byte of file (the file itself plus ~300 bytes a span).
constexpr uint64_t kDefaultMaxFileBytes = uint64_t(2) << 30;

struct ImportOptions
{
    uint64_t maxFileBytes = kDefaultMaxFileBytes;
    // False for a summary (twintrace import): spans keep no payload, so OpenAI and LangSmith
    // JSON-lines files are read in pieces instead of whole, in about a tenth of their size.
    bool keepRecords = true;
};

// Imports files and folders together. A folder imports each file in it, in name order (a Restate
// snapshot folder as one snapshot). OpenAI and LangSmith records of all of them go into one
// builder per source, so that a trace split across files (requests saved one per file, a post
// and its later patch, query pages) is one trace and a record read twice is one span. A missing,
// unreadable, special or too large file is a warning, not an error.
timeline::ImportResult importPaths(const std::vector<std::string>& paths,
    Format format = Format::Auto, const ImportOptions& options = {});
timeline::ImportResult importPath(const std::string& path, Format format = Format::Auto);

// Reads a whole file in one read, straight into a buffer with the padding the JSON parser wants
// (no further copy). Nothing plus a reason when it cannot, or when it is over maxBytes.
std::shared_ptr<const std::string> readFile(
    const std::string& path, std::string& error, uint64_t maxBytes = kDefaultMaxFileBytes);

} // namespace tt::importers
