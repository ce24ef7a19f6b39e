// SPDX-License-Identifier: MIT
// The capture server against what is not an SDK: a web page's cross-origin "simple request", a
// part name that is not UTF-8, slow clients holding connections, endless header lines.
#include "importers/capture/captureserver.h"
#include "tests/net/rawclient.h"

#include <httplib.h>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <thread>

using tt::testing::RawClient;

namespace {

using namespace std::chrono_literals;

const std::string kIngest = R"({"data":[{"object":"trace","id":"trace_1","name":"w"}]})";

struct HostileCapture : ::testing::Test
{
    std::string dir;
    tt::importers::capture::CaptureServer server;
    void SetUp() override
    {
        dir = (std::filesystem::temp_directory_path()
            / ("tt-capture-hostile-" + std::to_string(::getpid()) + "-"
                + ::testing::UnitTest::GetInstance()->current_test_info()->name()))
                  .string();
        std::filesystem::remove_all(dir);
        std::string error;
        ASSERT_TRUE(server.start(0, dir, error)) << error;
    }
    void TearDown() override
    {
        server.stop();
        std::filesystem::remove_all(dir);
    }
    httplib::Client client() const { return httplib::Client("127.0.0.1", server.port()); }
    bool openAiWritten() const { return std::filesystem::exists(dir + "/openai.jsonl"); }
};

} // namespace

TEST_F(HostileCapture, WebPagesCannotWriteIntoTheFiles)
{
    auto http = client();
    // A browser's simple request: text/plain, no preflight, from a foreign page.
    const auto simple = http.Post(
        "/v1/traces/ingest", { { "Origin", "https://evil.example" } }, kIngest, "text/plain");
    ASSERT_TRUE(simple);
    EXPECT_EQ(simple->status, 403);
    const auto foreignJson = http.Post("/v1/traces/ingest",
        { { "Origin", "http://127.0.0.1.evil.example" } }, kIngest, "application/json");
    ASSERT_TRUE(foreignJson);
    EXPECT_EQ(foreignJson->status, 403);
    const auto textPlain = http.Post("/v1/traces/ingest", kIngest, "text/plain");
    ASSERT_TRUE(textPlain);
    EXPECT_EQ(textPlain->status, 415);
    const auto form = http.Post("/runs/batch", "post=1", "application/x-www-form-urlencoded");
    ASSERT_TRUE(form);
    EXPECT_EQ(form->status, 415);
    // A preflight gets no permission.
    const auto preflight = http.Options("/v1/traces/ingest",
        { { "Origin", "https://evil.example" }, { "Access-Control-Request-Method", "POST" } });
    ASSERT_TRUE(preflight);
    EXPECT_GE(preflight->status, 400);
    EXPECT_FALSE(preflight->has_header("Access-Control-Allow-Origin"));
    EXPECT_FALSE(openAiWritten());
    // What the SDKs send still lands, with or without a loopback Origin.
    const auto sdk = http.Post("/v1/traces/ingest", kIngest, "application/json; charset=utf-8");
    ASSERT_TRUE(sdk);
    EXPECT_EQ(sdk->status, 200);
    const auto local = http.Post("/v1/traces/ingest", { { "Origin", "http://localhost:5173" } },
        kIngest, "application/json");
    ASSERT_TRUE(local);
    EXPECT_EQ(local->status, 200);
    EXPECT_EQ(server.counts().openAiItems, 2);
}

TEST_F(HostileCapture, PartNameThatIsNotUtf8GetsACleanBadRequest)
{
    auto http = client();
    for (const std::string& content : { std::string("{not json"), std::string("{}") }) {
        const auto result = http.Post("/runs/multipart",
            httplib::MultipartFormDataItems { { "post.\xff\xfe"
                                                "run",
                content, "", "application/json" } });
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 400) << result->body;
        EXPECT_FALSE(result->has_header("EXCEPTION_WHAT"));
        EXPECT_EQ(result->body, R"({"error":"a part name is not UTF-8"})");
    }
    EXPECT_FALSE(std::filesystem::exists(dir + "/langsmith.jsonl"));
}

TEST_F(HostileCapture, SlowClientsDoNotStallNormalPosts)
{
    // Eight clients send one header line every 300 ms and never finish (the reviewer's attack,
    // faster); a normal POST must still be answered within a second.
    std::atomic<bool> done { false };
    std::atomic<int> holding { 0 };
    std::vector<std::thread> slow;
    for (int i = 0; i < 8; ++i)
        slow.emplace_back([&] {
            RawClient client(server.port());
            bool open = client.send("POST /v1/traces/ingest HTTP/1.1\r\nX-Slow: 0\r\n");
            ++holding;
            for (int line = 1; open && !done; ++line) {
                std::this_thread::sleep_for(300ms);
                open = client.send("X-Slow: " + std::to_string(line) + "\r\n");
            }
        });
    while (holding < 8)
        std::this_thread::sleep_for(10ms);
    std::this_thread::sleep_for(300ms); // the server has taken every one of them up
    auto http = client();
    http.set_read_timeout(5);
    const auto begin = std::chrono::steady_clock::now();
    const auto result = http.Post("/v1/traces/ingest", kIngest, "application/json");
    const auto took = std::chrono::steady_clock::now() - begin;
    done = true;
    for (auto& thread : slow)
        thread.join();
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
    EXPECT_LT(took, 1s) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count()
                        << " ms";
}

TEST_F(HostileCapture, EndlessHeaderLinesCostNoMemory)
{
    // 100k header lines of 200 bytes (20 MB), written from a small buffer so that only the
    // server's side can grow this process's peak memory.
    const long before = tt::testing::memoryKiB("VmHWM");
    RawClient hostile(server.port());
    bool open
        = hostile.send("POST /v1/traces/ingest HTTP/1.1\r\nContent-Type: application/json\r\n");
    std::string chunk;
    for (int line = 0; line < 1000; ++line)
        chunk += "X-Filler-" + std::to_string(line) + ": " + std::string(185, 'a') + "\r\n";
    for (int round = 0; open && round < 100; ++round)
        open = hostile.send(chunk);
    if (open)
        hostile.send("Content-Length: 2\r\n\r\n{}");
    const int status = hostile.status(5s);
    EXPECT_TRUE(status == 400 || status == 0) << status;
    const long grown = tt::testing::memoryKiB("VmHWM") - before;
    EXPECT_LT(grown, 8 * 1024) << "peak memory grew by " << grown << " KiB";
    // The server still answers.
    const auto result = client().Post("/v1/traces/ingest", kIngest, "application/json");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 200);
}

TEST_F(HostileCapture, LargeBodyCostsAboutTwiceItsSizeAndIsGivenBack)
{
    // 32 MB of spans: the server may peak at 3x the body (it was 7x) and must give it back.
    const long before = tt::testing::memoryKiB("VmRSS");
    const long peakBefore = tt::testing::memoryKiB("VmHWM");
    size_t bodyBytes = 0;
    EXPECT_EQ(tt::testing::postIngestSpans(server.port(), 32, bodyBytes), 200);
    const long bodyKiB = long(bodyBytes / 1024);
    const long peak = tt::testing::memoryKiB("VmHWM") - std::max(before, peakBefore);
    EXPECT_LT(peak, bodyKiB * 3) << "peak grew by " << peak << " KiB for " << bodyKiB;
    const long held = tt::testing::memoryKiB("VmRSS") - before;
    EXPECT_LT(held, bodyKiB / 4) << "still held " << held << " KiB";
    EXPECT_GT(server.counts().openAiItems, 30000);
}
