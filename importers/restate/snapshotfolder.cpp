// SPDX-License-Identifier: MIT
// Snapshot folders on disk, and payloads made readable for the inspector.
#include "restateimporter.h"

#include "importers/common/files.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>

namespace tt::importers::restate {

namespace fs = std::filesystem;

bool isSnapshotFolder(const std::string& path)
{
    std::error_code ec;
    return fs::is_directory(path, ec) && fs::exists(fs::path(path) / "sys_invocation.json", ec);
}

timeline::ImportResult importSnapshotFolder(const std::string& path)
{
    Snapshot snapshot;
    std::vector<timeline::Warning> warnings;
    std::vector<fs::path> files;
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(path, ec))
        if (entry.is_regular_file(ec) && entry.path().extension() == ".json")
            files.push_back(entry.path());
    std::sort(files.begin(), files.end());
    for (const fs::path& file : files) {
        const std::string name = file.filename().string();
        // Pages: sys_journal.json, sys_journal.2.json...; sys_journal_events is its own table.
        const std::string table = name.substr(0, name.find('.'));
        std::vector<QueryAnswer>* answers = table == "sys_invocation" ? &snapshot.invocations
            : table == "sys_journal"                                  ? &snapshot.journal
            : table == "sys_journal_events"                           ? &snapshot.events
                                                                      : nullptr;
        if (!answers)
            continue; // other tables of a fuller capture (sys_service, sys_deployment...)
        std::string error;
        auto bytes = readFile(file.string(), error);
        if (!bytes) {
            warnings.push_back({ file.string(), 0, "cannot read: " + error });
            continue;
        }
        answers->push_back({ file.string(), std::move(bytes) });
    }
    timeline::ImportResult result = importSnapshot(snapshot, path);
    result.warnings.insert(result.warnings.begin(), warnings.begin(), warnings.end());
    return result;
}

namespace {

using nlohmann::json;

// [34, 104, 105, 34] -> "\"hi\"" when every element is a byte and the bytes are UTF-8 text.
bool asBytes(const json& value, std::string& out)
{
    if (!value.is_array() || value.empty())
        return false;
    out.clear();
    for (const json& element : value) {
        if (!element.is_number_unsigned() || element.get<uint64_t>() > 255)
            return false;
        out.push_back(char(element.get<uint64_t>()));
    }
    return true;
}

void decode(json& value)
{
    std::string bytes;
    if (asBytes(value, bytes)) {
        json parsed = json::parse(bytes, nullptr, false);
        value = parsed.is_discarded() ? json(bytes) : std::move(parsed);
        return;
    }
    if (value.is_object() || value.is_array())
        for (auto& child : value)
            decode(child);
}

} // namespace

std::string readablePayload(std::string_view payload)
{
    json value = json::parse(payload, nullptr, false);
    if (value.is_discarded())
        return std::string(payload);
    // Journal payloads hold JSON strings (entry_json, event_json) inside the row.
    for (const char* key : { "entry_json", "event_json", "command", "completion" })
        if (value.is_object() && value.contains(key) && value[key].is_string()) {
            json inner = json::parse(value[key].get<std::string>(), nullptr, false);
            if (!inner.is_discarded())
                value[key] = std::move(inner);
        }
    try {
        decode(value);
        return value.dump(2, ' ', false, json::error_handler_t::replace);
    } catch (const json::exception&) {
        return std::string(payload);
    }
}

} // namespace tt::importers::restate
