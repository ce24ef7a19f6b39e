// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

namespace tt::cli {

// True when argv names a headless subcommand (import, align, demo, help).
bool isSubcommand(const QStringList& arguments);
// Runs it; returns the process exit code. Needs a QCoreApplication.
int run(const QStringList& arguments);

// Where the bundled sample runs live: next to the executable once installed, else the source tree.
QString samplesDir();

} // namespace tt::cli
