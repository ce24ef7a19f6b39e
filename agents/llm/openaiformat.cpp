// SPDX-License-Identifier: MIT
#include "openaiformat.h"

#include <nlohmann/json.hpp>

namespace tt::llm::openai {

using nlohmann::json;

namespace {

json usage(const Reply& reply)
{
    return { { "prompt_tokens", reply.promptTokens },
        { "completion_tokens", reply.completionTokens },
        { "total_tokens", reply.promptTokens + reply.completionTokens } };
}

json chunk(const Envelope& envelope, json delta, const json& finishReason)
{
    return { { "id", envelope.id }, { "object", "chat.completion.chunk" },
        { "created", envelope.created }, { "model", envelope.model },
        { "choices",
            json::array({ { { "index", 0 }, { "delta", std::move(delta) },
                { "finish_reason", finishReason } } }) } };
}

std::string event(const json& body)
{
    return "data: " + dump(body) + "\n\n";
}

} // namespace

std::string dump(const json& body)
{
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string completion(const Reply& reply, const Envelope& envelope)
{
    json message = { { "role", "assistant" } };
    if (reply.isToolCall) {
        message["content"] = nullptr;
        message["tool_calls"] = json::array({ { { "id", reply.toolCallId }, { "type", "function" },
            { "function", { { "name", reply.toolName }, { "arguments", reply.arguments } } } } });
    } else {
        message["content"] = reply.content;
    }
    return dump({ { "id", envelope.id }, { "object", "chat.completion" },
        { "created", envelope.created }, { "model", envelope.model },
        { "choices",
            json::array({ { { "index", 0 }, { "message", message },
                { "finish_reason", reply.finishReason } } }) },
        { "usage", usage(reply) } });
}

std::vector<std::string> streamEvents(
    const Reply& reply, const Envelope& envelope, bool includeUsage)
{
    std::vector<std::string> events;
    if (reply.isToolCall) {
        events.push_back(event(chunk(envelope,
            { { "role", "assistant" }, { "content", nullptr },
                { "tool_calls",
                    json::array(
                        { { { "index", 0 }, { "id", reply.toolCallId }, { "type", "function" },
                            { "function",
                                { { "name", reply.toolName }, { "arguments", "" } } } } }) } },
            nullptr)));
        for (const std::string& piece : tokenPieces(reply.arguments))
            events.push_back(event(chunk(envelope,
                { { "tool_calls",
                    json::array(
                        { { { "index", 0 }, { "function", { { "arguments", piece } } } } }) } },
                nullptr)));
    } else {
        events.push_back(
            event(chunk(envelope, { { "role", "assistant" }, { "content", "" } }, nullptr)));
        for (const std::string& piece : tokenPieces(reply.content))
            events.push_back(event(chunk(envelope, { { "content", piece } }, nullptr)));
    }
    events.push_back(event(chunk(envelope, json::object(), reply.finishReason)));
    if (includeUsage) {
        json last = chunk(envelope, json::object(), nullptr);
        last["choices"] = json::array();
        last["usage"] = usage(reply);
        events.push_back(event(last));
    }
    events.push_back("data: [DONE]\n\n");
    return events;
}

std::string error(const std::string& message, const std::string& type, const std::string& code)
{
    return dump({ { "error",
        { { "message", message }, { "type", type }, { "param", nullptr },
            { "code", code.empty() ? json(nullptr) : json(code) } } } });
}

std::string models(const std::string& model)
{
    return dump({ { "object", "list" },
        { "data",
            json::array({ { { "id", model }, { "object", "model" }, { "created", 1754438400 },
                { "owned_by", "twintrace-llm" } } }) } });
}

} // namespace tt::llm::openai
