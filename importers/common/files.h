// SPDX-License-Identifier: MIT
#pragma once

#include "importer.h"

namespace tt::importers {

// Reads a file (with the padding the JSON parser wants) and imports it. A folder imports each
// file in it, in name order. A missing, unreadable or special file is a warning, not an error.
timeline::ImportResult importPath(const std::string& path, Format format = Format::Auto);

// Reads a whole file; nothing plus a reason when it cannot.
std::shared_ptr<const std::string> readFile(const std::string& path, std::string& error);

} // namespace tt::importers
