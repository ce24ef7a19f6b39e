// SPDX-License-Identifier: MIT
// What the official JavaScript SDKs really send (@openai/agents 0.20.0 and langsmith 0.10.5,
// recorded byte for byte by tests/fixtures/sdk/generate.mjs), imported and compared with what each
// SDK recorded in-process: trace, span and error counts, parent links, durations.
#include "fixtures.h"

#include "importers/common/timeparse.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace tt::importers;
using namespace tt::importers::testing;
using nlohmann::json;

namespace {

// A time as the SDK holds it: an ISO string (@openai/agents) or epoch milliseconds (langsmith).
int64_t truthNs(const json& time)
{
    if (time.is_number())
        return int64_t(std::llround(time.get<double>() * 1e6));
    const auto ns = parseTimestamp(time.get<std::string>());
    EXPECT_TRUE(ns.has_value()) << time.dump();
    return ns.value_or(0);
}

struct TruthSpan
{
    std::string parent;
    std::string trace;
    int64_t durationNs = 0;
    bool failed = false;
};

struct Truth
{
    size_t traces = 0;
    std::map<std::string, TruthSpan> spans;
    size_t errors = 0;
};

Truth readTruth(const std::string& scenario)
{
    std::ifstream in(fixture("sdk/" + scenario + ".truth.json"));
    const json truth = json::parse(in);
    Truth out;
    out.traces = truth["traces"];
    for (const json& span : truth["spans"]) {
        TruthSpan s;
        s.parent = span["parent"].is_string() ? span["parent"].get<std::string>() : "";
        s.trace = span["trace"];
        s.durationNs = truthNs(span["end"]) - truthNs(span["start"]);
        s.failed = !span["error"].is_null();
        out.errors += s.failed ? 1 : 0;
        out.spans[span["id"]] = s;
    }
    return out;
}

// Within 5 % or 5 ms of what the SDK recorded, whichever is looser.
bool closeEnough(int64_t importedNs, int64_t truthNs)
{
    const int64_t tolerance = std::max<int64_t>(5'000'000, std::llabs(truthNs) / 20);
    return std::llabs(importedNs - truthNs) <= tolerance;
}

} // namespace

// Every folder of tests/fixtures/sdk; EveryCaptureIsCompared keeps this list complete.
const char* const kCaptures[] = { "openai-nominal", "openai-streamed", "openai-tool-throws",
    "openai-llm-500-once", "openai-llm-500-always", "openai-three-runs", "openai-slow-run-split",
    "openai-responses-nominal", "openai-responses-streamed", "openai-responses-tool-throws",
    "openai-responses-llm-500-once", "openai-responses-llm-500-always",
    "openai-responses-three-runs", "langsmith-nominal-batch", "langsmith-nominal-multipart",
    "langsmith-streamed-batch", "langsmith-streamed-multipart", "langsmith-tool-throws-batch",
    "langsmith-tool-throws-multipart", "langsmith-llm-500-once-batch",
    "langsmith-llm-500-once-multipart", "langsmith-llm-500-always-batch",
    "langsmith-llm-500-always-multipart", "langsmith-three-runs-batch",
    "langsmith-three-runs-multipart" };

class SdkCaptures : public ::testing::TestWithParam<const char*>
{
};

TEST_P(SdkCaptures, MatchWhatTheSdkRecorded)
{
    const std::string scenario = GetParam();
    const Truth truth = readTruth(scenario);
    ASSERT_FALSE(truth.spans.empty()) << scenario;
    // The folder holds every request the SDK's exporter sent, one file each: imported together.
    const auto result = importFixture("sdk/" + scenario);
    EXPECT_TRUE(result.warnings.empty())
        << result.warnings.at(0).source << ":" << result.warnings.at(0).line << ": "
        << result.warnings.at(0).message;
    EXPECT_EQ(result.traces.size(), truth.traces);
    EXPECT_EQ(result.spanCount(), truth.spans.size());
    EXPECT_EQ(result.errorCount(), truth.errors);
    std::set<std::string> seen;
    for (const auto& trace : result.traces) {
        for (const auto& span : trace.spans) {
            const std::string id(trace.str(span.id));
            seen.insert(id);
            const auto expected = truth.spans.find(id);
            ASSERT_NE(expected, truth.spans.end()) << "span " << id << " the SDK never recorded";
            const TruthSpan& want = expected->second;
            EXPECT_EQ(trace.id, want.trace) << id;
            const std::string parent = span.parent >= 0
                ? std::string(trace.str(trace.spans[size_t(span.parent)].id))
                : "";
            EXPECT_EQ(parent, want.parent) << id;
            EXPECT_EQ(span.hasError(), want.failed) << id;
            EXPECT_TRUE(closeEnough(span.durationNs(), want.durationNs))
                << id << ": " << span.durationNs() / 1e6 << " ms imported, "
                << want.durationNs / 1e6 << " ms recorded by the SDK";
        }
        // The root's duration is the trace's as the comparison and the report show it.
        ASSERT_GE(trace.root, 0);
        const auto& root = trace.spans[size_t(trace.root)];
        EXPECT_TRUE(closeEnough(
            root.durationNs(), truth.spans.at(std::string(trace.str(root.id))).durationNs));
    }
    EXPECT_EQ(seen.size(), truth.spans.size());
}

INSTANTIATE_TEST_SUITE_P(RealSdks, SdkCaptures, ::testing::ValuesIn(kCaptures),
    [](const ::testing::TestParamInfo<const char*>& info) {
        std::string name = info.param;
        for (char& c : name)
            if (!std::isalnum(static_cast<unsigned char>(c)))
                c = '_';
        return name;
    });

TEST(SdkCaptures, SplitExportsAreSeveralRequests)
{
    // The scenarios that prove merging: without it these would be several traces.
    for (const char* scenario : { "openai-slow-run-split", "langsmith-three-runs-batch",
             "langsmith-llm-500-once-multipart" }) {
        size_t files = 0;
        for (const auto& entry :
            std::filesystem::directory_iterator(fixture(std::string("sdk/") + scenario)))
            files += entry.is_regular_file() ? 1 : 0;
        EXPECT_GE(files, 2u) << scenario;
    }
}

TEST(SdkCaptures, EveryCaptureIsCompared)
{
    // A capture generate.mjs records but nobody lists here would never be checked.
    size_t truths = 0;
    for (const auto& entry : std::filesystem::directory_iterator(fixture("sdk"))) {
        const std::string name = entry.path().filename().string();
        const std::string suffix = ".truth.json";
        if (name.size() <= suffix.size() || name.substr(name.size() - suffix.size()) != suffix)
            continue;
        ++truths;
        const std::string folder = name.substr(0, name.size() - suffix.size());
        EXPECT_NE(
            std::find(std::begin(kCaptures), std::end(kCaptures), folder), std::end(kCaptures))
            << folder << " is not compared";
    }
    EXPECT_EQ(truths, std::size(kCaptures));
}
