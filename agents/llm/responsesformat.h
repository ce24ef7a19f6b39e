// SPDX-License-Identifier: MIT
#pragma once

#include "conversation.h"
#include "openaiformat.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

// OpenAI's Responses API (POST /v1/responses), what OpenAIResponsesModel of @openai/agents and
// openai.responses.create() speak. The stand-in plays the same conversation as on Chat
// Completions: a Responses request is read as the chat request it amounts to, so both routes give
// the same text and tool calls for the same conversation step.
namespace tt::llm::responses {

// The chat request a Responses request amounts to: `instructions` as the system message, `input`
// (a string, or message / function_call / function_call_output items) as the messages, `stream`
// kept. Sets `problem` (for a 400) when `input` is missing or not a string or an array.
nlohmann::json asChatRequest(const nlohmann::json& request, std::string& problem);

// The Response object of a finished answer: one message item with an output_text part, or one
// function_call item. envelope.id is the response id ("resp_...").
std::string response(const Reply& reply, const openai::Envelope& envelope);

// The server-sent events of a streamed answer ("event: TYPE\ndata: {...}\n\n", sequence numbers
// from 0): response.created, response.in_progress, response.output_item.added, then the text
// (content_part.added, output_text.delta a token at a time, output_text.done, content_part.done)
// or the arguments (function_call_arguments.delta a token at a time, .done),
// response.output_item.done and response.completed carrying the whole response. No [DONE].
std::vector<std::string> streamEvents(const Reply& reply, const openai::Envelope& envelope);

} // namespace tt::llm::responses
