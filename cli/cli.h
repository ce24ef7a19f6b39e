// SPDX-License-Identifier: MIT
#pragma once

#include "engine/report/resultsreport.h"

#include <QStringList>

#include <functional>

namespace tt::cli {

// The report's charts and screenshots need Qt Widgets, which only a build with the window has:
// the executable sets the renderer; without one the report has tables only.
void setImageRenderer(engine::ImageRenderer renderer);
const engine::ImageRenderer& imageRenderer();
// True for the subcommands that draw (run, report, screenshot): they need a QApplication.
bool drawsImages(const QStringList& arguments);

// True when argv names a headless subcommand (import, align, demo, help).
bool isSubcommand(const QStringList& arguments);
// Runs it; returns the process exit code. Needs a QCoreApplication.
int run(const QStringList& arguments);

// Where the bundled sample runs live: next to the executable once installed, else the source tree.
QString samplesDir();

} // namespace tt::cli
