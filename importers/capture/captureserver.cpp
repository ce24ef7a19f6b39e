// SPDX-License-Identifier: MIT
#include "captureserver.h"

#include "importers/langsmith/multipartruns.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>

namespace tt::importers::capture {

namespace {

using nlohmann::json;

constexpr size_t kMaxBodyBytes = 256u << 20; // a large batch, not a runaway client
using langsmith::parseBounded;

void reject(httplib::Response& response, int status, const std::string& reason)
{
    response.status = status;
    response.set_content(json({ { "error", reason } }).dump(), "application/json");
}

void accept(httplib::Response& response)
{
    response.status = 200;
    response.set_content("{}", "application/json");
}

// The runs of a multipart body, as the file importer reads a saved one.
bool runsFromMultipart(
    const httplib::MultipartFormDataMap& parts, std::string& lines, int& runs, std::string& error)
{
    std::vector<langsmith::MultipartPart> named;
    for (const auto& [name, part] : parts)
        named.push_back({ name, part.content });
    std::vector<std::string> problems;
    lines = langsmith::runsAsJsonLines(named, runs, problems);
    if (!problems.empty())
        error = problems.front();
    return problems.empty();
}

// GET /info as LangSmith's server answers it: the SDK asks once per process and, without an
// answer, logs "Failed to fetch info on supported operations" on every batch. The batch config
// keeps it on its normal path: multipart bodies of the SDK's default sizes, uncompressed (gzip
// bodies are accepted all the same: cpp-httplib inflates Content-Encoding: gzip).
void answerInfo(const httplib::Request&, httplib::Response& response)
{
    const json info = { { "version", "0.10.66" }, { "license_expiration_time", nullptr },
        { "batch_ingest_config",
            { { "use_multipart_endpoint", true }, { "scale_up_qsize_trigger", 1000 },
                { "scale_up_nthreads_limit", 16 }, { "scale_down_nempty_trigger", 4 },
                { "size_limit", 100 }, { "size_limit_bytes", 20971520 } } },
        { "instance_flags", { { "gzip_body_enabled", false } } } };
    response.status = 200;
    response.set_content(info.dump(), "application/json");
}

} // namespace

CaptureServer::CaptureServer() = default;

CaptureServer::~CaptureServer()
{
    stop();
}

std::string CaptureServer::url() const
{
    return "http://127.0.0.1:" + std::to_string(m_port);
}

CaptureServer::Counts CaptureServer::counts() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_counts;
}

bool CaptureServer::append(
    const std::string& file, const std::string& lines, int items, bool openAi)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::string path = (std::filesystem::path(m_dir) / file).string();
    std::FILE* out = std::fopen(path.c_str(), "ab");
    if (!out)
        return false;
    const bool written = std::fwrite(lines.data(), 1, lines.size(), out) == lines.size();
    const bool closed = std::fclose(out) == 0;
    if (!written || !closed)
        return false;
    (openAi ? m_counts.openAiItems : m_counts.langSmithRuns) += items;
    return true;
}

bool CaptureServer::start(int port, const std::string& dir, std::string& error)
{
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) {
        error = "cannot create " + dir + ": " + ec.message();
        return false;
    }
    m_dir = dir;
    m_server = std::make_unique<httplib::Server>();
    m_server->set_payload_max_length(kMaxBodyBytes);
    const auto rejected = [this](httplib::Response& response, int status, const std::string& why) {
        reject(response, status, why);
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_counts.rejected;
    };
    m_server->Post("/v1/traces/ingest",
        [this, rejected](const httplib::Request& request, httplib::Response& response) {
            const auto body = parseBounded(request.body);
            if (body.is_discarded() || !body.is_object() || !body.contains("data")
                || !body["data"].is_array())
                return rejected(response, 400, "expected {\"data\":[trace or span objects]}");
            std::string lines;
            int items = 0;
            for (const auto& item : body["data"]) {
                if (!item.is_object())
                    return rejected(
                        response, 400, "data[" + std::to_string(items) + "] is not an object");
                lines += item.dump() + "\n";
                ++items;
            }
            if (!append("openai.jsonl", lines, items, true))
                return rejected(response, 500, "cannot write openai.jsonl in " + m_dir);
            accept(response);
        });
    const auto batch = [this, rejected](
                           const httplib::Request& request, httplib::Response& response) {
        const auto body = parseBounded(request.body);
        if (body.is_discarded() || !body.is_object())
            return rejected(response, 400, "expected {\"post\":[runs],\"patch\":[runs]}");
        std::string lines;
        int runs = 0;
        for (const char* key : { "post", "patch" }) {
            if (!body.contains(key))
                continue;
            if (!body[key].is_array())
                return rejected(response, 400, std::string("\"") + key + "\" is not an array");
            for (const auto& run : body[key]) {
                if (!run.is_object())
                    return rejected(
                        response, 400, std::string("a ") + key + " run is not an object");
                lines += run.dump() + "\n";
                ++runs;
            }
        }
        if (!append("langsmith.jsonl", lines, runs, false))
            return rejected(response, 500, "cannot write langsmith.jsonl in " + m_dir);
        accept(response);
    };
    const auto multipart
        = [this, rejected](const httplib::Request& request, httplib::Response& response) {
              if (!request.is_multipart_form_data())
                  return rejected(response, 415, "expected multipart/form-data");
              std::string lines;
              int runs = 0;
              std::string why;
              if (!runsFromMultipart(request.files, lines, runs, why))
                  return rejected(response, 400, why);
              if (!append("langsmith.jsonl", lines, runs, false))
                  return rejected(response, 500, "cannot write langsmith.jsonl in " + m_dir);
              accept(response);
          };
    for (const char* prefix : { "", "/api/v1" }) {
        m_server->Post(std::string(prefix) + "/runs/batch", batch);
        m_server->Post(std::string(prefix) + "/runs/multipart", multipart);
        m_server->Get(std::string(prefix) + "/info", answerInfo);
    }
    // Loopback only: traces carry prompts and outputs.
    m_port = port > 0 ? (m_server->bind_to_port("127.0.0.1", port) ? port : -1)
                      : m_server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0) {
        error = "cannot listen on 127.0.0.1:" + std::to_string(port) + " (in use?)";
        m_server.reset();
        return false;
    }
    // The socket listens from here on: clients queue until the accept loop runs.
    m_thread = std::thread([this]() { m_server->listen_after_bind(); });
    // Wait for the accept loop, so that a stop() right after start() is not lost.
    for (int waited = 0; !m_server->is_running() && waited < 2000; ++waited)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    return true;
}

void CaptureServer::stop()
{
    if (m_server)
        m_server->stop();
    if (m_thread.joinable())
        m_thread.join();
    m_server.reset();
}

} // namespace tt::importers::capture
