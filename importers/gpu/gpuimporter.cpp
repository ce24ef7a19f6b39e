// SPDX-License-Identifier: MIT
#include "gpuimporter.h"

#include "importers/common/lines.h"
#include "importers/timeline/tracebuilder.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <map>

namespace tt::importers::gpu {

namespace {

struct Sample
{
    int64_t timeNs = 0;
    int device = 0;
    std::string name;
    double utilization = 0;
    double memoryUsedGiB = 0;
    int64_t periodNs = 0; // the sampler's period, when it says
    int64_t line = 0;
    std::string_view record;
};

// A number field, or the fallback when it is missing or not a number (never throws).
double number(const nlohmann::json& object, const char* key, double fallback = 0)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<double>() : fallback;
}

// Readings far outside any real clock (year 1970..2200) are refused: they would overflow the
// span arithmetic.
constexpr int64_t kLatestNs = int64_t(7'258'118'400) * 1'000'000'000;

} // namespace

timeline::ImportResult importSamples(std::shared_ptr<const std::string> bytes, std::string origin)
{
    timeline::TraceSetBuilder builder(timeline::Source::Gpu, origin, bytes);
    std::map<int, std::vector<Sample>> byDevice;
    forEachLine(*bytes, [&](int64_t line, std::string_view record) {
        const auto json = nlohmann::json::parse(record, nullptr, false);
        if (json.is_discarded() || !json.is_object()) {
            builder.warn(line, "expected a JSON object (a GPU sample), found something else");
            return;
        }
        const auto time = json.find("time_ns");
        if (time == json.end() || !time->is_number_integer() || time->get<int64_t>() < 0
            || time->get<int64_t>() > kLatestNs) {
            builder.warn(line, "expected \"time_ns\" (integer nanoseconds since the epoch)");
            return;
        }
        const auto deviceField = json.find("device");
        const double device = number(json, "device", -1);
        if ((deviceField != json.end() && !deviceField->is_number())
            || (deviceField != json.end()
                && (device < 0 || device > 1024 || device != double(int(device))))) {
            builder.warn(line, "expected \"device\" to be a GPU index (0..1024)");
            return;
        }
        Sample sample;
        sample.timeNs = time->get<int64_t>();
        sample.device = deviceField == json.end() ? 0 : int(device);
        const auto name = json.find("name");
        sample.name
            = name != json.end() && name->is_string() ? name->get<std::string>() : std::string();
        sample.utilization = std::clamp(number(json, "utilization_pct"), 0.0, 100.0);
        sample.memoryUsedGiB
            = std::max(0.0, number(json, "memory_used_bytes")) / double(1ull << 30);
        sample.periodNs
            = int64_t(std::clamp(number(json, "period_ms"), 0.0, 3'600'000.0)) * 1'000'000;
        sample.line = line;
        sample.record = record;
        byDevice[sample.device].push_back(std::move(sample));
    });
    for (auto& [device, samples] : byDevice) {
        std::stable_sort(samples.begin(), samples.end(),
            [](const Sample& a, const Sample& b) { return a.timeNs < b.timeNs; });
        const std::string traceId = "gpu-" + std::to_string(device);
        builder.noteTrace(traceId,
            "GPU " + std::to_string(device)
                + (samples.front().name.empty() ? std::string() : ": " + samples.front().name));
        for (size_t i = 0; i < samples.size(); ++i) {
            const Sample& s = samples[i];
            // Until the next sample; the last one for the sampler's period (or as long as the
            // one before it).
            int64_t next = i + 1 < samples.size() ? samples[i + 1].timeNs : s.timeNs;
            if (i + 1 == samples.size())
                next = s.periodNs > 0 ? s.timeNs + s.periodNs
                    : i > 0           ? s.timeNs + (s.timeNs - samples[i - 1].timeNs)
                                      : s.timeNs;
            char label[64];
            std::snprintf(
                label, sizeof label, "%.0f %% · %.1f GiB", s.utilization, s.memoryUsedGiB);
            const std::string id = traceId + "-" + std::to_string(i);
            timeline::SpanInput in;
            in.traceId = traceId;
            in.id = id;
            in.name = label;
            in.kind = timeline::SpanKind::GpuSample;
            in.status = timeline::SpanStatus::Ok;
            in.startNs = s.timeNs;
            in.endNs = next;
            in.payload = s.record;
            in.line = s.line;
            builder.addSpan(in);
        }
    }
    return builder.finish();
}

} // namespace tt::importers::gpu
