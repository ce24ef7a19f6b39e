// SPDX-License-Identifier: MIT
#pragma once

#include "conversation.h"

#include <string>
#include <vector>

// Bodies in the OpenAI Chat Completions format (what llama.cpp's server, vLLM and OpenAI send).
namespace tt::llm::openai {

struct Envelope
{
    std::string id; // "chatcmpl-..."
    std::string model;
    int64_t created = 0; // Unix seconds; fixed per call so answers are byte-identical
};

std::string completion(const Reply& reply, const Envelope& envelope);

// The server-sent events of a streamed answer, each "data: {...}\n\n", then "data: [DONE]\n\n".
// The first event carries the role; tool-call arguments and content come a token at a time; the
// last chunk has the finish reason, followed by a usage chunk when includeUsage.
std::vector<std::string> streamEvents(
    const Reply& reply, const Envelope& envelope, bool includeUsage);

// A body as compact JSON; invalid UTF-8 in the reply's text is replaced, never thrown on.
std::string dump(const nlohmann::json& body);

// {"error":{"message","type","param","code"}} as OpenAI answers errors.
std::string error(
    const std::string& message, const std::string& type, const std::string& code = {});

std::string models(const std::string& model);

} // namespace tt::llm::openai
