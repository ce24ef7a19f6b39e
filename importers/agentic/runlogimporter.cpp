// SPDX-License-Identifier: MIT
#include "agenticimporters.h"

#include "importers/common/jsonutil.h"
#include "importers/common/timeparse.h"
#include "importers/timeline/tracebuilder.h"

namespace tt::importers::agentic {

namespace {

// Every record starts with its asctime: "2026-02-09 10:15:00 - " as setup_run_logging() writes
// it (datefmt without milliseconds), or "2026-02-09 10:15:00,123 - " with logging's default.
size_t stampSize(std::string_view line)
{
    constexpr size_t kSeconds = 19;
    constexpr size_t kMillis = 23;
    return line.size() > kSeconds && line[kSeconds] == ',' ? kMillis : kSeconds;
}

std::optional<int64_t> recordTime(std::string_view line)
{
    const size_t size = stampSize(line);
    if (line.size() < size + 3 || line.substr(size, 3) != " - ")
        return std::nullopt;
    return parseTimestamp(line.substr(0, size));
}

struct Record
{
    int64_t timeNs = 0;
    int64_t line = 0;
    std::string_view logger;
    std::string_view level;
    std::string_view firstLine;
    const char* begin = nullptr;
    const char* end = nullptr;
};

class Reader
{
public:
    Reader(std::shared_ptr<const std::string> bytes, std::string origin)
        : m_bytes(std::move(bytes))
        , m_origin(origin)
        , m_builder(timeline::Source::AgenticRunLog, std::move(origin), m_bytes)
    { }

    timeline::ImportResult run()
    {
        if (!m_bytes || m_bytes->find_first_not_of(" \t\r\n") == std::string::npos) {
            m_builder.warn(0, "empty input: expected Python logging records");
            return m_builder.finish();
        }
        m_builder.noteTrace(m_origin, "run log");
        const std::string_view text(*m_bytes);
        json::forEachLine(text, [&](std::string_view line, int64_t number) {
            const auto time = recordTime(line);
            if (!time) {
                if (m_open)
                    m_record.end = line.data() + line.size(); // traceback or wrapped message
                else
                    m_builder.warn(
                        number, "expected \"YYYY-MM-DD HH:MM:SS - logger - LEVEL - message\"");
                return;
            }
            flush();
            startRecord(line, number, *time);
        });
        flush();
        return m_builder.finish();
    }

private:
    void startRecord(std::string_view line, int64_t number, int64_t time)
    {
        m_record = Record();
        m_record.timeNs = time;
        m_record.line = number;
        m_record.begin = line.data();
        m_record.end = line.data() + line.size();
        std::string_view rest = line.substr(stampSize(line) + 3);
        const size_t a = rest.find(" - ");
        const size_t b = a == std::string_view::npos ? a : rest.find(" - ", a + 3);
        if (b == std::string_view::npos) {
            m_builder.warn(number, "record without \"logger - LEVEL - message\": kept as text");
            m_record.firstLine = rest;
        } else {
            m_record.logger = rest.substr(0, a);
            m_record.level = rest.substr(a + 3, b - a - 3);
            m_record.firstLine = rest.substr(b + 3);
        }
        m_open = true;
    }

    void flush()
    {
        if (!m_open)
            return;
        m_open = false;
        timeline::SpanInput in;
        in.traceId = m_origin;
        in.line = m_record.line;
        in.kind = timeline::SpanKind::LogLine;
        in.name = m_record.logger.empty() ? std::string_view("log") : m_record.logger;
        in.startNs = m_record.timeNs;
        in.endNs = m_record.timeNs;
        in.payload = std::string_view(m_record.begin, size_t(m_record.end - m_record.begin));
        const bool failed = m_record.level == "ERROR" || m_record.level == "CRITICAL";
        if (failed)
            in.error = m_record.firstLine;
        in.status = failed ? timeline::SpanStatus::Error : timeline::SpanStatus::Ok;
        m_builder.addSpan(in);
    }

    std::shared_ptr<const std::string> m_bytes;
    std::string m_origin;
    timeline::TraceSetBuilder m_builder;
    Record m_record;
    bool m_open = false;
};

} // namespace

timeline::ImportResult importRunLog(std::shared_ptr<const std::string> bytes, std::string origin)
{
    return Reader(std::move(bytes), std::move(origin)).run();
}

} // namespace tt::importers::agentic
