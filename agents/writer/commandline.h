// SPDX-License-Identifier: MIT
#pragma once

#include "writer.h"

#include <QCommandLineParser>

#include <functional>

namespace tt::writer {

// The options both Writer executables share: the LLM client, the agent loop, the crash point.
void addWriterOptions(QCommandLineParser& parser);
// Reads them into `config`; false with a reason naming the option.
bool readWriterOptions(const QCommandLineParser& parser, WriterConfig& config, QString& error);

// The Writer's input as a JSON object {query, temp_dir, files[], output_dir}; false with a reason
// when it is not one.
bool readWriterInput(const nlohmann::json& object, WriterInput& input, QString& error);

// The counters of a finished run as the final line reports them (outcome, report, llm_calls...).
nlohmann::json outcomeJson(const WriterOutcome& result);

// Progress events as JSON lines ({"event": "step_started", "step": ...}) handed to `send`.
ProgressEvents jsonProgress(std::function<void(nlohmann::json)> send);

} // namespace tt::writer
