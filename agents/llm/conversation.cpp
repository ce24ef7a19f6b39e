// SPDX-License-Identifier: MIT
#include "conversation.h"

#include "faultplan.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>

namespace tt::llm {

using nlohmann::json;

namespace {

// The text of a message's content: a string, or the text parts of a list.
std::string textOf(const json& message)
{
    if (!message.is_object() || !message.contains("content"))
        return {};
    const json& content = message.at("content");
    if (content.is_string())
        return content.get<std::string>();
    std::string text;
    if (content.is_array())
        for (const json& part : content)
            if (part.is_object() && part.contains("text") && part.at("text").is_string())
                text += part.at("text").get<std::string>();
    return text;
}

std::string roleOf(const json& message)
{
    return message.is_object() && message.contains("role") && message.at("role").is_string()
        ? message.at("role").get<std::string>()
        : std::string();
}

bool endsWith(std::string_view text, std::string_view suffix)
{
    return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Paths the prompt lists: words ending in .txt, .md or .json, in order, without duplicates.
std::vector<std::string> listedFiles(const json& messages)
{
    std::vector<std::string> files;
    for (const json& message : messages) {
        if (roleOf(message) != "user" && roleOf(message) != "system")
            continue;
        const std::string text = textOf(message);
        size_t pos = 0;
        while (pos < text.size()) {
            const size_t start = text.find_first_not_of(" \t\r\n", pos);
            if (start == std::string::npos)
                break;
            size_t end = text.find_first_of(" \t\r\n", start);
            if (end == std::string::npos)
                end = text.size();
            std::string word = text.substr(start, end - start);
            pos = end;
            const auto strip = std::string("`'\"()[]<>,;:");
            while (!word.empty() && strip.find(word.back()) != std::string::npos)
                word.pop_back();
            while (!word.empty() && strip.find(word.front()) != std::string::npos)
                word.erase(0, 1);
            if ((endsWith(word, ".txt") || endsWith(word, ".md") || endsWith(word, ".json"))
                && std::find(files.begin(), files.end(), word) == files.end())
                files.push_back(word);
        }
    }
    return files;
}

std::string researchQuery(const json& messages)
{
    std::string query;
    for (const json& message : messages) {
        if (roleOf(message) != "user")
            continue;
        const std::string text = textOf(message);
        const size_t open = text.find("<research_request>");
        const size_t close = text.find("</research_request>");
        if (open != std::string::npos && close != std::string::npos && close > open) {
            query = text.substr(open + 18, close - open - 18);
            break;
        }
        if (query.empty())
            query = text;
    }
    const size_t start = query.find_first_not_of(" \t\r\n");
    query = start == std::string::npos ? std::string("the research notes") : query.substr(start);
    query = query.substr(0, query.find('\n'));
    if (query.size() > 100)
        query = query.substr(0, 100) + "...";
    return query;
}

struct Note
{
    std::string path;
    std::string text;
};

// read_multiple_files (MCP filesystem server) answers "path:\ncontent" blocks joined by
// "\n---\n"; anything else is one note.
std::vector<Note> notesOf(const std::string& toolOutput)
{
    std::vector<Note> notes;
    size_t pos = 0;
    while (pos <= toolOutput.size()) {
        size_t end = toolOutput.find("\n---\n", pos);
        if (end == std::string::npos)
            end = toolOutput.size();
        const std::string block = toolOutput.substr(pos, end - pos);
        const size_t colon = block.find(":\n");
        if (colon != std::string::npos && block.find('\n') == colon + 1)
            notes.push_back({ block.substr(0, colon), block.substr(colon + 2) });
        else if (!block.empty())
            notes.push_back({ "notes", block });
        pos = end + 5;
    }
    return notes;
}

std::string firstSentences(const std::string& text, size_t maxChars)
{
    std::string flat;
    for (char c : text)
        flat += (c == '\n' || c == '\r') ? ' ' : c;
    size_t cut = std::min(flat.size(), maxChars);
    const size_t period = flat.rfind(". ", cut);
    if (period != std::string::npos && period > maxChars / 3)
        cut = period + 1;
    return flat.substr(0, cut);
}

std::string baseName(const std::string& path)
{
    const size_t slash = path.find_last_of('/');
    return slash == std::string::npos ? path : path.substr(slash + 1);
}

const char* pick(const std::vector<const char*>& options, uint64_t key)
{
    return options[size_t(unitInterval(key) * double(options.size())) % options.size()];
}

// Up to 16 hex digits of a value.
std::string hex(uint64_t value, int digits)
{
    digits = std::clamp(digits, 1, 16);
    char buffer[17];
    std::snprintf(buffer, sizeof buffer, "%016llx", static_cast<unsigned long long>(value));
    return std::string(buffer).substr(size_t(16 - digits));
}

std::string buildReport(const json& messages, uint64_t seed)
{
    std::string toolOutput;
    for (const json& message : messages)
        if (roleOf(message) == "tool")
            toolOutput += (toolOutput.empty() ? "" : "\n---\n") + textOf(message);
    const std::vector<Note> notes = notesOf(toolOutput);
    const std::string query = researchQuery(messages);

    std::string report = "# Research report: " + query + "\n\n## Executive Summary\n\n";
    report
        += pick({ "This report consolidates the research notes gathered for the request.",
                    "The notes below answer the research request from the collected sources only.",
                    "What follows summarises the sources found for this request, without outside "
                    "knowledge." },
            seed ^ 0x51);
    report += " It draws on " + std::to_string(notes.size()) + " note"
        + (notes.size() == 1 ? "" : "s") + ".\n\n## Raw Notes\n\n";
    for (const Note& note : notes)
        report += "### " + baseName(note.path) + "\n\n" + note.text + "\n\n";
    report += "## Detailed Agenda\n\n";
    for (size_t i = 0; i < notes.size(); ++i)
        report += std::to_string(i + 1) + ". " + baseName(notes[i].path) + "\n";
    report += "\n## Report\n\n";
    for (const Note& note : notes)
        report += firstSentences(note.text, 400) + "\n\n";
    report += "## Follow-up Questions\n\n- ";
    report += pick({ "Which of these findings still hold in production settings?",
                       "What evidence would change the conclusions above?",
                       "Which sources disagree, and why?" },
        seed ^ 0xf1);
    report += "\n- ";
    report += pick({ "What should be measured next?", "Which gaps need another search round?",
                       "How do these results compare with last year's?" },
        seed ^ 0xf2);
    report += "\n\n## FINAL STEP";
    return report;
}

int promptTokensOf(const json& messages)
{
    int tokens = 0;
    for (const json& message : messages)
        tokens += 4 + estimateTokens(textOf(message));
    return tokens;
}

} // namespace

Step stepOf(const json& request)
{
    if (request.is_object() && request.contains("messages") && request.at("messages").is_array())
        for (const json& message : request.at("messages"))
            if (roleOf(message) == "tool")
                return Step::Report;
    return Step::ToolCall;
}

std::string validateRequest(const json& request)
{
    if (!request.is_object())
        return "the request body must be a JSON object";
    if (!request.contains("messages") || !request.at("messages").is_array()
        || request.at("messages").empty())
        return "'messages' must be a non-empty array";
    const json& messages = request.at("messages");
    for (size_t i = 0; i < messages.size(); ++i) {
        const std::string role = roleOf(messages[i]);
        if (role != "system" && role != "user" && role != "assistant" && role != "tool"
            && role != "developer")
            return "'messages[" + std::to_string(i)
                + "].role' must be one of system, developer, "
                  "user, assistant, tool";
    }
    if (request.contains("stream") && !request.at("stream").is_boolean())
        return "'stream' must be a boolean";
    return {};
}

Reply scriptedReply(const json& request, uint64_t seed, int call)
{
    const json& messages = request.at("messages");
    Reply reply;
    reply.promptTokens = promptTokensOf(messages);
    if (stepOf(request) == Step::ToolCall) {
        reply.isToolCall = true;
        reply.toolName = "read_multiple_files";
        reply.arguments = json { { "paths", listedFiles(messages) } }.dump();
        const uint64_t id = stableHash(reply.arguments, seed + uint64_t(call));
        reply.toolCallId = "call_" + hex(id, 16) + hex(stableHash("call", id), 8);
        reply.finishReason = "tool_calls";
        reply.completionTokens = 12 + estimateTokens(reply.arguments);
    } else {
        reply.content = buildReport(messages, seed);
        reply.finishReason = "stop";
        reply.completionTokens = estimateTokens(reply.content);
    }
    return reply;
}

const std::vector<std::string>& requiredHeadings()
{
    static const std::vector<std::string> headings = { "## Executive Summary", "## Raw Notes",
        "## Detailed Agenda", "## Report", "## FINAL STEP" };
    return headings;
}

std::string withoutRequiredHeadings(const std::string& report)
{
    // Drops the lines "## Raw Notes" and "## FINAL STEP": the two a truncated or wandering
    // generation most often loses, and the two the team's parser insists on.
    std::string out;
    size_t pos = 0;
    while (pos < report.size()) {
        size_t end = report.find('\n', pos);
        if (end == std::string::npos)
            end = report.size();
        const std::string line = report.substr(pos, end - pos);
        if (line != "## Raw Notes" && line != "## FINAL STEP")
            out += line + (end < report.size() ? "\n" : "");
        pos = end + 1;
    }
    return out;
}

int estimateTokens(std::string_view text)
{
    return int((text.size() + 3) / 4);
}

std::vector<std::string> tokenPieces(const std::string& text)
{
    std::vector<std::string> pieces;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t end = std::min(text.size(), pos + 4);
        // Step back off UTF-8 continuation bytes so a character is never split.
        while (end < text.size() && end > pos + 1
            && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            --end;
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            ++end;
        pieces.push_back(text.substr(pos, end - pos));
        pos = end;
    }
    return pieces;
}

} // namespace tt::llm
