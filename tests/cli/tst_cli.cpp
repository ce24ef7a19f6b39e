// SPDX-License-Identifier: MIT
// Runs the real `twintrace` executable as a script or CI would, and checks its output and exit
// codes against DESIGN.md section 6.
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace {

struct Outcome
{
    int exitCode = -1;
    std::string out;
};

Outcome run(const std::string& arguments, bool withStderr = false)
{
    const std::string command
        = std::string(TT_TWINTRACE) + " " + arguments + (withStderr ? " 2>&1" : " 2>/dev/null");
    Outcome outcome;
    FILE* pipe = popen(command.c_str(), "r");
    if (!pipe)
        return outcome;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        outcome.out.append(buffer.data(), n);
    const int status = pclose(pipe);
    outcome.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return outcome;
}

std::string fixture(const std::string& relative)
{
    return std::string(TT_FIXTURES) + "/" + relative;
}

} // namespace

TEST(CliImport, JsonMatchesTheDesign)
{
    const Outcome outcome = run("import " + fixture("openai/writer_js_ingest.json") + " --json");
    ASSERT_EQ(outcome.exitCode, 0);
    const auto json = nlohmann::json::parse(outcome.out);
    EXPECT_EQ(json.at("traces"), 1);
    EXPECT_EQ(json.at("spans"), 9);
    EXPECT_EQ(json.at("errors"), 1);
    EXPECT_TRUE(json.at("warnings").is_array());
    const auto& detail = json.at("traces_detail").at(0);
    EXPECT_EQ(detail.at("id"), "trace_888160d19ff94f86851956647a2f6342");
    EXPECT_EQ(detail.at("source"), "openai");
    EXPECT_EQ(detail.at("root"), "task");
    EXPECT_EQ(detail.at("spans"), 9);
    EXPECT_EQ(detail.at("errors"), 1);
    EXPECT_DOUBLE_EQ(detail.at("duration_ms").get<double>(), 14868.0);
}

TEST(CliImport, FilesNamedTogetherMergeATraceSplitAcrossThem)
{
    // The three requests @openai/agents sent for one slow run, and a LangSmith run posted in one
    // request and patched (end time in epoch ms) in the next.
    const std::string split = fixture("sdk/openai-slow-run-split/");
    const Outcome outcome = run("import " + split + "01-traces-ingest.json " + split
        + "02-traces-ingest.json " + split + "03-traces-ingest.json "
        + fixture("sdk/langsmith-llm-500-once-batch") + " --json");
    ASSERT_EQ(outcome.exitCode, 0);
    const auto json = nlohmann::json::parse(outcome.out);
    EXPECT_EQ(json.at("traces"), 2);
    EXPECT_EQ(json.at("spans"), 7 + 5);
    EXPECT_TRUE(json.at("warnings").empty()) << json.at("warnings").dump();
}

TEST(CliImport, FilesOverMaxBytesAreSkippedWithAWarning)
{
    const Outcome outcome = run(
        "import " + fixture("openai/writer_js_ingest.json") + " --max-bytes 100 --json", true);
    EXPECT_EQ(outcome.exitCode, 2);
    EXPECT_NE(outcome.out.find("--max-bytes"), std::string::npos) << outcome.out;
    EXPECT_EQ(run("import x --max-bytes lots").exitCode, 2);
}

TEST(CliImport, RestateSnapshotFolder)
{
    const Outcome outcome = run("import " + fixture("restate-1.7.12") + " --json");
    ASSERT_EQ(outcome.exitCode, 0);
    const auto json = nlohmann::json::parse(outcome.out);
    EXPECT_EQ(json.at("traces"), 23);
    EXPECT_TRUE(json.at("warnings").empty());
    bool doomed = false;
    for (const auto& trace : json.at("traces_detail"))
        if (trace.at("id") == "inv_12ELMlmvHgZ206A1escQBBXxLHTN6IpycW") {
            doomed = true;
            EXPECT_EQ(trace.at("source"), "restate");
            EXPECT_EQ(trace.at("root"), "Writer/doomed");
            EXPECT_GT(trace.at("errors").get<int>(), 0);
        }
    EXPECT_TRUE(doomed);
}

TEST(CliImport, UnreachableAdminUrlExitsTwoWithTheReason)
{
    const Outcome outcome = run("import http://127.0.0.1:9 --json", true);
    EXPECT_EQ(outcome.exitCode, 2);
    EXPECT_NE(outcome.out.find("does not answer"), std::string::npos) << outcome.out;
}

TEST(CliImport, SeveralSourcesAndWarnings)
{
    const Outcome outcome = run("import " + fixture("langsmith/writer_runs.jsonl") + " "
        + fixture("bad/truncated.jsonl") + " --json");
    ASSERT_EQ(outcome.exitCode, 0);
    const auto json = nlohmann::json::parse(outcome.out);
    EXPECT_EQ(json.at("traces"), 2);
    EXPECT_EQ(json.at("spans"), 12);
    bool lineFour = false;
    for (const auto& w : json.at("warnings"))
        lineFour |= w.at("line") == 4
            && w.at("source").get<std::string>().find("truncated.jsonl") != std::string::npos;
    EXPECT_TRUE(lineFour);
}

TEST(CliImport, ForcedSource)
{
    const Outcome outcome = run(
        "import --source agentic-bench " + fixture("agentic/benchmark_trace.json") + " --json");
    ASSERT_EQ(outcome.exitCode, 0);
    EXPECT_EQ(
        nlohmann::json::parse(outcome.out).at("traces_detail").at(0).at("source"), "agentic-bench");
}

TEST(CliImport, NothingReadableExitsTwoWithAMessage)
{
    const Outcome garbage = run("import " + fixture("bad/garbage.bin"), true);
    EXPECT_EQ(garbage.exitCode, 2);
    EXPECT_NE(garbage.out.find("nothing could be read"), std::string::npos);
    EXPECT_NE(garbage.out.find("unrecognised format"), std::string::npos);
    EXPECT_EQ(run("import /nonexistent.jsonl").exitCode, 2);
    EXPECT_EQ(run("import --source nonsense " + fixture("bad/empty.jsonl")).exitCode, 2);
    EXPECT_EQ(run("import").exitCode, 2);
}

TEST(CliImport, InvalidUtf8NeverBreaksTheJson)
{
    const Outcome outcome = run("import " + fixture("bad/invalid_utf8.jsonl") + " --json");
    ASSERT_EQ(outcome.exitCode, 0);
    EXPECT_TRUE(nlohmann::json::accept(outcome.out));
}

TEST(CliAlign, RowsOfTwoRuns)
{
    const Outcome outcome = run("align " + fixture("openai/writer_python.jsonl") + " "
        + fixture("openai/writer_js_ingest.json") + " --json");
    ASSERT_EQ(outcome.exitCode, 0);
    const auto json = nlohmann::json::parse(outcome.out);
    const auto& rows = json.at("rows");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].at("status"), "slower");
    EXPECT_EQ(rows[0].at("right").at("attempts"), 2);
    EXPECT_EQ(rows[1].at("left").at("step"), "read_multiple_files#1");
    EXPECT_EQ(
        run("align " + fixture("bad/garbage.bin") + " " + fixture("bad/empty.jsonl")).exitCode, 2);
}

TEST(CliDemo, HeadlessSampleJob)
{
    const Outcome outcome = run("demo --json");
    ASSERT_EQ(outcome.exitCode, 0);
    const auto json = nlohmann::json::parse(outcome.out);
    EXPECT_EQ(json.at("left").at("traces"), 3); // OpenAI + LangSmith + trace.log of one run
    EXPECT_EQ(json.at("alignment").at("rows").size(), 3u);
}

TEST(CliEnv, EverythingGreenOnTheEmbeddedDefault)
{
    // The pinned restate-server and the stand-in are started for a moment; no GPU here is fine.
    const Outcome outcome = run("env --json --out /tmp");
    EXPECT_EQ(outcome.exitCode, 0) << outcome.out;
    const auto json = nlohmann::json::parse(outcome.out, nullptr, false);
    ASSERT_TRUE(json.is_object()) << outcome.out;
    EXPECT_TRUE(json["ok"].get<bool>());
    for (const char* item : { "restate", "llm", "gpu", "disk", "versions" }) {
        ASSERT_TRUE(json.contains(item)) << item;
        EXPECT_TRUE(json[item]["ok"].is_boolean()) << item;
        EXPECT_TRUE(json[item]["reason"].is_string()) << item;
    }
    EXPECT_TRUE(json["restate"]["health"].get<bool>());
    EXPECT_TRUE(json["restate"]["ingress"].get<bool>());
    EXPECT_TRUE(json["restate"]["ui"].get<bool>());
    EXPECT_NE(json["restate"]["value"].get<std::string>().find("1.7.12"), std::string::npos);
    EXPECT_EQ(json["llm"]["models"][0], "gpt-oss-20b");
    EXPECT_TRUE(json["gpu"]["available"].is_boolean());
}

TEST(CliEnv, WhatDoesNotAnswerIsRedWithAFix)
{
    const Outcome outcome
        = run("env --restate-admin http://127.0.0.1:9 --llm http://127.0.0.1:9 --out /tmp", true);
    EXPECT_EQ(outcome.exitCode, 1);
    EXPECT_NE(outcome.out.find("[FAIL] Restate server"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("[FAIL] LLM endpoint"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("does not answer"), std::string::npos) << outcome.out;
    EXPECT_NE(outcome.out.find("fix:"), std::string::npos) << outcome.out;
}

TEST(CliEnv, AGpuIsListedThroughNvml)
{
    // The stand-in NVML library (tests/gpu) answers like one GPU, through the real dlopen path.
    const std::string command = std::string("TT_NVML_LIBRARY=") + TT_FAKE_NVML + " " + TT_TWINTRACE
        + " env --json --out /tmp --llm http://127.0.0.1:9 --restate-admin "
        + "http://127.0.0.1:9 2>/dev/null";
    FILE* pipe = popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string out;
    std::array<char, 4096> buffer;
    size_t n;
    while ((n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0)
        out.append(buffer.data(), n);
    pclose(pipe);
    const auto json = nlohmann::json::parse(out, nullptr, false);
    ASSERT_TRUE(json.is_object()) << out;
    EXPECT_TRUE(json["gpu"]["available"].get<bool>());
    EXPECT_EQ(json["gpu"]["devices"][0]["name"], "TwinTrace Test GPU");
    EXPECT_EQ(json["gpu"]["devices"][0]["compute_capability"], "9.0");
    EXPECT_EQ(json["gpu"]["cuda_driver"], "12.4");
}

// `twintrace explain` on a copy of a recorded experiment (opening its store may migrate it).
TEST(CliExplain, JsonNamesTheCatalogStepAndKind)
{
    const auto dir
        = std::filesystem::temp_directory_path() / ("tt-explain-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::copy(fixture("experiment-all"), dir, std::filesystem::copy_options::recursive);
    const Outcome k3 = run("explain " + dir.string() + " --scenario transient-llm-k3 --json");
    ASSERT_EQ(k3.exitCode, 0) << k3.out;
    const auto json = nlohmann::json::parse(k3.out);
    EXPECT_EQ(json.at("scenario"), "transient-llm-k3");
    EXPECT_EQ(json.at("run"), 1);
    EXPECT_EQ(json.at("step"), "llm_call#2");
    EXPECT_EQ(json.at("fault_kind"), "llm-transient");
    EXPECT_NE(json.at("text").get<std::string>().find("llm_unavailable"), std::string::npos);
    const auto nominal
        = nlohmann::json::parse(run("explain " + dir.string() + " --scenario nominal --json").out);
    EXPECT_TRUE(nominal.at("step").is_null());
    EXPECT_TRUE(nominal.at("fault_kind").is_null());
    const Outcome crash = run("explain " + dir.string() + " --scenario 'crash-at-llm_call#2'");
    EXPECT_EQ(crash.exitCode, 0);
    EXPECT_NE(crash.out.find("killed"), std::string::npos) << crash.out;
    EXPECT_EQ(run("explain " + dir.string() + " --scenario nope").exitCode, 2);
    std::filesystem::remove_all(dir);
}
