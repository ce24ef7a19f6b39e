// SPDX-License-Identifier: MIT
#pragma once

#include "resultstore.h"

#include <QString>

#include <optional>

namespace tt::engine {

// The plan's Phase 1, part by part (DESIGN.md section 4): install the pinned server, start it,
// register the durable service, complete a first durable run. -1: not timed.
struct SetupParts
{
    double installMs = -1;
    QString installHow; // who timed the install, and when
    double serverStartMs = -1;
    double registerMs = -1; // the durable endpoint started and registered with the server
    double firstRunMs = -1; // the first durable run that succeeded (engine's clock)

    bool anyTimed() const
    {
        return installMs >= 0 || serverStartMs >= 0 || registerMs >= 0 || firstRunMs >= 0;
    }
    double timedTotalMs() const;
};

// Stored in the results' meta table; an earlier session's parts stay (the first setup counts).
void storeSetupParts(ResultStore& store, const SetupParts& parts);
SetupParts loadSetupParts(const ResultStore& store);

// What scripts/setup.sh timed when it installed the pinned packages with npm
// (node_modules/.twintrace-setup.json beside the server binary); nothing when it did not.
std::optional<SetupParts> recordedInstall(const QString& serverBinary);

// Installs the pinned restate-server afresh with npm into a temporary folder (the version of
// this repository's package.json) and times it; nothing with a reason when npm fails.
std::optional<double> measureInstall(QString& error);

} // namespace tt::engine
