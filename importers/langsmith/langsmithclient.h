// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <functional>
#include <optional>
#include <string>

namespace tt::importers::langsmith {

// Which runs to read from the LangSmith API.
struct RunQuery
{
    std::string project; // a project (session) name or id; resolved to an id first
    std::string traceId; // one trace only
    std::string since; // ISO 8601 start_time bounds
    std::string until;
    bool errorsOnly = false;
    int pageSize = 100; // the API's default; at most 1000 on /api/v2
    int maxPages = 1000;
    int apiVersion = 2; // 2: POST /api/v2/runs/query; 1: the legacy POST /api/v1/runs/query
};

struct RunFetch
{
    timeline::ImportResult result; // the runs, through the LangSmith importer
    size_t runs = 0;
    int requests = 0;
    std::string error; // "" when every page was read; the pages read so far are kept
};

// Pages through a LangSmith API with its key (x-api-key, never logged nor repeated in errors):
// the project name is resolved through GET /api/v1/sessions?name=, then runs are read with
// the cursor until the last page. The runs of all pages are imported together, so that a trace
// split across pages is one trace.
class RunClient
{
public:
    // baseUrl: https://api.smith.langchain.com, or a self-hosted URL (with or without /api/v1).
    RunClient(std::string baseUrl, std::string apiKey);

    RunFetch fetch(const RunQuery& query, const std::function<void(int page)>& progress = {});

    // The key as it may be shown: "lsv2_…1a2b".
    static std::string maskedKey(const std::string& key);

private:
    std::string m_base; // without a trailing /api/v1 or slash
    std::string m_key;
};

} // namespace tt::importers::langsmith
