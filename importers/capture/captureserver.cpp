// SPDX-License-Identifier: MIT
#include "captureserver.h"

#include "net/guardedserver.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <map>

namespace tt::importers::capture {

namespace {

using nlohmann::json;

constexpr size_t kMaxBodyBytes = 256u << 20; // a large batch, not a runaway client
constexpr int kMaxDepth = 128; // traces nest a few levels; writing back deeper JSON recurses

// Parses a body, refusing what nests deeper than any trace does (discarded, like bad JSON).
json parseBounded(const std::string& text)
{
    bool tooDeep = false;
    json value = json::parse(
        text,
        [&tooDeep](int depth, json::parse_event_t, json&) {
            if (depth > kMaxDepth)
                tooDeep = true;
            return !tooDeep;
        },
        false);
    return tooDeep ? json(json::value_t::discarded) : value;
}

void reject(httplib::Response& response, int status, const std::string& reason)
{
    response.status = status;
    response.set_content(
        json({ { "error", reason } }).dump(-1, ' ', false, json::error_handler_t::replace),
        "application/json");
}

// "application/json" of "Application/JSON; charset=utf-8".
std::string mediaType(const std::string& contentType)
{
    std::string type = contentType.substr(0, contentType.find(';'));
    type.erase(type.find_last_not_of(" \t") + 1);
    type.erase(0, type.find_first_not_of(" \t"));
    std::transform(type.begin(), type.end(), type.begin(),
        [](unsigned char c) { return char(std::tolower(c)); });
    return type;
}

// http(s)://127.0.0.1, localhost or [::1], with a port or without.
bool isLoopbackOrigin(const std::string& origin)
{
    for (const char* scheme : { "http://", "https://" }) {
        if (origin.rfind(scheme, 0) != 0)
            continue;
        const std::string hostAndPort = origin.substr(std::strlen(scheme));
        for (const char* host : { "127.0.0.1", "localhost", "[::1]" }) {
            if (hostAndPort.rfind(host, 0) != 0)
                continue;
            const std::string rest = hostAndPort.substr(std::strlen(host));
            if (rest.empty()
                || (rest.size() > 1 && rest.size() <= 6 && rest[0] == ':'
                    && rest.find_first_not_of("0123456789", 1) == std::string::npos))
                return true;
        }
    }
    return false;
}

// What the SDKs send and nothing a web page can: no Origin (or a loopback one) and the content
// type of the path, so that a page's "simple request" (text/plain, form posts) never lands in a
// file. Checked before the body is read.
std::string refusal(const httplib::Request& request, int& status)
{
    if (request.has_header("Origin") && !isLoopbackOrigin(request.get_header_value("Origin"))) {
        status = 403;
        return "requests from web pages are refused";
    }
    if (request.method != "POST")
        return {};
    const bool multipart = request.path.size() >= 15
        && request.path.compare(request.path.size() - 15, 15, "/runs/multipart") == 0;
    const char* expected = multipart ? "multipart/form-data" : "application/json";
    if (mediaType(request.get_header_value("Content-Type")) != expected) {
        status = 415;
        return std::string("expected Content-Type: ") + expected;
    }
    return {};
}

void accept(httplib::Response& response)
{
    response.status = 200;
    response.set_content("{}", "application/json");
}

// The runs of a multipart body: post.<id> / patch.<id> carry a run, post.<id>.<field> one of
// its large fields; feedback and attachments are not runs.
bool runsFromMultipart(
    const httplib::MultipartFormDataMap& parts, std::string& lines, int& runs, std::string& error)
{
    std::map<std::string, json> byName; // "post.<id>" -> run
    std::vector<std::pair<std::string, std::pair<std::string, json>>> fields;
    for (const auto& [name, part] : parts) {
        if (!simdjson::validate_utf8(name.data(), name.size())) {
            error = "a part name is not UTF-8";
            return false;
        }
        const size_t first = name.find('.');
        const std::string kind = name.substr(0, first);
        if (kind != "post" && kind != "patch")
            continue;
        const size_t second = name.find('.', first + 1);
        auto value = parseBounded(part.content);
        if (value.is_discarded()) {
            error = "part \"" + name + "\" is not JSON";
            return false;
        }
        if (second == std::string::npos)
            byName[name] = std::move(value);
        else
            fields.push_back(
                { name.substr(0, second), { name.substr(second + 1), std::move(value) } });
    }
    for (auto& [run, field] : fields) {
        auto it = byName.find(run);
        if (it == byName.end())
            it = byName.emplace(run, json { { "id", run.substr(run.find('.') + 1) } }).first;
        if (it->second.is_object())
            it->second[field.first] = std::move(field.second);
    }
    for (auto& [name, run] : byName) {
        if (!run.is_object()) {
            error = "part \"" + name + "\" is not a run object";
            return false;
        }
        if (!run.contains("id"))
            run["id"] = name.substr(name.find('.') + 1);
        lines += run.dump() + "\n";
        ++runs;
    }
    return true;
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
    m_server = std::make_unique<net::GuardedServer>();
    m_server->set_payload_max_length(kMaxBodyBytes);
    const auto rejected = [this](httplib::Response& response, int status, const std::string& why) {
        reject(response, status, why);
        std::lock_guard<std::mutex> lock(m_mutex);
        ++m_counts.rejected;
    };
    m_server->set_pre_routing_handler(
        [rejected](const httplib::Request& request, httplib::Response& response) {
            int status = 0;
            const std::string why = refusal(request, status);
            if (why.empty())
                return httplib::Server::HandlerResponse::Unhandled;
            rejected(response, status, why);
            return httplib::Server::HandlerResponse::Handled;
        });
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
