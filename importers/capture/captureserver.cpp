// SPDX-License-Identifier: MIT
#include "captureserver.h"

#include "importers/langsmith/multipartruns.h"
#include "net/guardedserver.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <simdjson.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace tt::importers::capture {

namespace {

using nlohmann::json;

constexpr size_t kMaxBodyBytes = 256u << 20; // a large batch, not a runaway client
using langsmith::parseBounded;
constexpr int kMaxDepth = 128; // traces nest a few levels; writing back deeper JSON recurses

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

// The runs of a multipart body, as the file importer reads a saved one.
bool runsFromMultipart(
    const httplib::MultipartFormDataMap& parts, std::string& lines, int& runs, std::string& error)
{
    std::vector<langsmith::MultipartPart> named;
    for (const auto& [name, part] : parts) {
        if (!simdjson::validate_utf8(name.data(), name.size())) {
            error = "a part name is not UTF-8";
            return false;
        }
        named.push_back({ name, part.content });
    }
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
    const std::string& file, const std::function<bool(std::FILE*)>& write, int items, bool openAi)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const std::string path = (std::filesystem::path(m_dir) / file).string();
    std::FILE* out = std::fopen(path.c_str(), "ab");
    if (!out)
        return false;
    const bool written = write(out);
    const bool closed = std::fclose(out) == 0;
    if (!written || !closed)
        return false;
    (openAi ? m_counts.openAiItems : m_counts.langSmithRuns) += items;
    return true;
}

bool CaptureServer::appendJsonItems(const httplib::Request& request,
    const httplib::ContentReader& reader, const char* file, bool openAi,
    const std::vector<const char*>& keys, std::string& why, int& status, int& items)
{
    // One buffer, sized once from Content-Length with simdjson's padding: the body is parsed
    // where it lies, and each item written from the parse as it goes to the file.
    std::string body;
    const auto declared
        = std::strtoull(request.get_header_value("Content-Length").c_str(), nullptr, 10);
    body.reserve(
        std::min<unsigned long long>(declared, kMaxBodyBytes) + simdjson::SIMDJSON_PADDING);
    if (!reader([&body](const char* data, size_t length) {
            if (body.size() + length > kMaxBodyBytes)
                return false;
            body.append(data, length);
            return true;
        })) {
        status = 413;
        why = "body larger than " + std::to_string(kMaxBodyBytes) + " bytes";
        return false;
    }
    simdjson::dom::parser parser;
    simdjson::dom::element root;
    if (parser.allocate(body.size(), kMaxDepth) != simdjson::SUCCESS
        || parser
                .parse(body.data(), body.size(),
                    body.capacity() - body.size() < simdjson::SIMDJSON_PADDING)
                .get(root)
            != simdjson::SUCCESS
        || !root.is_object())
        return false;
    std::vector<simdjson::dom::array> arrays;
    for (const char* key : keys) {
        simdjson::dom::element value;
        if (root[key].get(value) != simdjson::SUCCESS) {
            if (keys.size() == 1)
                return false; // the one key is required
            continue;
        }
        simdjson::dom::array array;
        if (value.get_array().get(array) != simdjson::SUCCESS) {
            why = std::string("\"") + key + "\" is not an array";
            return false;
        }
        int index = 0;
        for (simdjson::dom::element item : array) {
            if (!item.is_object()) {
                why = std::string(key) + "[" + std::to_string(index) + "] is not an object";
                return false;
            }
            ++index;
        }
        items += index;
        arrays.push_back(array);
    }
    const auto write = [&arrays](std::FILE* out) {
        for (const simdjson::dom::array& array : arrays)
            for (simdjson::dom::element item : array) {
                const std::string line = simdjson::minify(item) + "\n";
                if (std::fwrite(line.data(), 1, line.size(), out) != line.size())
                    return false;
            }
        return true;
    };
    if (!append(file, write, items, openAi)) {
        status = 500;
        why = std::string("cannot write ") + file + " in " + m_dir;
        return false;
    }
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
    // The JSON paths read their body themselves, into one buffer parsed in place.
    const auto jsonItems = [this, rejected](const char* file, bool openAi,
                               std::vector<const char*> keys, const char* expected) {
        return [=](const httplib::Request& request, httplib::Response& response,
                   const httplib::ContentReader& reader) {
            std::string why;
            int status = 400;
            int items = 0;
            if (!appendJsonItems(request, reader, file, openAi, keys, why, status, items))
                rejected(response, status, why.empty() ? expected : why);
            else
                accept(response);
        };
    };
    m_server->Post("/v1/traces/ingest",
        jsonItems("openai.jsonl", true, { "data" }, "expected {\"data\":[trace or span objects]}"));
    const auto batch = jsonItems("langsmith.jsonl", false, { "post", "patch" },
        "expected {\"post\":[runs],\"patch\":[runs]}");
    const auto multipart
        = [this, rejected](const httplib::Request& request, httplib::Response& response) {
              std::string lines;
              int runs = 0;
              std::string why;
              if (!runsFromMultipart(request.files, lines, runs, why))
                  return rejected(response, 400, why);
              const auto write = [&lines](std::FILE* out) {
                  return std::fwrite(lines.data(), 1, lines.size(), out) == lines.size();
              };
              if (!append("langsmith.jsonl", write, runs, false))
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
