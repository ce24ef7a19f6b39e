// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <cstdio>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class ContentReader;
struct Request;
} // namespace httplib

namespace tt::net {
class GuardedServer;
}

namespace tt::importers::capture {

// Where the team's Python Writers can send their traces while an experiment runs (point the
// SDKs' exporters here): on 127.0.0.1 only,
//   POST /v1/traces/ingest               OpenAI Agents SDK exporter, {"data":[trace|span,...]}
//   POST [/api/v1]/runs/batch            LangSmith, {"post":[runs],"patch":[runs]}
//   POST [/api/v1]/runs/multipart        LangSmith, parts post.<id>, post.<id>.<field>, patch...
// Each item lands as one JSON line in DIR/openai.jsonl or DIR/langsmith.jsonl as it arrives
// (the files the importers read; nothing held in memory, nothing lost on a crash). Headers,
// and so API keys, are never written. A body that is not what the path expects gets 400 with
// the reason, and nothing of it is written. Only what the SDKs send is taken: JSON (multipart
// on /runs/multipart) and no Origin but a loopback one, so a web page cannot write here.
class CaptureServer
{
public:
    CaptureServer();
    ~CaptureServer();
    CaptureServer(const CaptureServer&) = delete;
    CaptureServer& operator=(const CaptureServer&) = delete;

    // Listens on 127.0.0.1:port (0: a free port) and writes into dir; false with a reason.
    bool start(int port, const std::string& dir, std::string& error);
    void stop();
    int port() const { return m_port; }
    std::string url() const;

    struct Counts
    {
        int openAiItems = 0;
        int langSmithRuns = 0;
        int rejected = 0;
    };
    Counts counts() const;

private:
    // False when the file cannot be written (the client is told 500 and may retry).
    bool append(const std::string& file, const std::function<bool(std::FILE*)>& write, int items,
        bool openAi);
    // Reads a JSON body of objects in arrays at `keys` ({"data":[...]}; {"post":[],"patch":[]})
    // and appends them to `file`, one line each; false with a status and a reason (empty: the
    // body is not the expected shape), and then nothing is written.
    bool appendJsonItems(const httplib::Request& request, const httplib::ContentReader& reader,
        const char* file, bool openAi, const std::vector<const char*>& keys, std::string& why,
        int& status, int& items);

    std::unique_ptr<net::GuardedServer> m_server;
    std::thread m_thread;
    std::string m_dir;
    int m_port = 0;
    mutable std::mutex m_mutex;
    Counts m_counts;
};

} // namespace tt::importers::capture
