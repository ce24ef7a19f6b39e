// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/results.h"
#include "engine/report/reportwriter.h"

#include <QStringList>

#include <atomic>

namespace tt::gui {

// The report's images: the three charts, and the pair screenshots of a nominal run, a crash (also
// the restart loop against Restate), a transient fault and Restate's own failures (baseline or
// baseline-restart left, Restate right, the first differing step selected), drawn
// with the window's own widgets at 2x into outDir/images. Callable from any thread: runs are read
// in the caller's thread, painting happens on the GUI thread (the caller waits, and gives up
// when `abandon` turns true: the GUI thread may be the one waiting for it).
std::vector<engine::ReportImage> renderReportImages(const engine::ExperimentResults& results,
    const QString& outDir, QString& error, const std::atomic<bool>* abandon = nullptr);

// Which run of a scenario group the report shows: the first run of the scenario that tells most
// (transient-llm-k3: the first k the baseline's two client retries do not cover).
struct ReportPair
{
    QString scenario;
    QString caption;
    QString left = QStringLiteral("baseline"); // the variants side by side
    QString right = QStringLiteral("restate");
};
std::vector<ReportPair> reportPairs(const engine::ExperimentResults& results);

} // namespace tt::gui
