// SPDX-License-Identifier: MIT
#pragma once

#include <cstdio>
#include <mutex>
#include <string>

namespace tt::llm {

// One line of the request log: what the engine counts LLM calls and tokens from.
struct LogEntry
{
    std::string runId;
    int call = 0;
    std::string step;
    std::string method;
    std::string path;
    bool stream = false;
    int status = 0;
    std::string fault; // empty when none
    int promptTokens = 0;
    int completionTokens = 0;
    // What the client sent, to check that two variants gave the LLM the same work: a hash of the
    // request body and its size.
    std::string bodyHash;
    size_t bodyBytes = 0;
    double simulatedMs = 0; // the latency the stand-in's model chose for this answer
    double firstByteMs = 0; // from the request to the first body byte
    double durationMs = 0;
    bool completed = true; // false when the client went away or the connection was dropped
    bool upstream = false; // proxy mode: answered by the real server
};

// JSON lines, one per request, flushed as each request ends so a crash loses nothing written.
class RequestLog
{
public:
    RequestLog() = default;
    ~RequestLog();
    RequestLog(const RequestLog&) = delete;
    RequestLog& operator=(const RequestLog&) = delete;

    bool open(const std::string& path, std::string& error);
    void write(const LogEntry& entry);

private:
    std::mutex m_mutex;
    std::FILE* m_file = nullptr;
};

} // namespace tt::llm
