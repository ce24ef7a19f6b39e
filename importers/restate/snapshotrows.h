// SPDX-License-Identifier: MIT
#pragma once

#include "restateimporter.h"

#include "importers/common/jsonutil.h"

#include <map>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace tt::importers::restate {

// The rows of a snapshot, grouped by invocation. Views point into the answers' parsed
// documents, which this object keeps alive.
struct JournalRow
{
    int64_t index = 0;
    std::string_view type; // "Command: Run", "Notification: Run"...
    std::string_view name;
    std::string_view entryJson;
    std::optional<int64_t> appendedNs;
    int64_t line = 0;
};

struct EventRow
{
    std::string_view type; // TransientError, Paused, Suspended
    std::string_view eventJson;
    std::optional<int64_t> appendedNs;
    int64_t afterEntry = -1; // the journal index the event came after
    int64_t line = 0;
};

struct Invocation
{
    std::optional<json::Element> row;
    std::string_view id;
    int64_t line = 0;
    std::vector<JournalRow> journal;
    std::vector<EventRow> events;
};

// What a journal entry's entry_json says: the command or completion type, its completion id, and
// a completion's failure.
// Reads /query answers into rows. Every answer or row it cannot read is a warning (with the
// answer's origin); the rest is kept.
class SnapshotRows
{
public:
    void load(const Snapshot& snapshot);

    std::map<std::string_view, Invocation>& invocations() { return m_invocations; }
    // The latest time the snapshot knows of: where ongoing states end.
    int64_t asOfNs() const { return m_asOfNs; }
    std::vector<timeline::Warning>& warnings() { return m_warnings; }

private:
    Invocation& invocationFor(std::string_view id);
    void noteTime(std::optional<int64_t> ns);
    template <typename Visit>
    void forEachRow(const QueryAnswer& answer, std::string_view table, const Visit& visit);

    std::map<std::string_view, Invocation> m_invocations;
    std::vector<std::unique_ptr<simdjson::dom::parser>> m_parsers;
    std::vector<std::shared_ptr<const std::string>> m_keep;
    std::vector<timeline::Warning> m_warnings;
    int64_t m_asOfNs = 0;
};

} // namespace tt::importers::restate
