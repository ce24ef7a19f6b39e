// SPDX-License-Identifier: MIT
// Private to the stand-in's server: shared by its local answers (server.cpp) and its proxy mode
// (proxy.cpp).
#pragma once

#include "faultplan.h"
#include "requestlog.h"
#include "server.h"

#include "net/guardedserver.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <thread>

namespace tt::llm {

using Clock = std::chrono::steady_clock;

// The wire format a route speaks; the conversation and the fault plan are the same for both.
enum class Api
{
    ChatCompletions,
    Responses
};

struct LlmServer::Impl
{
    explicit Impl(ServerConfig configIn)
        : config(std::move(configIn))
        , plan(config.scenario, config.seed.value_or(config.scenario.seed))
    { }

    ServerConfig config;
    FaultPlan plan;
    RequestLog log;
    net::GuardedServer server; // header deadline and limits against hostile clients
    std::thread thread;
    std::atomic<bool> stopping { false };
    int port = 0;

    void handleChat(const httplib::Request& request, httplib::Response& response, Api api);
    // `body` is a chat request (a Responses request already read as one, see responsesformat.h).
    void answerLocally(httplib::Response& response, const nlohmann::json& body,
        const Decision& decision, LogEntry entry, Api api);
    void answerFromUpstream(const httplib::Request& request, httplib::Response& response,
        const Decision& decision, LogEntry entry);

    // Sleeps until `deadline`, in short slices; false when the server stops or the client is
    // gone. pause(ms) is the same from now.
    bool pauseUntil(Clock::time_point deadline, httplib::DataSink* sink = nullptr) const;
    bool pause(double ms, httplib::DataSink* sink = nullptr) const;
    // Answers a fault that replaces the response (429, 500, 503, reset); false for the others.
    bool answerWithFault(const Decision& decision, httplib::Response& response, LogEntry& entry);
};

double millisecondsSince(Clock::time_point start);

} // namespace tt::llm
