// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/stats.h"

#include <QStringList>

#include <functional>

namespace tt::cli {

// Draws the report's charts into DIR/images and returns their paths relative to DIR. The charts
// need Qt Charts and a QApplication, which only a build with the window has: the executable sets
// the renderer; without one the report has tables only.
using ChartRenderer = std::function<QStringList(const engine::Summary&,
    const std::vector<engine::RunRecord>&, const QString& dir, QString& error)>;
void setChartRenderer(ChartRenderer renderer);
const ChartRenderer& chartRenderer();
// True for the subcommands that draw charts (run, report).
bool drawsCharts(const QStringList& arguments);

// True when argv names a headless subcommand (import, align, demo, help).
bool isSubcommand(const QStringList& arguments);
// Runs it; returns the process exit code. Needs a QCoreApplication.
int run(const QStringList& arguments);

// Where the bundled sample runs live: next to the executable once installed, else the source tree.
QString samplesDir();

} // namespace tt::cli
