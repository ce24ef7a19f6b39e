// SPDX-License-Identifier: MIT
#include "langsmithclient.h"

#include "langsmithimporter.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace tt::importers::langsmith {

namespace {

using nlohmann::json;

constexpr int kTimeoutSeconds = 30;

// The fields /api/v2 returns only when asked (it answers ids alone otherwise).
const char* const kSelects[]
    = { "ID", "NAME", "RUN_TYPE", "STATUS", "START_TIME", "END_TIME", "PARENT_RUN_ID", "TRACE_ID",
          "DOTTED_ORDER", "ERROR", "INPUTS", "OUTPUTS", "EXTRA", "TAGS", "SESSION_ID", "EVENTS" };

bool looksLikeUuid(const std::string& text)
{
    if (text.size() != 36)
        return false;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? c != '-' : !std::isxdigit(static_cast<unsigned char>(c)))
            return false;
    }
    return true;
}

struct Url
{
    std::string origin; // scheme://host:port
    std::string prefix; // a path the API lives under
};

Url splitUrl(const std::string& base)
{
    const size_t scheme = base.find("://");
    const size_t path = base.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    if (path == std::string::npos)
        return { base, {} };
    return { base.substr(0, path), base.substr(path) };
}

} // namespace

RunClient::RunClient(std::string baseUrl, std::string apiKey)
    : m_base(std::move(baseUrl))
    , m_key(std::move(apiKey))
{
    while (!m_base.empty() && m_base.back() == '/')
        m_base.pop_back();
    const std::string v1 = "/api/v1";
    if (m_base.size() >= v1.size() && m_base.compare(m_base.size() - v1.size(), v1.size(), v1) == 0)
        m_base.resize(m_base.size() - v1.size());
}

std::string RunClient::maskedKey(const std::string& key)
{
    if (key.size() < 12)
        return "****";
    return key.substr(0, 5) + "…" + key.substr(key.size() - 4);
}

RunFetch RunClient::fetch(const RunQuery& query, const std::function<void(int)>& progress)
{
    RunFetch out;
    const Url url = splitUrl(m_base);
    httplib::Client client(url.origin);
    client.set_connection_timeout(kTimeoutSeconds);
    client.set_read_timeout(kTimeoutSeconds);
    // No redirects: the key header would follow them to whatever host they name.
    client.set_follow_location(false);
    const httplib::Headers headers { { "x-api-key", m_key }, { "Accept", "application/json" } };
    // Errors name the URL and the status, never the key.
    const auto failed = [&](const std::string& what, const httplib::Result& result) {
        if (!result)
            return what + ": " + m_base + " does not answer (" + httplib::to_string(result.error())
                + ")";
        if (result->status == 401 || result->status == 403)
            return what + ": LangSmith refused the API key " + maskedKey(m_key) + " (HTTP "
                + std::to_string(result->status) + ")";
        return what + ": HTTP " + std::to_string(result->status) + " "
            + result->body.substr(0, 300);
    };

    std::string projectId = query.project;
    if (!query.project.empty() && !looksLikeUuid(query.project)) {
        const auto result = client.Get((url.prefix + "/api/v1/sessions?name="
                                           + httplib::detail::encode_query_param(query.project))
                                           .c_str(),
            headers);
        ++out.requests;
        if (!result || result->status != 200) {
            out.error = failed("finding project \"" + query.project + "\"", result);
            return out;
        }
        const auto sessions = json::parse(result->body, nullptr, false);
        if (!sessions.is_array() || sessions.empty() || !sessions[0].is_object()
            || !sessions[0].contains("id") || !sessions[0]["id"].is_string()) {
            out.error = "no LangSmith project named \"" + query.project + "\"";
            return out;
        }
        projectId = sessions[0]["id"].get<std::string>();
    }

    json runs = json::array();
    std::string cursor;
    for (int page = 0; page < query.maxPages; ++page) {
        json body;
        std::string path;
        if (query.apiVersion == 1) {
            path = url.prefix + "/api/v1/runs/query";
            if (!projectId.empty())
                body["session"] = json::array({ projectId });
            if (!query.traceId.empty())
                body["trace"] = query.traceId;
            if (query.errorsOnly)
                body["error"] = true;
            if (!query.since.empty())
                body["start_time"] = query.since;
            body["limit"] = query.pageSize;
            if (!cursor.empty())
                body["cursor"] = cursor;
        } else {
            path = url.prefix + "/api/v2/runs/query";
            if (!projectId.empty())
                body["project_ids"] = json::array({ projectId });
            if (!query.traceId.empty())
                body["trace_id"] = query.traceId;
            if (query.errorsOnly)
                body["has_error"] = true;
            if (!query.since.empty())
                body["min_start_time"] = query.since;
            if (!query.until.empty())
                body["max_start_time"] = query.until;
            body["selects"] = kSelects;
            body["page_size"] = std::min(query.pageSize, 1000);
            if (!cursor.empty())
                body["cursor"] = cursor;
        }
        const auto result = client.Post(path.c_str(), headers, body.dump(), "application/json");
        ++out.requests;
        if (!result || result->status != 200) {
            out.error = failed("reading runs (page " + std::to_string(page + 1) + ")", result);
            break;
        }
        const auto answer = json::parse(result->body, nullptr, false);
        const char* itemsKey = query.apiVersion == 1 ? "runs" : "items";
        if (answer.is_discarded() || !answer.is_object() || !answer.contains(itemsKey)
            || !answer[itemsKey].is_array()) {
            out.error = "reading runs (page " + std::to_string(page + 1) + "): expected {\""
                + itemsKey + "\":[...]} from " + m_base + path;
            break;
        }
        for (auto& run : answer[itemsKey])
            runs.push_back(std::move(run));
        if (progress)
            progress(page + 1);
        const json* next = nullptr;
        if (query.apiVersion == 1) {
            if (answer.contains("cursors") && answer["cursors"].is_object()
                && answer["cursors"].contains("next"))
                next = &answer["cursors"]["next"];
        } else if (answer.contains("next_cursor")) {
            next = &answer["next_cursor"];
        }
        if (!next || !next->is_string() || next->get<std::string>().empty())
            break;
        cursor = next->get<std::string>();
    }
    out.runs = runs.size();
    if (!runs.empty())
        out.result = importRuns(
            std::make_shared<const std::string>(runs.dump()), m_base + " (LangSmith API)");
    return out;
}

} // namespace tt::importers::langsmith
