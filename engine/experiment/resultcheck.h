// SPDX-License-Identifier: MIT
#pragma once

#include "resultstore.h"

#include <QString>
#include <QStringList>

namespace tt::engine {

// The report files (*.md) in a run's output folder, by name.
QStringList reportsIn(const QString& outputDir);

// A run succeeds when it gives the user what they asked for: the Writer said success, and
// exactly one report with every required heading (one per line) is in its output folder. Any
// other result turns the run into a failure with the reason: no_report, duplicate_reports or
// incomplete_report. Sets reportsWritten either way.
void judgeResult(RunRecord& record, const QString& outputDir, const QStringList& headings);

// The Writer's own span from its OpenAI Agents trace (RUN_DIR/openai.jsonl): the first step's
// start to the last step's end, in ms; -1 when no step finished.
double writerSpanMs(const QString& runDir);

} // namespace tt::engine
