// SPDX-License-Identifier: MIT
#pragma once

#include "restateimporter.h"

#include <atomic>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tt::importers::restate {

// Which invocations to fetch. Empty fields do not filter.
struct AdminFilter
{
    std::string service;
    std::string handler;
    std::vector<std::string> statuses; // pending, scheduled, running, backing-off, suspended...
    std::vector<std::string> ids; // inv_...
    std::optional<int64_t> createdFromMs; // Unix epoch milliseconds
    std::optional<int64_t> createdUntilMs;
};

struct FetchOptions
{
    int pageSize = 1000; // invocations per page; a page costs three queries
    int queryTimeoutMs = 30000; // one query
    int readyTimeoutMs = 30000; // how long to wait for partitions to get leaders (HTTP 500)
    std::function<void(const std::string&)> progress; // "page 3: 3000 invocations"
    const std::atomic<bool>* cancel = nullptr;
};

struct FetchResult
{
    Snapshot snapshot; // the raw answers, page by page
    std::vector<timeline::Warning> warnings;
    int queries = 0; // POST /query issued (retries included)
    int invocations = 0;
    bool complete = false; // false: cancelled, or stopped by an error (what came is kept)
    std::string error;
};

// Reads invocations, journals and journal events from Restate's admin API (POST /query, JSON).
// A fixed number of queries per page of invocations, never one per invocation: the invocations
// by id order (keyset paging), then the journal and the events of the page's ids. Retries what is
// worth retrying: HTTP 500 while partitions have no leader yet (with backoff, up to the ready
// timeout), 429 after its Retry-After; gives up with a clear message on SQL errors, Arrow
// answers, timeouts and a server that stops answering. Blocking: run it off the GUI thread.
class AdminClient
{
public:
    explicit AdminClient(std::string adminUrl); // http://127.0.0.1:9070
    ~AdminClient();

    FetchResult fetch(const AdminFilter& filter, const FetchOptions& options = {});

    // Incremental: only the invocations that changed since the last complete fetch() or poll()
    // started (modified since then, less a second, or still active), each with its whole
    // journal and events. The server's and this machine's clocks are taken to agree.
    FetchResult poll(const AdminFilter& filter, const FetchOptions& options = {});

    // One query, with the retries above: the answer's body or nothing and `error`.
    std::optional<std::string> query(
        const std::string& sql, const FetchOptions& options, int& queries, std::string& error);

    const std::string& url() const { return m_url; }

private:
    FetchResult fetchWhere(const std::string& where, const FetchOptions& options);

    std::string m_url;
    int64_t m_lastModifiedMs = 0;
    bool m_answered = false; // the server answered once: a refused connection now means it left
};

// Writes the answers as a snapshot folder: sys_invocation.json, sys_journal.json,
// sys_journal_events.json, further pages as sys_journal.2.json... (importSnapshotFolder reads
// it back identically). False with a reason.
bool saveSnapshot(const Snapshot& snapshot, const std::string& folder, std::string& error);

// inv_ followed by letters and digits. Restate answers a malformed id in an IN list with an HTTP
// 500, so ids are checked before they reach SQL.
bool isInvocationId(const std::string& id);

// True for http(s)://host:port[/] addresses: what `twintrace import` treats as an admin URL.
bool looksLikeAdminUrl(const std::string& text);

} // namespace tt::importers::restate
