// SPDX-License-Identifier: MIT
#pragma once

#include "importers/common/files.h"
#include "importers/restate/adminclient.h"
#include "importers/timeline/alignment.h"
#include "importers/timeline/runview.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

// What the subcommands print: the JSON DESIGN.md section 6 fixes, and a plain-text form.
namespace tt::cli {

// How an admin URL among the sources is read: which invocations, and where the raw answers are
// kept as a snapshot folder ("" for nowhere).
struct RestateImport
{
    importers::restate::AdminFilter filter;
    std::string saveSnapshotTo;
    int pageSize = 1000;
    int readyTimeoutMs = 3000; // a server that refuses connections longer is reported as down
    bool progress = false; // page counts on stderr
};

// Imports every source (file, folder, or a Restate admin URL). Files and folders are read
// together, so a trace split across them is one trace; files over options.maxFileBytes are skipped
// with a warning.
timeline::ImportResult importSources(const std::vector<std::string>& sources,
    importers::Format format, const RestateImport& restate = {},
    const importers::ImportOptions& options = {});

nlohmann::json importJson(const timeline::ImportResult& result);
std::string importText(const timeline::ImportResult& result);

// A run view over all traces of one import, for alignment.
timeline::RunView runViewOf(const timeline::ImportResult& result, const std::string& name);

nlohmann::json alignJson(const std::vector<timeline::Step>& left,
    const std::vector<timeline::Step>& right, const std::vector<timeline::AlignedRow>& rows);
std::string alignText(const std::vector<timeline::Step>& left,
    const std::vector<timeline::Step>& right, const std::vector<timeline::AlignedRow>& rows);

double toMs(int64_t ns);
// Pretty JSON on stdout; invalid UTF-8 from the input is replaced, never thrown on.
void printJson(const nlohmann::json& value);

} // namespace tt::cli
