// SPDX-License-Identifier: MIT
#include "requestlogimporter.h"

#include "importers/common/lines.h"
#include "importers/timeline/tracebuilder.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace tt::importers::llmlog {

namespace {

// Times before 1970 or after 2200 would overflow the span arithmetic.
constexpr double kLatestMs = 7'258'118'400'000.0;

} // namespace

timeline::ImportResult importRequestLog(
    std::shared_ptr<const std::string> bytes, std::string origin, const std::string& runId)
{
    timeline::TraceSetBuilder builder(timeline::Source::LlmRequests, origin, bytes);
    const std::string traceId = "llm-requests-" + (runId.empty() ? std::string("all") : runId);
    bool named = false;
    forEachLine(*bytes, [&](int64_t line, std::string_view record) {
        const auto json = nlohmann::json::parse(record, nullptr, false);
        if (json.is_discarded() || !json.is_object()) {
            builder.warn(line, "expected a JSON object (one request of the LLM log)");
            return;
        }
        const std::string run = json.value("run_id", std::string());
        if (!runId.empty() && run != runId)
            return;
        const auto ts = json.find("ts_ms");
        if (ts == json.end() || !ts->is_number() || ts->get<double>() < 0
            || ts->get<double>() > kLatestMs) {
            builder.warn(line, "expected \"ts_ms\" (milliseconds since the epoch)");
            return;
        }
        const auto number = [&json](const char* key) {
            const auto it = json.find(key);
            return it != json.end() && it->is_number() ? it->get<double>() : 0.0;
        };
        const double durationMs = std::clamp(number("duration_ms"), 0.0, 86'400'000.0);
        const int status = int(number("status"));
        const int call = int(number("call"));
        const std::string fault = json.contains("fault") && json.at("fault").is_string()
            ? json.at("fault").get<std::string>()
            : std::string();
        const bool answered = status == 200 && json.value("completed", true);
        if (!named) {
            builder.noteTrace(traceId, "LLM requests" + (runId.empty() ? "" : " of " + runId));
            named = true;
        }
        // SpanInput holds views: the strings live until addSpan has copied them.
        const std::string id = traceId + "-" + std::to_string(line);
        const std::string name = "call " + std::to_string(call) + " · " + std::to_string(status)
            + (fault.empty() ? "" : " " + fault);
        const std::string error
            = answered ? std::string() : (fault.empty() ? "HTTP " + std::to_string(status) : fault);
        timeline::SpanInput in;
        in.traceId = traceId;
        in.id = id;
        in.name = name;
        in.kind = timeline::SpanKind::LlmCall;
        in.status = answered ? timeline::SpanStatus::Ok : timeline::SpanStatus::Error;
        in.error = error;
        const int64_t endNs = int64_t(ts->get<double>() * 1e6);
        in.endNs = endNs;
        in.startNs = endNs - int64_t(durationMs * 1e6);
        in.payload = record;
        in.line = line;
        builder.addSpan(in);
    });
    return builder.finish();
}

} // namespace tt::importers::llmlog
