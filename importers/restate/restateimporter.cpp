// SPDX-License-Identifier: MIT
#include "restateimporter.h"

#include "snapshotrows.h"

#include "importers/common/files.h"
#include "importers/common/jsonutil.h"
#include "importers/timeline/tracebuilder.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>

namespace tt::importers::restate {

namespace {

using json::Element;
using timeline::SpanInput;
using timeline::SpanKind;
using timeline::SpanStatus;

struct Entry
{
    bool command = false;
    bool signal = false;
    std::string type; // Run, Sleep, Input...
    std::optional<uint64_t> completionId;
    std::string failure; // "[422] message" for a failed completion
};

bool containsNoCase(std::string_view text, std::string_view needle)
{
    return std::search(text.begin(), text.end(), needle.begin(), needle.end(), [](char a, char b) {
        return std::tolower(static_cast<unsigned char>(a)) == b;
    }) != text.end();
}

class Mapper
{
public:
    explicit Mapper(const std::string& origin)
        : m_builder(timeline::Source::Restate, origin)
    { }

    timeline::ImportResult run(const Snapshot& snapshot)
    {
        m_rows.load(snapshot);
        m_asOfNs = m_rows.asOfNs();
        for (auto& [id, invocation] : m_rows.invocations())
            map(invocation);
        return m_builder.finish();
    }

private:
    Entry parseEntry(std::string_view entryJson)
    {
        Entry entry;
        Element root;
        if (entryJson.empty()
            || m_entryParser.parse(entryJson.data(), entryJson.size(), true).get(root)
                != simdjson::SUCCESS
            || !root.is_object())
            return entry;
        simdjson::dom::object body;
        if (root["Command"].get(body) == simdjson::SUCCESS) {
            entry.command = true;
            for (auto field : body) {
                entry.type = std::string(field.key);
                uint64_t id = 0;
                if (field.value["completion_id"].get(id) == simdjson::SUCCESS
                    || field.value["result_completion_id"].get(id) == simdjson::SUCCESS)
                    entry.completionId = id;
                break;
            }
            return entry;
        }
        simdjson::dom::object notification;
        if (root["Notification"].get(notification) != simdjson::SUCCESS)
            return entry;
        simdjson::dom::object completion;
        if (notification["Completion"].get(completion) != simdjson::SUCCESS) {
            entry.signal = notification["Signal"].error() == simdjson::SUCCESS;
            return entry;
        }
        for (auto field : completion) {
            entry.type = std::string(field.key);
            uint64_t id = 0;
            if (field.value["completion_id"].get(id) == simdjson::SUCCESS)
                entry.completionId = id;
            Element failure;
            if (field.value.at_pointer("/result/Failure").get(failure) == simdjson::SUCCESS) {
                uint64_t code = 0;
                std::string_view message;
                json::take(failure["code"], code);
                json::take(failure["message"], message);
                entry.failure = "[" + std::to_string(code) + "] " + std::string(message);
            }
            break;
        }
        return entry;
    }

    static SpanKind commandKind(std::string_view type, std::string_view name)
    {
        if (type == "Run")
            return containsNoCase(name, "llm") ? SpanKind::LlmCall : SpanKind::ToolCall;
        if (type == "Input" || type == "Output")
            return SpanKind::Other;
        return SpanKind::JournalEntry;
    }

    void add(SpanInput& in, std::string_view parent, std::string_view id)
    {
        in.parentId = parent;
        in.id = id;
        m_builder.addSpan(in);
    }

    void lifecycle(const Invocation& inv, std::string_view name, std::optional<int64_t> start,
        std::optional<int64_t> end, std::string_view error = {})
    {
        if (!start)
            return;
        SpanInput in;
        in.traceId = inv.id;
        in.kind = SpanKind::Lifecycle;
        in.name = name;
        in.startNs = start;
        in.endNs = end ? std::max(*end, *start) : *start;
        in.error = error;
        in.line = inv.line;
        const std::string id = std::string(inv.id) + "/lifecycle/" + std::string(name) + "/"
            + std::to_string(*start);
        add(in, inv.id, id);
    }

    void map(Invocation& inv)
    {
        std::sort(inv.journal.begin(), inv.journal.end(),
            [](const JournalRow& a, const JournalRow& b) { return a.index < b.index; });
        std::stable_sort(
            inv.events.begin(), inv.events.end(), [](const EventRow& a, const EventRow& b) {
                return a.appendedNs.value_or(0) < b.appendedNs.value_or(0);
            });
        std::optional<Element> row = inv.row;
        auto at = [&](std::string_view key) {
            return row ? json::time(*row, key) : std::optional<int64_t>();
        };
        auto text = [&](std::string_view key) {
            return row ? json::string(*row, key) : std::string_view();
        };
        const auto created = at("created_at"), inboxed = at("inboxed_at"),
                   scheduled = at("scheduled_at"), scheduledStart = at("scheduled_start_at"),
                   running = at("running_at"), modified = at("modified_at"),
                   completed = at("completed_at"), nextRetry = at("next_retry_at"),
                   lastStart = at("last_start_at");
        if (!row)
            m_builder.warn(inv.journal.empty() ? 0 : inv.journal.front().line,
                "invocation " + std::string(inv.id)
                    + " has journal rows but no sys_invocation row: its lifecycle is unknown");

        // The invocation as a whole.
        const std::string_view status = text("status");
        const std::string_view result = text("completion_result");
        std::optional<int64_t> start = created;
        if (!start && !inv.journal.empty())
            start = inv.journal.front().appendedNs;
        if (!start) {
            m_builder.warn(inv.line,
                "invocation " + std::string(inv.id) + " has no created_at and no journal: skipped");
            return;
        }
        const int64_t asOf = std::max(m_asOfNs, *start);
        std::string rootError;
        if (result == "failure")
            rootError = std::string(text("completion_failure"));
        else if (status == "paused" || status == "backing-off")
            rootError
                = std::string(text("last_failure").substr(0, text("last_failure").find('\n')));
        std::string pausedFailure;
        for (const EventRow& event : inv.events)
            if (event.type == "Paused") {
                Element detail;
                std::string_view message;
                if (m_entryParser.parse(event.eventJson.data(), event.eventJson.size(), true)
                        .get(detail)
                    == simdjson::SUCCESS)
                    json::take(detail.at_pointer("/last_failure/error_message"), message);
                pausedFailure = std::string(message);
            }
        if (status == "paused" && rootError.empty())
            rootError = "paused" + (pausedFailure.empty() ? "" : ": " + pausedFailure);
        SpanInput root;
        root.traceId = inv.id;
        root.kind = SpanKind::Run;
        const std::string target
            = text("target").empty() ? std::string(inv.id) : std::string(text("target"));
        root.name = target;
        root.startNs = start;
        root.endNs = completed ? completed : std::optional<int64_t>(asOf);
        root.status = result == "success" ? SpanStatus::Ok : SpanStatus::Unset;
        root.error = rootError;
        const std::string rowJson = row ? json::minified(*row) : std::string();
        root.payload = rowJson;
        root.line = inv.line;
        add(root, {}, inv.id);
        m_builder.noteTrace(inv.id, target);

        // The lifecycle, as the UI derives it.
        lifecycle(inv, "pending", inboxed, running ? running : std::optional<int64_t>(asOf));
        lifecycle(inv, "scheduled", scheduled,
            scheduledStart ? scheduledStart
                : running  ? running
                           : std::optional<int64_t>(asOf));
        const bool waiting = status == "suspended" || status == "paused" || status == "backing-off";
        lifecycle(inv, "running", running,
            completed                 ? completed
                : waiting && modified ? modified
                                      : std::optional<int64_t>(asOf));
        if (status == "suspended")
            lifecycle(inv, "suspended", modified, asOf);
        if (status == "backing-off")
            lifecycle(inv, "backing-off",
                inv.events.empty() ? lastStart : inv.events.back().appendedNs,
                nextRetry ? std::max(*nextRetry, asOf) : asOf, rootError);
        if (completed) {
            const std::string_view failure = text("completion_failure");
            const char* end = result == "success"                ? "completed"
                : failure.find("killed") != std::string::npos    ? "killed"
                : failure.find("Cancelled") != std::string::npos ? "cancelled"
                                                                 : "failed";
            lifecycle(inv, end, completed, completed, result == "success" ? "" : failure);
        }

        // Journal commands, from the command to its completion.
        struct Completion
        {
            int64_t ns;
            std::string failure;
            std::string_view json;
        };
        std::map<uint64_t, Completion> completions;
        std::vector<std::pair<const JournalRow*, Entry>> commands;
        for (const JournalRow& row : inv.journal) {
            Entry entry = parseEntry(row.entryJson);
            if (entry.type.empty() && !entry.signal) // no entry_json: fall back on entry_type
                entry.command = row.type.rfind("Command: ", 0) == 0;
            if (entry.type.empty()) {
                const size_t colon = row.type.find(": ");
                entry.type = colon == std::string::npos ? std::string(row.type)
                                                        : std::string(row.type.substr(colon + 2));
            }
            if (entry.command)
                commands.emplace_back(&row, std::move(entry));
            else if (entry.completionId && row.appendedNs)
                completions[*entry.completionId]
                    = { *row.appendedNs, std::move(entry.failure), row.entryJson };
        }
        std::vector<std::string> commandIds;
        std::vector<int64_t> commandStarts;
        std::vector<int64_t> commandEntries; // journal index of each command
        std::vector<int64_t> commandEnds; // its completion's time, or the snapshot's
        for (auto& [journalRow, entry] : commands) {
            const std::string id = std::string(inv.id) + "/" + std::to_string(journalRow->index);
            commandIds.push_back(id);
            commandStarts.push_back(journalRow->appendedNs.value_or(*start));
            commandEntries.push_back(journalRow->index);
            SpanInput in;
            in.traceId = inv.id;
            in.kind = commandKind(entry.type, journalRow->name);
            std::string name = entry.type == "Run" && !journalRow->name.empty()
                ? std::string(journalRow->name)
                : entry.type == "Input" || entry.type == "Output" ? entry.type
                : journalRow->name.empty()                        ? entry.type
                                           : entry.type + " " + std::string(journalRow->name);
            in.name = name;
            in.startNs = journalRow->appendedNs;
            in.line = journalRow->line;
            std::string payload;
            const auto done
                = entry.completionId ? completions.find(*entry.completionId) : completions.end();
            if (done != completions.end()) {
                in.endNs = done->second.ns;
                in.error = done->second.failure;
                in.status = SpanStatus::Ok;
                payload = "{\"command\":" + std::string(journalRow->entryJson)
                    + ",\"completion\":" + std::string(done->second.json) + "}";
            } else {
                // A completable command still waiting (a run failing or in flight, a timer) ends
                // at the snapshot's time; the others are instants.
                in.endNs = entry.completionId ? std::optional<int64_t>(asOf) : in.startNs;
                if (entry.type == "Output" && result == "failure")
                    in.error = text("completion_failure");
                else if (!entry.completionId)
                    in.status = SpanStatus::Ok;
                payload = std::string(journalRow->entryJson);
            }
            in.payload = payload;
            commandEnds.push_back(in.endNs.value_or(asOf));
            if (!in.startNs) {
                m_builder.warn(
                    journalRow->line, "journal entry " + id + " has no appended_at: skipped");
                continue;
            }
            add(in, inv.id, id);
        }

        // Events: failed attempts under the command they name, pauses and suspensions.
        std::map<int64_t, int64_t> lastFailureAt; // command index -> time of its last failure
        int eventNumber = 0;
        for (const EventRow& event : inv.events) {
            ++eventNumber;
            if (!event.appendedNs)
                continue;
            Element detail;
            const bool parsed
                = m_entryParser.parse(event.eventJson.data(), event.eventJson.size(), true)
                      .get(detail)
                == simdjson::SUCCESS;
            const std::string id = std::string(inv.id) + "/event/" + std::to_string(eventNumber);
            if (event.type == "TransientError") {
                int64_t commandIndex = -1;
                uint64_t code = 0;
                std::string_view message, relatedName;
                if (parsed) {
                    json::take(detail["related_command_index"], commandIndex);
                    json::take(detail["error_code"], code);
                    json::take(detail["error_message"], message);
                    json::take(detail["related_command_name"], relatedName);
                }
                // Failures without a related command (the endpoint unreachable, the connection
                // cut) belong to the command in flight: the last one journaled before the event
                // whose completion came after it.
                if (commandIndex < 0 && event.afterEntry >= 0)
                    for (size_t c = commandEntries.size(); c-- > 0;)
                        if (commandEntries[c] <= event.afterEntry) {
                            if (commandEnds[c] >= *event.appendedNs)
                                commandIndex = int64_t(c);
                            break;
                        }
                const bool known = commandIndex >= 0 && size_t(commandIndex) < commandIds.size();
                const auto previous = lastFailureAt.find(commandIndex);
                SpanInput in;
                in.traceId = inv.id;
                in.kind = SpanKind::RetryAttempt;
                in.name = "failed attempt";
                in.startNs = previous != lastFailureAt.end() ? previous->second
                    : known                                  ? commandStarts[size_t(commandIndex)]
                                                             : *event.appendedNs;
                in.endNs = event.appendedNs;
                const std::string error = "[" + std::to_string(code) + "] " + std::string(message);
                in.error = error;
                in.payload = event.eventJson;
                in.line = event.line;
                lastFailureAt[commandIndex] = *event.appendedNs;
                add(in, known ? std::string_view(commandIds[size_t(commandIndex)]) : inv.id, id);
            } else if (event.type == "Paused" || event.type == "Suspended") {
                // Until the journal moves on again, or the snapshot's time.
                std::optional<int64_t> until;
                for (const JournalRow& row : inv.journal)
                    if (row.appendedNs && *row.appendedNs > *event.appendedNs) {
                        until = row.appendedNs;
                        break;
                    }
                lifecycle(inv, event.type == "Paused" ? "paused" : "suspended", event.appendedNs,
                    until ? until : std::optional<int64_t>(asOf),
                    event.type == "Paused" ? std::string_view(pausedFailure) : std::string_view());
            }
        }
        if (status == "paused"
            && std::none_of(inv.events.begin(), inv.events.end(),
                [](const EventRow& e) { return e.type == "Paused"; }))
            lifecycle(inv, "paused", modified, asOf, rootError);
    }

    timeline::TraceSetBuilder m_builder;
    SnapshotRows m_rows;
    simdjson::dom::parser m_entryParser;
    int64_t m_asOfNs = 0;

public:
    std::vector<timeline::Warning> takeWarnings() { return std::move(m_rows.warnings()); }
};

} // namespace

timeline::ImportResult importSnapshot(const Snapshot& snapshot, const std::string& origin)
{
    Mapper mapper(origin);
    timeline::ImportResult result = mapper.run(snapshot);
    auto warnings = mapper.takeWarnings();
    result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
    return result;
}

} // namespace tt::importers::restate
