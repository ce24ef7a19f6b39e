// SPDX-License-Identifier: MIT
#pragma once

#include "scenario.h"

#include <memory>
#include <optional>
#include <string>

namespace tt::llm {

struct ServerConfig
{
    std::string host = "127.0.0.1"; // loopback only: anything else is refused
    int port = 0; // 0 = a free port, see LlmServer::port()
    Scenario scenario;
    std::optional<uint64_t> seed; // overrides the scenario's
    std::string upstream; // proxy mode: "http://host:port" of a real OpenAI-compatible server
    std::string logPath; // JSON lines, one per request; empty = no log
    std::string model = "gpt-oss-20b";
    size_t maxBodyBytes = 16u << 20; // larger requests get 413
    int threads = 64; // concurrent requests (stalled ones hold a thread)
};

// The LLM stand-in: an OpenAI-compatible server on 127.0.0.1 (cpp-httplib) that plays the
// Writer's conversation, or forwards to a real server (proxy mode), and applies the scenario's
// faults either way. Runs on its own threads until stop().
class LlmServer
{
public:
    explicit LlmServer(ServerConfig config);
    ~LlmServer();
    LlmServer(const LlmServer&) = delete;
    LlmServer& operator=(const LlmServer&) = delete;

    // Binds and starts serving; false with a reason when the address is not loopback, the port
    // is taken or the log cannot be opened.
    bool start(std::string& error);
    int port() const;
    // Stops accepting, wakes stalled and streaming answers, and waits for the serving thread.
    void stop();

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace tt::llm
