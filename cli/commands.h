// SPDX-License-Identifier: MIT
#pragma once

#include <QStringList>

// One function per subcommand; arguments exclude the program and subcommand names.
namespace tt::cli {

int importCommand(const QStringList& arguments);
int alignCommand(const QStringList& arguments);
int explainCommand(const QStringList& arguments);
int demoCommand(const QStringList& arguments);
int runCommand(const QStringList& arguments);
int reportCommand(const QStringList& arguments);
int envCommand(const QStringList& arguments);
int captureCommand(const QStringList& arguments);

} // namespace tt::cli
