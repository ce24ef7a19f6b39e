// SPDX-License-Identifier: MIT
#include "adminclient.h"

#include "importers/common/timeparse.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <thread>

namespace tt::importers::restate {

namespace {

using Clock = std::chrono::steady_clock;

std::string sqlText(const std::string& text)
{
    std::string out = "'";
    for (char c : text) {
        if (c == '\'')
            out += '\'';
        out += c;
    }
    return out + "'";
}

} // namespace

bool isInvocationId(const std::string& id)
{
    if (id.size() < 5 || id.compare(0, 4, "inv_") != 0)
        return false;
    return id.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 4)
        == std::string::npos;
}

namespace {

std::string inList(const std::vector<std::string>& values)
{
    std::string out;
    for (const std::string& value : values)
        out += (out.empty() ? "" : ", ") + sqlText(value);
    return out;
}

std::string whereOf(const AdminFilter& filter, std::vector<timeline::Warning>& warnings)
{
    std::vector<std::string> clauses;
    if (!filter.service.empty())
        clauses.push_back("target_service_name = " + sqlText(filter.service));
    if (!filter.handler.empty())
        clauses.push_back("target_handler_name = " + sqlText(filter.handler));
    if (!filter.statuses.empty())
        clauses.push_back("status IN (" + inList(filter.statuses) + ")");
    if (!filter.ids.empty()) {
        std::vector<std::string> ids;
        for (const std::string& id : filter.ids) {
            if (isInvocationId(id))
                ids.push_back(id);
            else
                warnings.push_back(
                    { "filter", 0, "\"" + id + "\" is not an invocation id (inv_...): ignored" });
        }
        clauses.push_back(ids.empty() ? "FALSE" : "id IN (" + inList(ids) + ")");
    }
    if (filter.createdFromMs)
        clauses.push_back(
            "created_at >= to_timestamp_millis(" + std::to_string(*filter.createdFromMs) + ")");
    if (filter.createdUntilMs)
        clauses.push_back(
            "created_at < to_timestamp_millis(" + std::to_string(*filter.createdUntilMs) + ")");
    std::string where;
    for (const std::string& clause : clauses)
        where += (where.empty() ? "" : " AND ") + clause;
    return where.empty() ? "TRUE" : where;
}

bool cancelled(const FetchOptions& options)
{
    return options.cancel && options.cancel->load();
}

// Sleeps in slices so a cancel is seen quickly.
void pause(std::chrono::milliseconds duration, const FetchOptions& options)
{
    const auto until = Clock::now() + duration;
    while (Clock::now() < until && !cancelled(options))
        std::this_thread::sleep_for(
            std::min<Clock::duration>(until - Clock::now(), std::chrono::milliseconds(50)));
}

// The ids and the latest modified_at of a sys_invocation answer.
struct PageInfo
{
    std::vector<std::string> ids;
    int64_t maxModifiedMs = 0;
    bool ok = false;
};

PageInfo readPage(const std::string& body)
{
    PageInfo page;
    simdjson::dom::parser parser;
    simdjson::dom::array rows;
    if (parser.parse(body)["rows"].get(rows) != simdjson::SUCCESS)
        return page;
    page.ok = true;
    for (auto row : rows) {
        std::string_view id, modified;
        if (row["id"].get(id) == simdjson::SUCCESS)
            page.ids.emplace_back(id);
        if (row["modified_at"].get(modified) == simdjson::SUCCESS)
            if (const auto ns = parseTimestamp(modified))
                page.maxModifiedMs = std::max(page.maxModifiedMs, *ns / 1000000);
    }
    return page;
}

std::string serverMessage(const std::string& body)
{
    const auto parsed = nlohmann::json::parse(body, nullptr, false);
    if (parsed.is_object() && parsed.contains("message") && parsed["message"].is_string())
        return parsed["message"].get<std::string>();
    return body.substr(0, 300);
}

} // namespace

AdminClient::AdminClient(std::string adminUrl)
    : m_url(std::move(adminUrl))
{
    while (!m_url.empty() && m_url.back() == '/')
        m_url.pop_back();
}

AdminClient::~AdminClient() = default;

std::optional<std::string> AdminClient::query(
    const std::string& sql, const FetchOptions& options, int& queries, std::string& error)
{
    httplib::Client client(m_url);
    client.set_connection_timeout(
        std::chrono::milliseconds(std::min(options.queryTimeoutMs, 5000)));
    client.set_read_timeout(std::chrono::milliseconds(options.queryTimeoutMs));
    client.set_keep_alive(false);
    const httplib::Headers headers = { { "Accept", "application/json" } };
    const std::string body = nlohmann::json { { "query", sql } }.dump();
    const auto started = Clock::now();
    const auto waited = [&] {
        return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started)
            .count();
    };
    std::chrono::milliseconds backoff(50);
    while (true) {
        if (cancelled(options)) {
            error = "cancelled";
            return std::nullopt;
        }
        ++queries;
        auto answer = client.Post("/query", headers, body, "application/json");
        if (!answer) {
            const auto failure = answer.error();
            if (failure == httplib::Error::Read) {
                error = "no complete answer from " + m_url + "/query within "
                    + std::to_string(options.queryTimeoutMs)
                    + " ms (a slow query, or the server closed the connection)";
                return std::nullopt;
            }
            // A server still starting refuses connections for a moment; one that answered
            // before and now refuses has gone away.
            if (!m_answered && waited() < options.readyTimeoutMs) {
                pause(backoff, options);
                backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
                continue;
            }
            error = std::string(m_answered
                            ? "the Restate admin API at " + m_url + " stopped answering: "
                            : "the Restate admin API at " + m_url + " does not answer: ")
                + httplib::to_string(failure);
            return std::nullopt;
        }
        m_answered = true;
        if (answer->status == 200) {
            const std::string type = answer->get_header_value("content-type");
            if (type.find("json") == std::string::npos) {
                error = "the admin API answered " + type
                    + " instead of JSON (an Arrow answer means the Accept header was lost on the "
                      "way)";
                return std::nullopt;
            }
            return std::move(answer->body);
        }
        const std::string message = serverMessage(answer->body);
        if (answer->status == 500 && message.find("partition") != std::string::npos
            && waited() < options.readyTimeoutMs) {
            pause(backoff, options); // partitions without a leader yet: the server is starting
            backoff = std::min(backoff * 2, std::chrono::milliseconds(1000));
            continue;
        }
        if (answer->status == 429 && waited() < options.readyTimeoutMs + 60000) {
            const int seconds
                = std::clamp(std::atoi(answer->get_header_value("retry-after").c_str()), 1, 10);
            pause(std::chrono::seconds(seconds), options);
            continue;
        }
        error = "HTTP " + std::to_string(answer->status) + " from " + m_url + "/query: " + message;
        return std::nullopt;
    }
}

FetchResult AdminClient::fetchWhere(const std::string& where, const FetchOptions& options)
{
    // The next poll starts from when this fetch started, and only if it read everything:
    // what changes while the pages are read, or on pages never read, comes again.
    const int64_t startedMs = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                                  .count();
    FetchResult result;
    std::string last;
    int page = 0;
    const std::string pageSize = std::to_string(std::max(1, options.pageSize));
    while (true) {
        ++page;
        const std::string sql = "SELECT * FROM sys_invocation WHERE (" + where + ")"
            + (last.empty() ? "" : " AND id > " + sqlText(last)) + " ORDER BY id LIMIT " + pageSize;
        auto invocations = query(sql, options, result.queries, result.error);
        if (!invocations)
            return result;
        const PageInfo info = readPage(*invocations);
        if (!info.ok) {
            result.error = "the sys_invocation answer of page " + std::to_string(page)
                + " has no rows array";
            return result;
        }
        const std::string origin = m_url + "/query page " + std::to_string(page);
        if (info.ids.empty())
            break;
        result.snapshot.invocations.push_back({ origin + " sys_invocation",
            std::make_shared<const std::string>(std::move(*invocations)) });
        // The page's journals and events: one query per table, whatever the page's size.
        const std::string ids = inList(info.ids);
        const struct
        {
            const char* table;
            const char* columns;
            const char* order;
            std::vector<QueryAnswer>* answers;
        } tables[] = {
            { "sys_journal", "id, index, entry_type, name, appended_at, entry_json, raw_length",
                "id, index", &result.snapshot.journal },
            { "sys_journal_events",
                "id, after_journal_entry_index, appended_at, event_type, event_json", "appended_at",
                &result.snapshot.events },
        };
        for (const auto& table : tables) {
            auto answer = query(std::string("SELECT ") + table.columns + " FROM " + table.table
                    + " WHERE id IN (" + ids + ") ORDER BY " + table.order,
                options, result.queries, result.error);
            if (!answer)
                return result;
            table.answers->push_back({ origin + " " + table.table,
                std::make_shared<const std::string>(std::move(*answer)) });
        }
        result.invocations += int(info.ids.size());
        if (options.progress)
            options.progress("page " + std::to_string(page) + ": "
                + std::to_string(result.invocations) + " invocations");
        if (int(info.ids.size()) < std::max(1, options.pageSize))
            break;
        last = info.ids.back();
    }
    result.complete = true;
    m_lastModifiedMs = startedMs;
    return result;
}

FetchResult AdminClient::fetch(const AdminFilter& filter, const FetchOptions& options)
{
    std::vector<timeline::Warning> warnings;
    const std::string where = whereOf(filter, warnings);
    FetchResult result = fetchWhere(where, options);
    result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
    return result;
}

FetchResult AdminClient::poll(const AdminFilter& filter, const FetchOptions& options)
{
    if (m_lastModifiedMs == 0)
        return fetch(filter, options);
    std::vector<timeline::Warning> warnings;
    // A second of overlap: modified_at has millisecond precision and rows of the same
    // millisecond may land after the last poll read them.
    const std::string where = whereOf(filter, warnings)
        + " AND (modified_at >= to_timestamp_millis(" + std::to_string(m_lastModifiedMs - 1000)
        + ") OR status IN ('pending', 'scheduled', 'ready', 'running', 'backing-off'))";
    FetchResult result = fetchWhere(where, options);
    result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
    return result;
}

bool saveSnapshot(const Snapshot& snapshot, const std::string& folder, std::string& error)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::create_directories(folder, ec);
    if (ec) {
        error = "cannot create " + folder + ": " + ec.message();
        return false;
    }
    const auto write = [&](const std::vector<QueryAnswer>& answers, const std::string& table) {
        for (size_t i = 0; i < answers.size(); ++i) {
            const std::string name = table + (i == 0 ? "" : "." + std::to_string(i + 1)) + ".json";
            const fs::path path = fs::path(folder) / name;
            const fs::path temporary = fs::path(folder) / (name + ".part");
            {
                std::ofstream out(temporary, std::ios::binary);
                out.write(answers[i].bytes->data(), std::streamsize(answers[i].bytes->size()));
                if (!out) {
                    error = "cannot write " + temporary.string();
                    return false;
                }
            }
            fs::rename(temporary, path, ec); // whole files only, even if we are killed
            if (ec) {
                error = "cannot write " + path.string() + ": " + ec.message();
                return false;
            }
        }
        return true;
    };
    // An empty table still gets its file, so the folder reads back as a snapshot.
    Snapshot complete = snapshot;
    for (auto* answers : { &complete.invocations, &complete.journal, &complete.events })
        if (answers->empty())
            answers->push_back({ "empty", std::make_shared<const std::string>("{\"rows\":[]}") });
    return write(complete.invocations, "sys_invocation") && write(complete.journal, "sys_journal")
        && write(complete.events, "sys_journal_events");
}

bool looksLikeAdminUrl(const std::string& text)
{
    return text.rfind("http://", 0) == 0 || text.rfind("https://", 0) == 0;
}

} // namespace tt::importers::restate
