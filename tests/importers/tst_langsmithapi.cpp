// SPDX-License-Identifier: MIT
// The LangSmith API client against a local server replaying /api/v2 and /api/v1 runs/query
// answers (the fixtures, written from the SDK's sources: tests/fixtures/README.md), split in two
// pages joined by a cursor.
#include "importers/common/files.h"
#include "importers/langsmith/langsmithclient.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>

using namespace tt::importers;
using nlohmann::json;

namespace {

const char* const kKey = "lsv2_pt_0123456789abcdef0123456789abcdef_secret";
const char* const kProject = "5f0c1c8e-8a55-4c3e-9d52-3f1d2b6a7c01";

json readJson(const std::string& relative)
{
    std::ifstream in(std::string(TT_FIXTURES) + "/" + relative);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str());
}

// A LangSmith stand-in: the project lookup and runs/query in two pages, v2 and v1.
struct ReplayServer
{
    httplib::Server server;
    std::thread thread;
    int port = 0;
    std::mutex mutex;
    std::vector<json> bodies; // what the client asked for
    std::vector<std::string> keys;
    json v2 = readJson("langsmith/runs_query_v2_page.json");
    json v1 = readJson("langsmith/runs_query_v1_page.json");

    ReplayServer()
    {
        const auto authorized
            = [this](const httplib::Request& request, httplib::Response& response) {
                  std::lock_guard<std::mutex> lock(mutex);
                  keys.push_back(request.get_header_value("x-api-key"));
                  if (request.get_header_value("x-api-key") != kKey) {
                      response.status = 401;
                      response.set_content("{\"detail\":\"Invalid token\"}", "application/json");
                      return false;
                  }
                  return true;
              };
        server.Get(
            "/api/v1/sessions", [authorized](const httplib::Request& q, httplib::Response& r) {
                if (!authorized(q, r))
                    return;
                const json answer = q.get_param_value("name") == "writer-poc"
                    ? json::array({ { { "id", kProject }, { "name", "writer-poc" } } })
                    : json::array();
                r.set_content(answer.dump(), "application/json");
            });
        const auto page = [this, authorized](
                              const httplib::Request& q, httplib::Response& r, bool legacy) {
            if (!authorized(q, r))
                return;
            const json body = json::parse(q.body);
            {
                std::lock_guard<std::mutex> lock(mutex);
                bodies.push_back(body);
            }
            const json& all = legacy ? v1["runs"] : v2["items"];
            const bool second = body.contains("cursor");
            json items = json::array();
            for (size_t i = second ? 3 : 0; i < (second ? all.size() : 3); ++i)
                items.push_back(all[i]);
            json answer = legacy
                ? json { { "runs", items },
                      { "cursors", { { "next", second ? json() : json("p2") } } } }
                : json { { "items", items }, { "next_cursor", second ? json() : json("p2") } };
            r.set_content(answer.dump(), "application/json");
        };
        server.Post("/api/v2/runs/query",
            [page](const httplib::Request& q, httplib::Response& r) { page(q, r, false); });
        server.Post("/api/v1/runs/query",
            [page](const httplib::Request& q, httplib::Response& r) { page(q, r, true); });
        port = server.bind_to_any_port("127.0.0.1");
        thread = std::thread([this]() { server.listen_after_bind(); });
    }
    ~ReplayServer()
    {
        server.stop();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port); }
};

size_t spansOf(const json& page)
{
    return importBytes(std::make_shared<const std::string>(page.dump()), "page").spanCount();
}

} // namespace

TEST(LangSmithApi, V2PagesThroughTheCursorWithTheKey)
{
    ReplayServer replay;
    langsmith::RunClient client(replay.url(), kKey);
    langsmith::RunQuery query;
    query.project = "writer-poc";
    query.errorsOnly = true;
    query.since = "2026-02-09T00:00:00Z";
    int pages = 0;
    const auto fetched = client.fetch(query, [&](int page) { pages = page; });
    EXPECT_EQ(fetched.error, "");
    EXPECT_EQ(fetched.requests, 3); // the project, then two pages
    EXPECT_EQ(pages, 2);
    EXPECT_EQ(fetched.runs, replay.v2["items"].size());
    EXPECT_EQ(fetched.result.spanCount(), spansOf(replay.v2));
    ASSERT_EQ(replay.bodies.size(), 2u);
    EXPECT_EQ(replay.bodies[0]["project_ids"][0], kProject);
    EXPECT_EQ(replay.bodies[0]["has_error"], true);
    EXPECT_EQ(replay.bodies[0]["min_start_time"], "2026-02-09T00:00:00Z");
    EXPECT_TRUE(replay.bodies[0]["selects"].is_array());
    EXPECT_FALSE(replay.bodies[0].contains("cursor"));
    EXPECT_EQ(replay.bodies[1]["cursor"], "p2");
    for (const auto& key : replay.keys)
        EXPECT_EQ(key, kKey);
}

TEST(LangSmithApi, LegacyV1AndASelfHostedUrl)
{
    ReplayServer replay;
    langsmith::RunClient client(replay.url() + "/api/v1/", kKey);
    langsmith::RunQuery query;
    query.project = kProject; // an id needs no lookup
    query.apiVersion = 1;
    query.traceId = "019c41e5-b8ee-79a3-9089-3467e5a1b243";
    const auto fetched = client.fetch(query);
    EXPECT_EQ(fetched.error, "");
    EXPECT_EQ(fetched.requests, 2);
    EXPECT_EQ(fetched.runs, replay.v1["runs"].size());
    EXPECT_EQ(fetched.result.spanCount(), spansOf(replay.v1));
    EXPECT_EQ(replay.bodies[0]["session"][0], kProject);
    EXPECT_EQ(replay.bodies[0]["trace"], query.traceId);
}

langsmith::RunQuery project(const std::string& name)
{
    langsmith::RunQuery query;
    query.project = name;
    return query;
}

TEST(LangSmithApi, ErrorsSayWhyAndNeverTheKey)
{
    ReplayServer replay;
    const std::string wrong = "lsv2_pt_ffffffffffffffffffffffff_wrongkey";
    const auto refused = langsmith::RunClient(replay.url(), wrong).fetch(project("writer-poc"));
    EXPECT_NE(refused.error.find("refused the API key"), std::string::npos) << refused.error;
    EXPECT_EQ(refused.error.find(wrong), std::string::npos);
    EXPECT_EQ(refused.runs, 0u);

    const auto unknown = langsmith::RunClient(replay.url(), kKey).fetch(project("no-such-project"));
    EXPECT_NE(unknown.error.find("no LangSmith project named"), std::string::npos);

    const auto down = langsmith::RunClient("http://127.0.0.1:9", kKey).fetch(project(kProject));
    EXPECT_NE(down.error.find("does not answer"), std::string::npos) << down.error;
    EXPECT_EQ(down.error.find(kKey), std::string::npos);
}
