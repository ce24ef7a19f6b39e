// SPDX-License-Identifier: MIT
#include "snapshotrows.h"

namespace tt::importers::restate {

using json::Element;

Invocation& SnapshotRows::invocationFor(std::string_view id)
{
    auto found = m_invocations.find(id);
    if (found == m_invocations.end()) {
        found = m_invocations.emplace(id, Invocation()).first;
        found->second.id = found->first;
    }
    return found->second;
}

void SnapshotRows::noteTime(std::optional<int64_t> ns)
{
    if (ns)
        m_asOfNs = std::max(m_asOfNs, *ns);
}

template <typename Visit>
void SnapshotRows::forEachRow(const QueryAnswer& answer, std::string_view table, const Visit& visit)
{
    if (!answer.bytes || answer.bytes->empty()) {
        m_warnings.push_back(
            { answer.origin, 0, "empty answer: no " + std::string(table) + " rows" });
        return;
    }
    const std::string& bytes = *answer.bytes;
    if (bytes.compare(0, 6, "ARROW1") == 0 || bytes.compare(0, 4, "\xff\xff\xff\xff") == 0) {
        m_warnings.push_back({ answer.origin, 1,
            "this is an Apache Arrow answer: query /query with \"Accept: application/json\" "
            "exactly" });
        return;
    }
    auto parser = std::make_unique<simdjson::dom::parser>();
    const auto padded = json::padded(answer.bytes);
    m_keep.push_back(padded);
    Element root;
    bool salvaged = false;
    const auto error = json::parseDocument(*parser, *padded, root, salvaged);
    if (error != simdjson::SUCCESS) {
        m_warnings.push_back({ answer.origin, 1,
            "not a /query answer (" + json::describe(error) + "): expected {\"rows\": [...]}" });
        return;
    }
    if (salvaged)
        m_warnings.push_back(
            { answer.origin, 0, "the answer is cut short: the rows before the cut were imported" });
    simdjson::dom::array rows;
    if (root.is_object()) {
        const auto member = json::member(root, "rows");
        if (!member || member->get(rows) != simdjson::SUCCESS) {
            const std::string_view message = json::string(root, "message");
            m_warnings.push_back({ answer.origin, 1,
                message.empty() ? std::string("expected {\"rows\": [...]}")
                                : "the server answered an error: " + std::string(message) });
            return;
        }
    } else if (root.get(rows) != simdjson::SUCCESS) {
        m_warnings.push_back({ answer.origin, 1, "expected {\"rows\": [...]}" });
        return;
    }
    size_t n = 0;
    for (Element row : rows) {
        ++n;
        if (!row.is_object()) {
            m_warnings.push_back({ answer.origin, 1,
                std::string(table) + " row " + std::to_string(n) + " is not an object: skipped" });
            continue;
        }
        visit(row, 1, n);
    }
    m_parsers.push_back(std::move(parser));
}

void SnapshotRows::load(const Snapshot& snapshot)
{
    for (const QueryAnswer& answer : snapshot.invocations)
        forEachRow(answer, "sys_invocation",
            [this, origin = answer.origin](Element row, int64_t line, size_t n) {
                const std::string_view id = json::string(row, "id");
                if (id.empty())
                    return m_warnings.push_back({ origin, line,
                        "sys_invocation row " + std::to_string(n) + ": no \"id\": skipped" });
                Invocation& invocation = invocationFor(id);
                invocation.row = row;
                invocation.line = line;
            });
    for (const QueryAnswer& answer : snapshot.journal)
        forEachRow(answer, "sys_journal",
            [this, origin = answer.origin](Element row, int64_t line, size_t n) {
                JournalRow entry;
                const std::string_view id = json::string(row, "id");
                const auto index = json::member(row, "index");
                int64_t value = 0;
                if (id.empty() || !index || index->get(value) != simdjson::SUCCESS) {
                    m_warnings.push_back({ origin, line,
                        "sys_journal row " + std::to_string(n)
                            + ": expected \"id\" and a numeric \"index\": skipped" });
                    return;
                }
                entry.index = value;
                entry.type = json::string(row, "entry_type");
                entry.name = json::string(row, "name");
                entry.entryJson = json::string(row, "entry_json");
                entry.appendedNs = json::time(row, "appended_at");
                entry.line = line;
                invocationFor(id).journal.push_back(entry);
            });
    for (const QueryAnswer& answer : snapshot.events)
        forEachRow(answer, "sys_journal_events",
            [this, origin = answer.origin](Element row, int64_t line, size_t) {
                const std::string_view id = json::string(row, "id");
                if (id.empty())
                    return;
                EventRow event;
                event.type = json::string(row, "event_type");
                event.eventJson = json::string(row, "event_json");
                event.appendedNs = json::time(row, "appended_at");
                json::take(row["after_journal_entry_index"], event.afterEntry);
                event.line = line;
                invocationFor(id).events.push_back(event);
            });
    // Ongoing states end at the latest time the snapshot knows of.
    for (auto& [id, invocation] : m_invocations) {
        if (invocation.row)
            for (const char* key : { "created_at", "inboxed_at", "scheduled_at", "running_at",
                     "modified_at", "completed_at", "last_start_at" })
                noteTime(json::time(*invocation.row, key));
        for (const JournalRow& entry : invocation.journal)
            noteTime(entry.appendedNs);
        for (const EventRow& event : invocation.events)
            noteTime(event.appendedNs);
    }
}

} // namespace tt::importers::restate
