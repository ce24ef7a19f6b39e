// SPDX-License-Identifier: MIT
#pragma once

#include "scenario.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace tt::llm {

// What the scripted Writer model answers: a tool call or a markdown report.
struct Reply
{
    bool isToolCall = false;
    std::string content; // the report, when not a tool call
    std::string toolCallId;
    std::string toolName;
    std::string arguments; // JSON text of the tool call's arguments
    std::string finishReason;
    int promptTokens = 0;
    int completionTokens = 0;
};

// The Writer's step a chat request is at: the report once a tool result is in the messages.
Step stepOf(const nlohmann::json& request);

// Checks the request has what a chat completion needs; returns "" or what is wrong (for a 400).
std::string validateRequest(const nlohmann::json& request);

// The team's Writer conversation, scripted and deterministic for a seed:
// - without a tool result: a read_multiple_files tool call naming the files the prompt lists;
// - with one: a report in the team's format built from the tool results (# Title, ## Executive
//   Summary, ## Raw Notes quoting the files verbatim, ## Detailed Agenda, ## Report,
//   ## Follow-up Questions, last line ## FINAL STEP).
Reply scriptedReply(const nlohmann::json& request, uint64_t seed, int call);

// The headings a report must have (research/user_repo.md §1) and the fault that drops some.
const std::vector<std::string>& requiredHeadings();
std::string withoutRequiredHeadings(const std::string& report);

// Tokens as llama.cpp would roughly count them: about four bytes each.
int estimateTokens(std::string_view text);

// Splits text into stream pieces of about one token, never inside a UTF-8 character.
std::vector<std::string> tokenPieces(const std::string& text);

} // namespace tt::llm
