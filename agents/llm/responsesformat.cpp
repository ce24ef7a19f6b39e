// SPDX-License-Identifier: MIT
#include "responsesformat.h"

namespace tt::llm::responses {

using nlohmann::json;

namespace {

std::string stringOr(const json& object, const char* key, const std::string& fallback = {})
{
    return object.contains(key) && object.at(key).is_string() ? object.at(key).get<std::string>()
                                                              : fallback;
}

json textPart(const std::string& text)
{
    return { { "type", "output_text" }, { "annotations", json::array() }, { "text", text } };
}

// The item's id: derived from the response id so that answers stay byte-identical.
std::string itemId(const Reply& reply, const openai::Envelope& envelope)
{
    const std::string suffix = envelope.id.substr(envelope.id.find('_') + 1);
    return (reply.isToolCall ? "fc_" : "msg_") + suffix;
}

json outputItem(const Reply& reply, const openai::Envelope& envelope, bool done)
{
    const std::string status = done ? "completed" : "in_progress";
    if (reply.isToolCall)
        return { { "id", itemId(reply, envelope) }, { "type", "function_call" },
            { "status", status }, { "arguments", done ? reply.arguments : std::string() },
            { "call_id", reply.toolCallId }, { "name", reply.toolName } };
    json content = json::array();
    if (done)
        content.push_back(textPart(reply.content));
    return { { "id", itemId(reply, envelope) }, { "type", "message" }, { "status", status },
        { "content", std::move(content) }, { "role", "assistant" } };
}

json responseObject(const Reply& reply, const openai::Envelope& envelope, bool done)
{
    json output = json::array();
    if (done)
        output.push_back(outputItem(reply, envelope, true));
    json usage = nullptr;
    if (done)
        usage = { { "input_tokens", reply.promptTokens },
            { "input_tokens_details", { { "cached_tokens", 0 } } },
            { "output_tokens", reply.completionTokens },
            { "output_tokens_details", { { "reasoning_tokens", 0 } } },
            { "total_tokens", reply.promptTokens + reply.completionTokens } };
    return { { "id", envelope.id }, { "object", "response" }, { "created_at", envelope.created },
        { "status", done ? "completed" : "in_progress" }, { "error", nullptr },
        { "incomplete_details", nullptr }, { "model", envelope.model },
        { "output", std::move(output) }, { "parallel_tool_calls", true },
        { "previous_response_id", nullptr }, { "store", false }, { "tool_choice", "auto" },
        { "text", { { "format", { { "type", "text" } } } } }, { "usage", std::move(usage) } };
}

} // namespace

json asChatRequest(const json& request, std::string& problem)
{
    if (!request.is_object()) {
        problem = "the request body must be a JSON object";
        return {};
    }
    if (!request.contains("input")
        || !(request.at("input").is_string() || request.at("input").is_array())) {
        problem = "Missing required parameter: 'input' (a string or an array of items).";
        return {};
    }
    json messages = json::array();
    if (request.contains("instructions") && request.at("instructions").is_string())
        messages.push_back({ { "role", "system" }, { "content", request.at("instructions") } });
    const json& input = request.at("input");
    if (input.is_string())
        messages.push_back({ { "role", "user" }, { "content", input } });
    else
        for (const json& item : input) {
            if (!item.is_object())
                continue;
            const std::string type = stringOr(item, "type", "message");
            if (type == "message" && item.contains("role"))
                // Content parts (input_text, output_text) carry "text", which the chat
                // conversation reads from content arrays as it is.
                messages.push_back({ { "role", item.at("role") },
                    { "content", item.contains("content") ? item.at("content") : json("") } });
            else if (type == "function_call")
                messages.push_back({ { "role", "assistant" }, { "content", nullptr },
                    { "tool_calls",
                        json::array({ { { "id", stringOr(item, "call_id") }, { "type", "function" },
                            { "function",
                                { { "name", stringOr(item, "name") },
                                    { "arguments", stringOr(item, "arguments") } } } } }) } });
            else if (type == "function_call_output")
                messages.push_back(
                    { { "role", "tool" }, { "tool_call_id", stringOr(item, "call_id") },
                        { "content", item.contains("output") ? item.at("output") : json("") } });
            // Reasoning and other items say nothing the scripted conversation reads.
        }
    if (messages.empty()) {
        problem = "'input' must hold a message (or 'instructions' be given)";
        return {};
    }
    json chat = { { "messages", std::move(messages) } };
    for (const char* key : { "model", "stream" })
        if (request.contains(key))
            chat[key] = request.at(key);
    return chat;
}

std::string response(const Reply& reply, const openai::Envelope& envelope)
{
    return openai::dump(responseObject(reply, envelope, true));
}

std::vector<std::string> streamEvents(const Reply& reply, const openai::Envelope& envelope)
{
    std::vector<std::string> events;
    int sequence = 0;
    const auto add = [&](const std::string& type, json body) {
        body["type"] = type;
        body["sequence_number"] = sequence++;
        events.push_back("event: " + type + "\ndata: " + openai::dump(body) + "\n\n");
    };
    const std::string id = itemId(reply, envelope);
    const json at = { { "item_id", id }, { "output_index", 0 } };
    add("response.created", { { "response", responseObject(reply, envelope, false) } });
    add("response.in_progress", { { "response", responseObject(reply, envelope, false) } });
    add("response.output_item.added",
        { { "output_index", 0 }, { "item", outputItem(reply, envelope, false) } });
    if (reply.isToolCall) {
        for (const std::string& piece : tokenPieces(reply.arguments)) {
            json delta = at;
            delta["delta"] = piece;
            add("response.function_call_arguments.delta", std::move(delta));
        }
        json done = at;
        done["arguments"] = reply.arguments;
        add("response.function_call_arguments.done", std::move(done));
    } else {
        json part = at;
        part["content_index"] = 0;
        json added = part;
        added["part"] = textPart("");
        add("response.content_part.added", std::move(added));
        for (const std::string& piece : tokenPieces(reply.content)) {
            json delta = part;
            delta["delta"] = piece;
            delta["logprobs"] = json::array();
            add("response.output_text.delta", std::move(delta));
        }
        json textDone = part;
        textDone["text"] = reply.content;
        textDone["logprobs"] = json::array();
        add("response.output_text.done", std::move(textDone));
        json partDone = part;
        partDone["part"] = textPart(reply.content);
        add("response.content_part.done", std::move(partDone));
    }
    add("response.output_item.done",
        { { "output_index", 0 }, { "item", outputItem(reply, envelope, true) } });
    add("response.completed", { { "response", responseObject(reply, envelope, true) } });
    return events;
}

} // namespace tt::llm::responses
