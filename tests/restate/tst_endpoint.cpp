// SPDX-License-Identifier: MIT
// The endpoint over real HTTP/1.1 (cpp-httplib's client and raw sockets): discovery and version
// negotiation, the protocol's error answers, and serving on after bad requests.
#include "journalbuilder.h"

#include "agents/restate/endpoint.h"

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

using namespace tt::restate;
using namespace tt::restate::testing;

namespace {

const char* kV6 = "application/vnd.restate.invocation.v6";

class EndpointTest : public ::testing::Test
{
protected:
    void SetUp() override
    {
        Endpoint::Options options;
        options.maxBodyBytes = 1 << 20;
        options.transport = Transport::Http1;
        m_endpoint = std::make_unique<Endpoint>(options);
        ServiceDefinition service;
        service.name = "Echo";
        service.retry.initialIntervalMs = 100;
        service.retry.maxAttempts = 3;
        service.retry.pauseOnMaxAttempts = false;
        service.handlers.push_back({ "run", [](Context& ctx) {
                                        return ctx.run("upper", [&] {
                                            std::string text = ctx.input();
                                            for (char& c : text)
                                                c = char(toupper(c));
                                            return text;
                                        });
                                    } });
        m_endpoint->addService(std::move(service));
        std::string error;
        ASSERT_TRUE(m_endpoint->start(error)) << error;
        m_client = std::make_unique<httplib::Client>("127.0.0.1", m_endpoint->port());
    }

    httplib::Result invoke(const std::string& body, const char* contentType = kV6,
        const std::string& path = "/invoke/Echo/run")
    {
        return m_client->Post(path.c_str(), body, contentType);
    }

    std::unique_ptr<Endpoint> m_endpoint;
    std::unique_ptr<httplib::Client> m_client;
};

} // namespace

TEST_F(EndpointTest, DiscoveryNegotiatesTheHighestManifestVersion)
{
    auto answer = m_client->Get("/discover",
        { { "accept",
            "application/vnd.restate.endpointmanifest.v1+json, "
            "application/vnd.restate.endpointmanifest.v4+json" } });
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->get_header_value("content-type"),
        "application/vnd.restate.endpointmanifest.v4+json");
    const auto manifest = nlohmann::json::parse(answer->body);
    EXPECT_EQ(manifest["protocolMode"], "REQUEST_RESPONSE");
    EXPECT_EQ(manifest["minProtocolVersion"], 5);
    EXPECT_EQ(manifest["maxProtocolVersion"], 6);
    const auto& service = manifest["services"][0];
    EXPECT_EQ(service["name"], "Echo");
    EXPECT_EQ(service["ty"], "SERVICE");
    EXPECT_EQ(service["handlers"][0]["name"], "run");
    EXPECT_EQ(service["retryPolicyInitialInterval"], 100);
    EXPECT_EQ(service["retryPolicyMaxAttempts"], 3);
    EXPECT_EQ(service["retryPolicyOnMaxAttempts"], "KILL");

    // A v1-only runtime gets a v1 manifest, without the v4 fields it would reject.
    answer = m_client->Get(
        "/discover", { { "accept", "application/vnd.restate.endpointmanifest.v1+json" } });
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_FALSE(
        nlohmann::json::parse(answer->body)["services"][0].contains("retryPolicyMaxAttempts"));

    answer = m_client->Get(
        "/discover", { { "accept", "application/vnd.restate.endpointmanifest.v9+json" } });
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 415);
}

TEST_F(EndpointTest, InvokeRunsOneAttemptAndStreamsItsFrames)
{
    auto answer = invoke(JournalBuilder("abc").body());
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(answer->get_header_value("content-type"), kV6);
    EXPECT_FALSE(answer->get_header_value("x-restate-server").empty());
    auto frames = framesOf(answer->body);
    ASSERT_EQ(frames.size(), 3u);
    EXPECT_EQ(frames[2].type, uint16_t(MessageType::Suspension));

    answer = invoke(JournalBuilder("abc").run("upper", 1).runValue(1, "ABC").body());
    ASSERT_TRUE(answer);
    frames = framesOf(answer->body);
    ASSERT_EQ(frames.size(), 2u);
    pb::OutputCommandMessage output;
    ASSERT_TRUE(output.ParseFromString(frames[0].payload));
    EXPECT_EQ(output.value().content(), "ABC");
    EXPECT_EQ(m_endpoint->counters().outputs.load(), 1);
}

TEST_F(EndpointTest, UnknownHandlerIs404AndUnknownVersionIs415)
{
    auto answer = invoke(JournalBuilder().body(), kV6, "/invoke/Echo/nope");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 404);
    answer = invoke(JournalBuilder().body(), "application/vnd.restate.invocation.v7");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 415);
    answer = invoke(JournalBuilder().body(), "application/json");
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 415);
}

TEST_F(EndpointTest, BadBodiesGetAProtocolViolationAndTheEndpointServesOn)
{
    for (const std::string& body : { std::string("not frames"), JournalBuilder("x").body(5),
             JournalBuilder("x").body() + "\x7f" }) {
        auto answer = invoke(body);
        ASSERT_TRUE(answer);
        EXPECT_EQ(answer->status, 200);
        const auto frames = framesOf(answer->body);
        ASSERT_EQ(frames.size(), 1u);
        ASSERT_EQ(frames[0].type, uint16_t(MessageType::Error));
        pb::ErrorMessage error;
        ASSERT_TRUE(error.ParseFromString(frames[0].payload));
        EXPECT_EQ(error.code(), kProtocolViolation);
    }
    // An oversized body is refused before the endpoint reads it.
    auto answer = invoke(std::string(2 << 20, 'x'));
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 413);
    answer = invoke(JournalBuilder("ok").run("upper", 1).runValue(1, "OK").body());
    ASSERT_TRUE(answer);
    EXPECT_EQ(framesOf(answer->body).size(), 2u);
}

TEST_F(EndpointTest, ChunkedBodyAndClientLeavingMidBody)
{
    // A client that announces a chunked body and vanishes half-way...
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(m_endpoint->port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::string body = JournalBuilder("abc").body();
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", body.size());
    const std::string request = std::string("POST /invoke/Echo/run HTTP/1.1\r\nHost: x\r\n")
        + "content-type: " + kV6 + "\r\ntransfer-encoding: chunked\r\n\r\n" + size
        + body.substr(0, body.size() / 2);
    ASSERT_EQ(::send(fd, request.data(), request.size(), 0), ssize_t(request.size()));
    ::close(fd);
    // ... leaves the endpoint serving, and chunked bodies, as Restate sends them, are read whole.
    httplib::Client chunked("127.0.0.1", m_endpoint->port());
    auto answer = chunked.Post(
        "/invoke/Echo/run",
        [&](size_t offset, httplib::DataSink& sink) {
            sink.write(body.data() + offset, std::min<size_t>(5, body.size() - offset));
            if (offset + 5 >= body.size())
                sink.done();
            return true;
        },
        kV6);
    ASSERT_TRUE(answer);
    EXPECT_EQ(answer->status, 200);
    EXPECT_EQ(framesOf(answer->body).size(), 3u);
}
