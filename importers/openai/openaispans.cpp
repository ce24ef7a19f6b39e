// SPDX-License-Identifier: MIT
#include "openaispans.h"

namespace tt::importers::openai {

using timeline::SpanKind;

SpanShape classifySpan(std::string_view type, std::string_view name, std::string_view detail)
{
    auto named
        = [&](std::string_view fallback) { return std::string(name.empty() ? fallback : name); };
    if (type == "agent")
        return { SpanKind::Agent, named("agent") };
    if (type == "function")
        return { SpanKind::ToolCall, named("function") };
    if (type == "generation")
        return { SpanKind::LlmCall, "Generation" };
    if (type == "response")
        return { SpanKind::LlmCall, "Response" };
    if (type == "handoff")
        return { SpanKind::Other, detail.empty() ? "Handoff" : "Handoff " + std::string(detail) };
    if (type == "custom") {
        // task and turn spans arrive as custom spans named "task" / "turn".
        if (name == "task")
            return { SpanKind::Run, "task" };
        return { SpanKind::Other, named("custom") };
    }
    if (type == "guardrail")
        return { SpanKind::Other, "guardrail " + named("") };
    if (type == "mcp_tools")
        return { SpanKind::Other,
            detail.empty() ? "List MCP tools" : "List MCP tools " + std::string(detail) };
    if (type == "transcription" || type == "speech" || type == "speech_group")
        return { SpanKind::Other, std::string(type) };
    return { SpanKind::Other, type.empty() ? "span" : std::string(type), false };
}

} // namespace tt::importers::openai
