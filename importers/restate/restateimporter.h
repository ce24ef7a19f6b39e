// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/trace.h"

#include <memory>
#include <string>
#include <vector>

namespace tt::importers::restate {

// One answer of the admin API's POST /query with Accept: application/json: {"rows": [...]}, NULL
// columns omitted. `origin` names it in warnings (a file, or the query's URL and page).
struct QueryAnswer
{
    std::string origin;
    std::shared_ptr<const std::string> bytes;
};

// The raw answers for the three tables, in any number of pages each.
struct Snapshot
{
    std::vector<QueryAnswer> invocations; // sys_invocation
    std::vector<QueryAnswer> journal; // sys_journal
    std::vector<QueryAnswer> events; // sys_journal_events
};

// Maps a snapshot to the timeline model, one trace per invocation (its id is the trace id):
// - the invocation itself (kind Run, named by its target; Ok, or Error with the failure);
// - its lifecycle as Restate's UI derives it: pending, scheduled, running, suspended,
//   backing-off (until next_retry_at), paused, and completed / killed / cancelled;
// - one span per journal command, from the command to its completion notification
//   (appended_at); "call LLM" and other LLM-named runs are LLM calls, other runs tool calls, so
//   a durable run's steps line up with a baseline's; a failed completion is the span's error;
// - TransientError events as failed attempts under the command they name, Paused and Suspended
//   events as lifecycle spans.
// Ongoing states end at the snapshot's latest timestamp. Payloads are the rows' JSON; see
// readablePayload(). Bad rows are warnings; the rest imports.
timeline::ImportResult importSnapshot(const Snapshot& snapshot, const std::string& origin);

// A snapshot folder: sys_invocation*.json, sys_journal*.json and sys_journal_events*.json (pages
// in name order). True when `path` holds at least sys_invocation.json.
bool isSnapshotFolder(const std::string& path);
timeline::ImportResult importSnapshotFolder(const std::string& path);

// A payload with the journal's byte arrays ("payload": [34, 104, ...], "Success": [...]) turned
// into their text, or into the JSON they hold; for the inspector.
std::string readablePayload(std::string_view payload);

} // namespace tt::importers::restate
