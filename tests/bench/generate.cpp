// SPDX-License-Identifier: MIT
#include "generate.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

namespace tt::bench {

namespace {

constexpr size_t kSpansPerTrace = 10;

struct Node
{
    const char* type;
    const char* name;
    int parent; // index in the trace's node list, -1 for the root
    int startMs;
    int endMs;
};

// One Writer run: task -> agent -> turn -> (mcp list, generation, tool) ; turn -> generation.
const Node kRun[kSpansPerTrace] = {
    { "custom", "task", -1, 0, 13400 },
    { "agent", "writer_agent", 0, 50, 13350 },
    { "mcp_tools", "", 1, 51, 100 },
    { "custom", "turn", 1, 101, 4960 },
    { "generation", "", 3, 105, 4900 },
    { "function", "read_multiple_files", 3, 4910, 4932 },
    { "custom", "turn", 1, 4961, 13300 },
    { "generation", "", 6, 4965, 13290 },
    { "custom", "Recherche dans les fichiers", 0, 13310, 13390 },
    { "custom", "turn", 1, 13300, 13340 },
};

std::string isoTime(long long epochMs, int micros)
{
    const long long seconds = epochMs / 1000;
    const int ms = int(epochMs % 1000);
    const int s = int(seconds % 60), m = int(seconds / 60 % 60), h = int(seconds / 3600 % 24);
    const int day = 1 + int(seconds / 86400 % 28);
    char buffer[64];
    std::snprintf(
        buffer, sizeof buffer, "2026-02-%02dT%02d:%02d:%02d.%03d%03d", day, h, m, s, ms, micros);
    return buffer;
}

std::string hexId(size_t trace, size_t span, int width)
{
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%0*zx", width, trace * 16 + span);
    return buffer;
}

std::string spanData(const Node& node)
{
    const std::string type = node.type;
    if (type == "generation")
        return R"({"type":"generation","input":[{"role":"user","content":"Write the report from the notes."}],)"
               R"("output":[{"role":"assistant","content":"# Title"}],"model":"openai/wm","model_config":{},)"
               R"("usage":{"input_tokens":2310,"output_tokens":1412}})";
    if (type == "function")
        return R"({"type":"function","name":"read_multiple_files","input":"{\"paths\":[\"a.txt\"]}","output":"notes","mcp_data":null})";
    if (type == "agent")
        return R"({"type":"agent","name":"writer_agent","handoffs":[],"tools":["read_multiple_files"],"output_type":"str"})";
    if (type == "mcp_tools")
        return R"({"type":"mcp_tools","server":"FS_MCP_SERVER","result":["read_multiple_files"]})";
    return std::string(R"({"type":"custom","name":")") + node.name + R"(","data":{}})";
}

bool reuse(const std::string& path, size_t records)
{
    std::error_code ec;
    if (!std::filesystem::exists(path, ec))
        return false;
    std::ifstream in(path + ".count");
    size_t count = 0;
    return in >> count && count == records;
}

void markDone(const std::string& path, size_t records)
{
    std::ofstream(path + ".count") << records;
}

// Children end before their parents: write spans in order of end time within a trace.
const int kEndOrder[kSpansPerTrace] = { 2, 4, 5, 3, 7, 6, 9, 1, 8, 0 };

} // namespace

std::string openAiJsonLines(const std::string& directory, size_t spans)
{
    const std::string path = directory + "/openai_" + std::to_string(spans) + ".jsonl";
    if (reuse(path, spans))
        return path;
    std::ofstream out(path, std::ios::binary);
    const size_t traces = spans / kSpansPerTrace;
    for (size_t t = 0; t < traces; ++t) {
        const long long base = 1770632100000LL + (long long)t * 15000;
        const std::string traceId = "trace_" + hexId(t, 0, 32);
        out << R"({"object":"trace","id":")" << traceId
            << R"(","workflow_name":"Deep Research","group_id":null,"metadata":null})" << '\n';
        for (int i : kEndOrder) {
            const Node& node = kRun[i];
            out << R"({"object":"trace.span","id":"span_)" << hexId(t, size_t(i), 24)
                << R"(","trace_id":")" << traceId << R"(","parent_id":)";
            if (node.parent < 0)
                out << "null";
            else
                out << "\"span_" << hexId(t, size_t(node.parent), 24) << '"';
            out << R"(,"started_at":")" << isoTime(base + node.startMs, 123)
                << R"(+00:00","ended_at":")" << isoTime(base + node.endMs, 456)
                << R"(+00:00","span_data":)" << spanData(node) << R"(,"error":null})" << '\n';
        }
    }
    out.close();
    markDone(path, spans);
    return path;
}

std::string langSmithJsonLines(const std::string& directory, size_t runs)
{
    const std::string path = directory + "/langsmith_" + std::to_string(runs) + ".jsonl";
    if (reuse(path, runs))
        return path;
    std::ofstream out(path, std::ios::binary);
    const size_t traces = runs / kSpansPerTrace;
    auto uuid = [](size_t t, size_t i) {
        return "019c41e5-" + hexId(t, 0, 4).substr(0, 4) + "-7" + hexId(i, 0, 3).substr(0, 3)
            + "-8000-" + hexId(t, i, 12);
    };
    for (size_t t = 0; t < traces; ++t) {
        const long long base = 1770632100000LL + (long long)t * 15000;
        for (int i : kEndOrder) {
            const Node& node = kRun[i];
            std::string dotted;
            for (int at = i; at >= 0; at = kRun[at].parent) {
                std::string stamp = isoTime(base + kRun[at].startMs, 123);
                std::string compact;
                for (char c : stamp)
                    if (c != '-' && c != ':' && c != '.')
                        compact += c;
                dotted = compact + "Z" + uuid(t, size_t(at)) + (dotted.empty() ? "" : "." + dotted);
            }
            const std::string type = node.type;
            const char* runType = type == "generation" ? "llm"
                : type == "function"                   ? "tool"
                                                       : "chain";
            const std::string name = type == "generation" ? "Generation"
                : *node.name                              ? node.name
                                                          : "Span";
            std::string start = isoTime(base + node.startMs, 123),
                        end = isoTime(base + node.endMs, 456);
            start[10] = ' ';
            end[10] = ' ';
            out << R"({"id":")" << uuid(t, size_t(i)) << R"(","name":")" << name
                << R"(","start_time":")" << start << R"(+00:00","run_type":")" << runType
                << R"(","end_time":")" << end
                << R"(+00:00","extra":{"metadata":{"ls_integration":"openai-agents-sdk","openai_span_id":"span_)"
                << hexId(t, size_t(i), 24) << R"(","openai_trace_id":"trace_)" << hexId(t, 0, 32)
                << R"("}},"error":null,"serialized":null,"events":[],"inputs":{"input":"notes"},"outputs":{"output":"ok"},)"
                << R"("reference_example_id":null,"parent_run_id":)";
            if (node.parent < 0)
                out << "null";
            else
                out << '"' << uuid(t, size_t(node.parent)) << '"';
            out << R"(,"tags":[],"trace_id":")" << uuid(t, 0) << R"(","dotted_order":")" << dotted
                << R"(","session_name":"default"})" << '\n';
        }
    }
    out.close();
    markDone(path, runs);
    return path;
}

} // namespace tt::bench
