// SPDX-License-Identifier: MIT
#include "report.h"

#include "importers/common/files.h"

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <memory>

namespace tt::cli {

using nlohmann::json;

double toMs(int64_t ns)
{
    return std::round(double(ns) / 1e3) / 1e3;
}

void printJson(const json& value)
{
    const std::string out = value.dump(2, ' ', false, json::error_handler_t::replace);
    std::fwrite(out.data(), 1, out.size(), stdout);
    std::fputc('\n', stdout);
}

namespace {

std::string formatMs(int64_t ns)
{
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%.1f ms", double(ns) / 1e6);
    return buffer;
}

} // namespace

namespace {

timeline::ImportResult importAdminUrl(const std::string& url, const RestateImport& restate)
{
    namespace rs = importers::restate;
    rs::AdminClient client(url);
    rs::FetchOptions options;
    options.pageSize = restate.pageSize;
    options.readyTimeoutMs = restate.readyTimeoutMs;
    if (restate.progress)
        options.progress = [&url](const std::string& line) {
            std::fprintf(stderr, "twintrace import: %s: %s\n", url.c_str(), line.c_str());
        };
    rs::FetchResult fetched = client.fetch(restate.filter, options);
    timeline::ImportResult result = rs::importSnapshot(fetched.snapshot, url);
    result.warnings.insert(
        result.warnings.begin(), fetched.warnings.begin(), fetched.warnings.end());
    if (!fetched.error.empty())
        result.warnings.insert(result.warnings.begin(),
            { url, 0,
                fetched.error
                    + (fetched.invocations > 0 ? " (what came before is imported)" : "") });
    std::string error;
    if (!restate.saveSnapshotTo.empty()
        && !rs::saveSnapshot(fetched.snapshot, restate.saveSnapshotTo, error))
        result.warnings.push_back({ restate.saveSnapshotTo, 0, error });
    return result;
}

} // namespace

timeline::ImportResult importSources(const std::vector<std::string>& sources,
    importers::Format format, const RestateImport& restate, const importers::ImportOptions& options)
{
    timeline::ImportResult merged;
    std::vector<std::string> paths;
    for (const auto& source : sources) {
        if (importers::restate::looksLikeAdminUrl(source))
            merged.append(importAdminUrl(source, restate));
        else
            paths.push_back(source);
    }
    if (!paths.empty())
        merged.append(importers::importPaths(paths, format, options));
    return merged;
}

json importJson(const timeline::ImportResult& result)
{
    // Filled in place: braced lists would copy every one of a big import's trace objects twice.
    json out = json::object();
    out["traces"] = result.traces.size();
    out["spans"] = result.spanCount();
    out["errors"] = result.errorCount();
    json& warnings = out["warnings"] = json::array();
    for (const auto& w : result.warnings) {
        json& warning = warnings.emplace_back(json::object());
        warning["source"] = w.source;
        warning["line"] = w.line;
        warning["message"] = w.message;
    }
    json& details = out["traces_detail"] = json::array();
    details.get_ref<json::array_t&>().reserve(result.traces.size());
    for (const auto& trace : result.traces) {
        json& detail = details.emplace_back(json::object());
        detail["id"] = trace.id;
        detail["source"] = timeline::toString(trace.source);
        detail["root"] = trace.root >= 0 ? trace.spanName(trace.spans[size_t(trace.root)])
                                         : std::string_view();
        detail["spans"] = trace.spans.size();
        detail["errors"] = trace.errorCount;
        detail["duration_ms"] = toMs(trace.durationNs());
    }
    return out;
}

std::string importText(const timeline::ImportResult& result)
{
    std::string out;
    char line[512];
    std::snprintf(line, sizeof line, "%zu traces, %zu spans, %zu with errors, %zu warnings\n",
        result.traces.size(), result.spanCount(), result.errorCount(), result.warnings.size());
    out += line;
    for (const auto& trace : result.traces) {
        std::snprintf(line, sizeof line, "  %-17s %-40.40s %6zu spans %4u errors %12s  %s\n",
            std::string(timeline::toString(trace.source)).c_str(), trace.id.c_str(),
            trace.spans.size(), trace.errorCount, formatMs(trace.durationNs()).c_str(),
            trace.name.c_str());
        out += line;
    }
    for (const auto& w : result.warnings) {
        std::snprintf(line, sizeof line, "  warning: %s:%lld: %.300s\n", w.source.c_str(),
            static_cast<long long>(w.line), w.message.c_str());
        out += line;
    }
    return out;
}

timeline::RunView runViewOf(const timeline::ImportResult& result, const std::string& name)
{
    timeline::RunView view(name);
    for (const auto& trace : result.traces)
        view.addTrace(std::make_shared<const timeline::Trace>(trace));
    return view;
}

json alignJson(const std::vector<timeline::Step>& left, const std::vector<timeline::Step>& right,
    const std::vector<timeline::AlignedRow>& rows)
{
    auto side = [](const std::vector<timeline::Step>& steps, int32_t index) -> json {
        if (index < 0)
            return nullptr;
        const auto& step = steps[size_t(index)];
        return { { "step", step.label() }, { "kind", std::string(timeline::toString(step.kind)) },
            { "duration_ms", toMs(step.durationNs()) },
            { "status", std::string(timeline::toString(step.status)) },
            { "attempts", step.attempts.size() } };
    };
    json out = json::array();
    for (const auto& row : rows)
        out.push_back({ { "left", side(left, row.left) }, { "right", side(right, row.right) },
            { "status", std::string(timeline::toString(row.status)) },
            { "delta_ms", toMs(row.deltaNs) } });
    return { { "rows", out }, { "left_steps", left.size() }, { "right_steps", right.size() } };
}

std::string alignText(const std::vector<timeline::Step>& left,
    const std::vector<timeline::Step>& right, const std::vector<timeline::AlignedRow>& rows)
{
    std::string out;
    char line[512];
    auto cell = [](const std::vector<timeline::Step>& steps, int32_t index) {
        if (index < 0)
            return std::string("-");
        const auto& step = steps[size_t(index)];
        std::string label = step.label() + " " + formatMs(step.durationNs());
        if (step.attempts.size() > 1)
            label += " x" + std::to_string(step.attempts.size());
        if (step.status == timeline::SpanStatus::Error)
            label += " (error)";
        return label;
    };
    std::snprintf(line, sizeof line, "%-40s %-40s %-10s %s\n", "left", "right", "status", "delta");
    out += line;
    for (const auto& row : rows) {
        std::snprintf(line, sizeof line, "%-40.40s %-40.40s %-10s %s\n",
            cell(left, row.left).c_str(), cell(right, row.right).c_str(),
            std::string(timeline::toString(row.status)).c_str(),
            row.left >= 0 && row.right >= 0 ? formatMs(row.deltaNs).c_str() : "");
        out += line;
    }
    return out;
}

} // namespace tt::cli
