// SPDX-License-Identifier: MIT
#pragma once

#include "envcheck.h"

#include "engine/experiment/external.h"

#include <vector>

namespace tt::engine {

// Everything a DGX Spark configuration names, checked before anything starts: the baseline
// command is executable, the fault proxy's port is free, the upstream LLM answers /v1/models,
// the Restate admin API answers, and it knows the durable service and handler. Each item is
// green or red with the fix. Blocking (HTTP): off the GUI thread.
std::vector<EnvItem> checkExternal(const ExternalConfig& config, int timeoutMs = 5000);

// The first red item as one line ("title: reason; fix: ..."), or "" when all are green.
QString firstProblem(const std::vector<EnvItem>& items);

} // namespace tt::engine
