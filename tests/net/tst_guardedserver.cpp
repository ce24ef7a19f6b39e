// SPDX-License-Identifier: MIT
// The servers' guard against clients that send headers slowly or without end, and handlers that
// throw; and that well-behaved clients (keep-alive, bodies in the headers' packet) see no change.
#include "net/guardedserver.h"
#include "rawclient.h"

#include <gtest/gtest.h>

#include <thread>

using tt::net::GuardedServer;
using tt::net::RequestLimits;
using tt::testing::RawClient;

namespace {

using namespace std::chrono_literals;

class Guarded : public ::testing::Test
{
protected:
    void start(RequestLimits limits)
    {
        m_server = std::make_unique<GuardedServer>(limits);
        m_server->Post("/echo", [](const httplib::Request& q, httplib::Response& r) {
            r.set_content(q.body, "text/plain");
        });
        m_server->Get("/throw", [](const httplib::Request&, httplib::Response&) {
            throw std::runtime_error("secret internals");
        });
        m_port = m_server->bind_to_any_port("127.0.0.1");
        ASSERT_GT(m_port, 0);
        m_thread = std::thread([this] { m_server->listen_after_bind(); });
        while (!m_server->is_running())
            std::this_thread::sleep_for(1ms);
    }
    void TearDown() override
    {
        if (m_server)
            m_server->stop();
        if (m_thread.joinable())
            m_thread.join();
    }

    std::unique_ptr<GuardedServer> m_server;
    std::thread m_thread;
    int m_port = 0;
};

TEST_F(Guarded, WellBehavedClientsKeepTheirConnectionAndBodies)
{
    start({});
    httplib::Client client("127.0.0.1", m_port);
    client.set_keep_alive(true);
    for (const std::string& body : { std::string("small"), std::string(3 << 20, 'x') }) {
        const auto result = client.Post("/echo", body, "text/plain");
        ASSERT_TRUE(result);
        EXPECT_EQ(result->status, 200);
        EXPECT_EQ(result->body, body);
    }
    // Headers and body in one packet: the body is not taken for headers.
    RawClient raw(m_port);
    ASSERT_TRUE(raw.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok"));
    EXPECT_EQ(raw.status(2s), 200);
}

TEST_F(Guarded, SlowHeadersAreCutAtTheDeadline)
{
    RequestLimits limits;
    limits.headerDeadline = 1000ms;
    start(limits);
    RawClient slow(m_port);
    ASSERT_TRUE(slow.send("POST /echo HTTP/1.1\r\n"));
    const auto begin = std::chrono::steady_clock::now();
    bool open = true;
    for (int line = 0; open && std::chrono::steady_clock::now() - begin < 4s; ++line) {
        std::this_thread::sleep_for(200ms);
        open = slow.send("X-Slow-" + std::to_string(line) + ": 1\r\n");
    }
    const int status = slow.status(500ms);
    EXPECT_TRUE(status == 400 || status == 0) << status;
    EXPECT_LT(std::chrono::steady_clock::now() - begin, 2500ms);
}

TEST_F(Guarded, TooManyHeaderLinesOrBytesGet400)
{
    RequestLimits limits;
    limits.maxHeaderLines = 20;
    limits.maxHeaderBytes = 4096;
    start(limits);
    std::string lines;
    for (int i = 0; i < 25; ++i)
        lines += "X-" + std::to_string(i) + ": 1\r\n";
    RawClient many(m_port);
    many.send("GET /throw HTTP/1.1\r\n" + lines + "\r\n");
    EXPECT_EQ(many.status(2s), 400);
    RawClient large(m_port);
    large.send("GET /throw HTTP/1.1\r\nX-Large: " + std::string(5000, 'a') + "\r\n\r\n");
    EXPECT_EQ(large.status(2s), 400);
}

TEST_F(Guarded, ExceptionTextNeverReachesTheClient)
{
    start({});
    httplib::Client client("127.0.0.1", m_port);
    const auto result = client.Get("/throw");
    ASSERT_TRUE(result);
    EXPECT_EQ(result->status, 500);
    EXPECT_FALSE(result->has_header("EXCEPTION_WHAT"));
    EXPECT_EQ(result->body.find("secret"), std::string::npos);
}

} // namespace
