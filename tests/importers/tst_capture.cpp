// SPDX-License-Identifier: MIT
// Live capture: bodies in the vendors' formats (the fixtures, written from the SDKs' sources: see
// tests/fixtures/README.md) posted to the capture server and read back by the importers; bad
// bodies refused without writing anything. tst_writer sends the Writer's own uploads too.
#include "importers/capture/captureserver.h"
#include "importers/common/files.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace tt::importers;

namespace {

std::string readText(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
}

std::string fixture(const std::string& relative)
{
    return std::string(TT_FIXTURES) + "/" + relative;
}

struct Capture : ::testing::Test
{
    std::string dir;
    capture::CaptureServer server;
    void SetUp() override
    {
        dir = (std::filesystem::temp_directory_path()
            / ("tt-capture-" + std::to_string(::getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                  .string();
        std::filesystem::remove_all(dir);
        std::string error;
        ASSERT_TRUE(server.start(0, dir, error)) << error;
        ASSERT_EQ(server.url().rfind("http://127.0.0.1:", 0), 0u);
    }
    void TearDown() override
    {
        server.stop();
        std::filesystem::remove_all(dir);
    }
    httplib::Result post(const std::string& path, const std::string& body)
    {
        httplib::Client client("127.0.0.1", server.port());
        // What the SDKs send; the key must never reach the files.
        return client.Post(path.c_str(), { { "Authorization", "Bearer sk-test-secret-key" } }, body,
            "application/json");
    }
};

} // namespace

TEST_F(Capture, OpenAiIngestPayloadImportsLikeTheFile)
{
    const std::string payload = readText(fixture("openai/writer_js_ingest.json"));
    const auto result = post("/v1/traces/ingest", payload);
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    const auto direct = importPath(fixture("openai/writer_js_ingest.json"));
    const auto captured = importPath(dir + "/openai.jsonl");
    EXPECT_EQ(captured.spanCount(), direct.spanCount());
    EXPECT_GT(captured.spanCount(), 0u);
    EXPECT_EQ(server.counts().openAiItems, int(nlohmann::json::parse(payload)["data"].size()));
    EXPECT_EQ(readText(dir + "/openai.jsonl").find("sk-test-secret-key"), std::string::npos);
}

TEST_F(Capture, LangSmithBatchAndMultipart)
{
    // The runs of a real Writer run, sent once as /runs/batch, once as /runs/multipart with
    // inputs and outputs in parts of their own (as the SDK does for large fields).
    std::vector<nlohmann::json> runs;
    std::istringstream lines(readText(fixture("langsmith/writer_runs.jsonl")));
    for (std::string line; std::getline(lines, line);)
        if (!line.empty())
            runs.push_back(nlohmann::json::parse(line));
    ASSERT_FALSE(runs.empty());
    const auto batch = post("/runs/batch",
        nlohmann::json({ { "post", runs }, { "patch", nlohmann::json::array() } }).dump());
    ASSERT_TRUE(batch);
    EXPECT_EQ(batch->status, 200);
    const auto direct = importPath(fixture("langsmith/writer_runs.jsonl"));
    EXPECT_EQ(importPath(dir + "/langsmith.jsonl").spanCount(), direct.spanCount());
    std::filesystem::remove(dir + "/langsmith.jsonl");

    httplib::MultipartFormDataItems parts;
    for (auto run : runs) {
        const std::string id = run["id"];
        for (const char* field : { "inputs", "outputs" })
            if (run.contains(field)) {
                parts.push_back(
                    { "post." + id + "." + field, run[field].dump(), "", "application/json" });
                run.erase(field);
            }
        parts.push_back({ "post." + id, run.dump(), "", "application/json" });
    }
    parts.push_back({ "feedback.x", "{}", "", "application/json" }); // not a run: ignored
    httplib::Client client("127.0.0.1", server.port());
    const auto multipart = client.Post("/api/v1/runs/multipart", parts);
    ASSERT_TRUE(multipart);
    EXPECT_EQ(multipart->status, 200) << multipart->body;
    const auto captured = importPath(dir + "/langsmith.jsonl");
    EXPECT_EQ(captured.spanCount(), direct.spanCount());
    // The large fields came back into their runs.
    EXPECT_NE(readText(dir + "/langsmith.jsonl").find("\"inputs\""), std::string::npos);
    EXPECT_EQ(server.counts().langSmithRuns, int(2 * runs.size()));
}

TEST_F(Capture, BadBodiesAreRefusedAndNothingIsWritten)
{
    for (const auto& [path, body] : std::vector<std::pair<std::string, std::string>> {
             { "/v1/traces/ingest", "not json" },
             { "/v1/traces/ingest", "{\"data\":5}" },
             { "/v1/traces/ingest", "{\"data\":[{\"object\":\"trace\"}, 3]}" },
             { "/runs/batch", "{\"post\":3}" },
             { "/runs/batch", "[1,2]" },
         }) {
        const auto result = post(path, body);
        ASSERT_TRUE(result) << path;
        EXPECT_EQ(result->status, 400) << path << " " << body;
        EXPECT_NE(result->body.find("error"), std::string::npos);
    }
    httplib::Client client("127.0.0.1", server.port());
    const auto notMultipart = client.Post("/runs/multipart", "{}", "application/json");
    ASSERT_TRUE(notMultipart);
    EXPECT_EQ(notMultipart->status, 415);
    const auto badPart = client.Post("/runs/multipart",
        httplib::MultipartFormDataItems { { "post.r1", "{not json", "", "application/json" } });
    ASSERT_TRUE(badPart);
    EXPECT_EQ(badPart->status, 400);
    // JSON nested deeper than any trace would make writing it back recurse: refused up front.
    const std::string deep
        = "{\"data\":[" + std::string(100000, '[') + std::string(100000, ']') + "]}";
    const auto tooDeep = post("/v1/traces/ingest", deep);
    ASSERT_TRUE(tooDeep);
    EXPECT_EQ(tooDeep->status, 400);
    EXPECT_EQ(server.counts().rejected, 8);
    EXPECT_FALSE(std::filesystem::exists(dir + "/openai.jsonl"));
    EXPECT_FALSE(std::filesystem::exists(dir + "/langsmith.jsonl"));
}

TEST_F(Capture, AnswersInfoAsLangSmithDoes)
{
    httplib::Client client("127.0.0.1", server.port());
    for (const char* path : { "/info", "/api/v1/info" }) {
        const auto info = client.Get(path);
        ASSERT_TRUE(info) << path;
        EXPECT_EQ(info->status, 200) << path;
        const auto body = nlohmann::json::parse(info->body, nullptr, false);
        ASSERT_TRUE(body.is_object()) << info->body;
        EXPECT_TRUE(body["version"].is_string());
        EXPECT_TRUE(body["batch_ingest_config"]["use_multipart_endpoint"].get<bool>());
        EXPECT_GT(body["batch_ingest_config"]["size_limit_bytes"].get<int>(), 0);
    }
}

TEST_F(Capture, GzipBodiesAreInflated)
{
    const std::string payload = readText(fixture("openai/writer_js_ingest.json"));
    httplib::Client client("127.0.0.1", server.port());
    client.set_compress(true); // Content-Encoding: gzip, as the LangSmith SDK may send
    const auto ingest = client.Post("/v1/traces/ingest", payload, "application/json");
    ASSERT_TRUE(ingest);
    EXPECT_EQ(ingest->status, 200) << ingest->body;
    const auto multipart = client.Post("/runs/multipart",
        httplib::MultipartFormDataItems { { "post.r1",
            R"({"id":"r1","trace_id":"r1","name":"w","run_type":"chain",)"
            R"("start_time":"2026-02-09T10:15:00.000000Z","end_time":1770632101539})",
            "", "application/json" } });
    ASSERT_TRUE(multipart);
    EXPECT_EQ(multipart->status, 200) << multipart->body;
    EXPECT_EQ(importPath(dir + "/openai.jsonl").spanCount(),
        importPath(fixture("openai/writer_js_ingest.json")).spanCount());
    const auto runs = importPath(dir + "/langsmith.jsonl");
    ASSERT_EQ(runs.traces.size(), 1u);
    EXPECT_EQ(runs.traces[0].durationNs(), 1'539'000'000);
}
