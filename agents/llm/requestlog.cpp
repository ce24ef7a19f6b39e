// SPDX-License-Identifier: MIT
#include "requestlog.h"

#include <nlohmann/json.hpp>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace tt::llm {

RequestLog::~RequestLog()
{
    if (m_file)
        std::fclose(m_file);
}

bool RequestLog::open(const std::string& path, std::string& error)
{
    m_file = std::fopen(path.c_str(), "a");
    if (!m_file)
        error = path + ": " + std::strerror(errno);
    return m_file != nullptr;
}

void RequestLog::write(const LogEntry& e)
{
    if (!m_file)
        return;
    const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch());
    const nlohmann::json line = {
        { "ts_ms", now.count() },
        { "run_id", e.runId },
        { "call", e.call },
        { "step", e.step },
        { "method", e.method },
        { "path", e.path },
        { "stream", e.stream },
        { "status", e.status },
        { "fault", e.fault.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.fault) },
        { "prompt_tokens", e.promptTokens },
        { "completion_tokens", e.completionTokens },
        { "body_hash", e.bodyHash },
        { "body_bytes", e.bodyBytes },
        { "simulated_ms", e.simulatedMs },
        { "first_byte_ms", e.firstByteMs },
        { "duration_ms", e.durationMs },
        { "completed", e.completed },
        { "upstream", e.upstream },
    };
    const std::string text
        = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    std::lock_guard lock(m_mutex);
    std::fwrite(text.data(), 1, text.size(), m_file);
    std::fflush(m_file);
}

} // namespace tt::llm
