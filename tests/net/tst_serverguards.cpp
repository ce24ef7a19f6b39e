// SPDX-License-Identifier: MIT
// The LLM stand-in and the Restate endpoint are guarded like capture (the guard's own tests are
// in tst_guardedserver): endless header lines get 400 before they cost memory.
#include "agents/llm/server.h"
#include "agents/restate/endpoint.h"
#include "rawclient.h"

#include <httplib.h>

#include <gtest/gtest.h>

using tt::testing::RawClient;

namespace {

using namespace std::chrono_literals;

// 200 header lines get 400 before they cost memory; the same request with a few is served.
void expectGuarded(int port, const char* path)
{
    std::string lines;
    for (int i = 0; i < 200; ++i)
        lines += "X-Filler-" + std::to_string(i) + ": 1\r\n";
    RawClient endless(port);
    endless.send(std::string("GET ") + path + " HTTP/1.1\r\n" + lines + "\r\n");
    EXPECT_EQ(endless.status(2s), 400);
    RawClient normal(port);
    normal.send(std::string("GET ") + path + " HTTP/1.1\r\nHost: x\r\nX-Filler: 1\r\n\r\n");
    const int status = normal.status(2s);
    EXPECT_TRUE(status > 0 && status != 400) << status;
}

TEST(ServerGuards, LlmStandIn)
{
    const tt::llm::ServerConfig config;
    tt::llm::LlmServer server(config);
    std::string error;
    ASSERT_TRUE(server.start(error)) << error;
    expectGuarded(server.port(), "/health");
    server.stop();
}

// Over HTTP/1.1; its HTTP/2 server's guards are tested in tst_endpointh2.
TEST(ServerGuards, RestateEndpoint)
{
    tt::restate::Endpoint::Options options;
    options.transport = tt::restate::Transport::Http1;
    tt::restate::Endpoint endpoint(options);
    std::string error;
    ASSERT_TRUE(endpoint.start(error)) << error;
    expectGuarded(endpoint.port(), "/discover");
    endpoint.stop();
}

} // namespace
