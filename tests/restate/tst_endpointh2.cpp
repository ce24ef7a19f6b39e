// SPDX-License-Identifier: MIT
// The endpoint over HTTP/2 (h2c, through a libnghttp2 client): discovery announces bidirectional
// streams, each step's result comes back on the open stream, an attempt suspends when the runtime
// closes its side, and the same guards as over HTTP/1.1 (404, 415, 413, header limits, a client
// that does not speak HTTP/2).
#include "h2client.h"
#include "journalbuilder.h"

#include "agents/restate/endpoint.h"
#include "net/h2server.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>

using namespace tt::restate;
using namespace tt::restate::testing;

namespace {

const char* kV6 = "application/vnd.restate.invocation.v6";

class EndpointH2Test : public ::testing::Test
{
protected:
    void SetUp() override
    {
        Endpoint::Options options;
        options.maxBodyBytes = 1 << 20;
        ASSERT_EQ(options.transport, Transport::Http2); // the default, as in Restate's SDKs
        m_endpoint = std::make_unique<Endpoint>(options);
        ServiceDefinition service;
        service.name = "Echo";
        service.handlers.push_back({ "run", [](Context& ctx) {
                                        const std::string a = ctx.run("upper", [&] {
                                            std::string text = ctx.input();
                                            for (char& c : text)
                                                c = char(toupper(c));
                                            return text;
                                        });
                                        const std::string b
                                            = ctx.run("twice", [&] { return a + a; });
                                        return b;
                                    } });
        m_endpoint->addService(std::move(service));
        std::string error;
        ASSERT_TRUE(m_endpoint->start(error)) << error;
    }

    // The frames the answer holds so far, taken out of the client's buffer.
    static std::vector<Frame> take(H2Client& client)
    {
        FrameReader reader;
        reader.feed(client.body);
        std::vector<Frame> frames;
        while (std::optional<Frame> frame = reader.next())
            frames.push_back(std::move(*frame));
        client.body.erase(0, size_t(reader.offset()));
        return frames;
    }

    // Waits for a frame of `type` on the answer; the frames read on the way are kept.
    static bool waitForFrame(H2Client& client, MessageType type, std::vector<Frame>& seen)
    {
        return client.waitFor([&] {
            for (Frame& frame : take(client))
                seen.push_back(std::move(frame));
            for (const Frame& frame : seen)
                if (frame.type == uint16_t(type))
                    return true;
            return false;
        });
    }

    static std::string completion(uint32_t id, const std::string& value)
    {
        pb::NotificationTemplate result;
        result.set_completion_id(id);
        result.mutable_value()->set_content(value);
        std::string out;
        appendFrame(out, MessageType::RunCompletion, result);
        return out;
    }

    std::unique_ptr<Endpoint> m_endpoint;
};

} // namespace

TEST_F(EndpointH2Test, DiscoveryAnnouncesBidirectionalStreams)
{
    H2Client client(m_endpoint->port());
    ASSERT_TRUE(client.connected());
    client.request(
        "GET", "/discover", { { "accept", "application/vnd.restate.endpointmanifest.v4+json" } });
    ASSERT_TRUE(client.waitFor([&] { return client.ended; }));
    EXPECT_EQ(client.status, 200);
    EXPECT_EQ(client.headers["content-type"], "application/vnd.restate.endpointmanifest.v4+json");
    EXPECT_FALSE(client.headers["x-restate-server"].empty());
    const auto manifest = nlohmann::json::parse(client.body);
    EXPECT_EQ(manifest["protocolMode"], "BIDI_STREAM");
    EXPECT_EQ(manifest["services"][0]["name"], "Echo");
    EXPECT_EQ(m_endpoint->manifest(4), client.body);
}

TEST_F(EndpointH2Test, EachStepsResultComesBackOnTheOpenStream)
{
    H2Client client(m_endpoint->port());
    client.request("POST", "/invoke/Echo/run", { { "content-type", kV6 } },
        JournalBuilder("abc").body(), false);
    std::vector<Frame> seen;
    // The first step is proposed, and the attempt waits on the stream instead of suspending.
    ASSERT_TRUE(waitForFrame(client, MessageType::ProposeRunCompletion, seen));
    EXPECT_EQ(client.status, 200);
    EXPECT_EQ(client.headers["content-type"], kV6);
    ASSERT_EQ(seen.size(), 2u);
    EXPECT_EQ(seen[0].type, uint16_t(MessageType::RunCommand));
    pb::ProposeRunCompletionMessage proposal;
    ASSERT_TRUE(proposal.ParseFromString(seen[1].payload));
    EXPECT_EQ(proposal.value(), "ABC");
    EXPECT_FALSE(client.ended);
    // The runtime journals it and says so; the second step runs on that answer.
    client.send(completion(1, "ABC"));
    seen.clear();
    ASSERT_TRUE(waitForFrame(client, MessageType::ProposeRunCompletion, seen));
    ASSERT_TRUE(proposal.ParseFromString(seen.back().payload));
    EXPECT_EQ(proposal.value(), "ABCABC");
    client.send(completion(2, "ABCABC"));
    seen.clear();
    ASSERT_TRUE(waitForFrame(client, MessageType::End, seen));
    ASSERT_EQ(seen.size(), 2u);
    pb::OutputCommandMessage output;
    ASSERT_TRUE(output.ParseFromString(seen[0].payload));
    EXPECT_EQ(output.value().content(), "ABCABC");
    ASSERT_TRUE(client.waitFor([&] {
        client.close();
        return client.ended;
    }));
    EXPECT_EQ(m_endpoint->counters().attempts.load(), 1);
    EXPECT_EQ(m_endpoint->counters().outputs.load(), 1);
    EXPECT_EQ(m_endpoint->counters().suspensions.load(), 0);
}

TEST_F(EndpointH2Test, AnAttemptSuspendsWhenTheRuntimeClosesItsSide)
{
    H2Client client(m_endpoint->port());
    client.request("POST", "/invoke/Echo/run", { { "content-type", kV6 } },
        JournalBuilder("abc").run("upper", 1).runValue(1, "ABC").body(), false);
    std::vector<Frame> seen;
    ASSERT_TRUE(waitForFrame(client, MessageType::ProposeRunCompletion, seen));
    client.close(); // the runtime's inactivity timeout, say
    ASSERT_TRUE(waitForFrame(client, MessageType::Suspension, seen));
    pb::SuspensionMessage suspension;
    ASSERT_TRUE(suspension.ParseFromString(seen.back().payload));
    ASSERT_EQ(suspension.waiting_completions_size(), 1);
    EXPECT_EQ(suspension.waiting_completions(0), 2u);
    EXPECT_TRUE(client.waitFor([&] { return client.ended; }));
    EXPECT_EQ(m_endpoint->counters().suspensions.load(), 1);
}

TEST_F(EndpointH2Test, RefusalsAreThoseOfHttp1)
{
    {
        H2Client client(m_endpoint->port());
        client.request(
            "POST", "/invoke/Echo/nope", { { "content-type", kV6 } }, JournalBuilder().body());
        ASSERT_TRUE(client.waitFor([&] { return client.ended; }));
        EXPECT_EQ(client.status, 404);
    }
    {
        H2Client client(m_endpoint->port());
        client.request("POST", "/invoke/Echo/run",
            { { "content-type", "application/vnd.restate.invocation.v7" } },
            JournalBuilder().body());
        ASSERT_TRUE(client.waitFor([&] { return client.ended; }));
        EXPECT_EQ(client.status, 415);
    }
    {
        // A body announced larger than the limit is refused before it is read.
        H2Client client(m_endpoint->port());
        client.request("POST", "/invoke/Echo/run",
            { { "content-type", kV6 }, { "content-length", std::to_string(2 << 20) } }, "x", false);
        ASSERT_TRUE(client.waitFor([&] { return client.status != 0; }));
        EXPECT_EQ(client.status, 413);
    }
    {
        // A journal that is not one: a protocol violation on the stream.
        H2Client client(m_endpoint->port());
        client.request("POST", "/invoke/Echo/run", { { "content-type", kV6 } }, "not frames");
        ASSERT_TRUE(client.waitFor([&] { return client.ended; }));
        const auto frames = framesOf(client.body);
        ASSERT_EQ(frames.size(), 1u);
        pb::ErrorMessage error;
        ASSERT_TRUE(error.ParseFromString(frames[0].payload));
        EXPECT_EQ(error.code(), kProtocolViolation);
    }
    {
        // 200 header lines: 400, and the connection is closed.
        std::vector<std::pair<std::string, std::string>> many;
        for (int i = 0; i < 200; ++i)
            many.emplace_back("x-filler-" + std::to_string(i), "1");
        H2Client client(m_endpoint->port());
        client.request("GET", "/discover", many);
        client.waitFor([&] { return client.connectionClosed; });
        EXPECT_EQ(client.status, 400);
        EXPECT_TRUE(client.connectionClosed);
    }
    {
        // An HTTP/1.1 request on the HTTP/2 port: closed, not served.
        H2Client client(m_endpoint->port());
        client.sendRaw("GET /discover HTTP/1.1\r\nHost: x\r\n\r\n");
        client.waitFor([&] { return client.connectionClosed; });
        EXPECT_TRUE(client.connectionClosed);
        EXPECT_EQ(client.status, 0);
    }
    // And it serves on.
    H2Client client(m_endpoint->port());
    client.request("POST", "/invoke/Echo/run", { { "content-type", kV6 } },
        JournalBuilder("ok")
            .run("upper", 1)
            .runValue(1, "OK")
            .run("twice", 2)
            .runValue(2, "OKOK")
            .body());
    ASSERT_TRUE(client.waitFor([&] { return client.ended; }));
    EXPECT_EQ(framesOf(client.body).size(), 2u);
}

// The server under the endpoint: a client that stops half-way through its preface or its
// headers loses its connection at the header deadline, as over HTTP/1.1.
TEST(H2Server, ASlowPrefaceIsCutAtTheHeaderDeadline)
{
    tt::net::H2Limits limits;
    limits.request.headerDeadline = std::chrono::milliseconds(200);
    tt::net::H2Server server(limits, [](tt::net::H2Exchange& exchange) { exchange.end(); });
    std::string error;
    ASSERT_TRUE(server.start(0, error)) << error;
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in address {};
    address.sin_family = AF_INET;
    address.sin_port = htons(uint16_t(server.port()));
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    const std::string half = "PRI * HTTP/2.0\r\n";
    ASSERT_EQ(::send(fd, half.data(), half.size(), MSG_NOSIGNAL), ssize_t(half.size()));
    // The server's SETTINGS may come first; then the connection must end, long before the 10 s
    // idle timeout would end it.
    bool closed = false;
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (!closed && std::chrono::steady_clock::now() < until) {
        pollfd entry { fd, POLLIN, 0 };
        if (::poll(&entry, 1, 100) <= 0)
            continue;
        char buffer[512];
        closed = ::recv(fd, buffer, sizeof buffer, 0) <= 0;
    }
    EXPECT_TRUE(closed);
    ::close(fd);
    server.stop();
}

// A client that sends a stream's headers and never its body loses the stream at the read
// timeout: the handler's read ends and its thread (one of the server's streams) comes back.
TEST(H2Server, AStreamWhoseBodyNeverComesIsResetAtTheReadTimeout)
{
    tt::net::H2Limits limits;
    limits.readTimeout = std::chrono::milliseconds(200);
    std::atomic<int> returned { 0 };
    std::atomic<bool> gotBytes { false };
    tt::net::H2Server server(limits, [&](tt::net::H2Exchange& exchange) {
        std::string chunk;
        gotBytes = exchange.read(chunk);
        ++returned;
    });
    std::string error;
    ASSERT_TRUE(server.start(0, error)) << error;
    H2Client client(server.port());
    ASSERT_TRUE(client.connected());
    client.request("POST", "/Echo/run", { { "content-type", kV6 } }, {}, false);
    EXPECT_TRUE(client.waitFor([&] { return returned.load() == 1; }, std::chrono::seconds(5)));
    EXPECT_FALSE(gotBytes.load());
    EXPECT_TRUE(client.waitFor([&] { return client.ended; }, std::chrono::seconds(5)));
    EXPECT_EQ(client.resetCode, uint32_t(NGHTTP2_CANCEL));
    server.stop();
}

// A body announced over the limit is answered 413 at once, and the stream is then reset
// (NO_ERROR): a client that keeps its side open does not keep the stream, nor its connection.
TEST(H2Server, ARefusedBodysStreamIsClosedAfterIts413)
{
    tt::net::H2Limits limits;
    limits.maxBodyBytes = 1024;
    tt::net::H2Server server(limits, [&](tt::net::H2Exchange& exchange) { exchange.end(); });
    std::string error;
    ASSERT_TRUE(server.start(0, error)) << error;
    H2Client client(server.port());
    client.request("POST", "/x", { { "content-length", "100000" } }, "abc", false);
    EXPECT_TRUE(client.waitFor([&] { return client.ended; }, std::chrono::seconds(5)));
    EXPECT_EQ(client.status, 413);
    EXPECT_EQ(client.resetCode, uint32_t(NGHTTP2_NO_ERROR));
    server.stop();
}
