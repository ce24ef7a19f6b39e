// SPDX-License-Identifier: MIT
#pragma once

#include "catalog.h"

#include <functional>
#include <vector>

namespace tt::engine {

// How the baseline-restart variant's supervisor relaunches the baseline Writer from scratch, as
// a job queue would: with Restate's retry policy from the catalog, so that the comparison with
// the durable variant is like for like. Attempts include the first, as Restate counts them.
struct RestartPolicy
{
    int maxAttempts = 8;
    int initialMs = 200;
    int maxIntervalMs = 2000;
    double factor = 2; // Restate's default growth; the engine gives the durable endpoint no other

    static RestartPolicy fromCatalog(const Catalog& catalog);
    // The wait before attempt `attempt` (2, 3, ...): the initial delay, then times the factor,
    // never above the longest interval.
    int delayBeforeMs(int attempt) const;
};

// How one attempt of the Writer ended.
enum class AttemptEnd
{
    Succeeded, // a success outcome
    Failed, // a non-zero outcome
    Died, // killed (the crash point) or crashed
    Stopped, // cancelled or out of time: nothing is relaunched
};

struct Supervised
{
    int attempts = 0;
    std::vector<int> delaysMs; // the waits between attempts, as asked of `wait`
    bool gaveUp = false; // the last attempt failed or died with no attempt left
};

// Runs attempt(1), then relaunches after each failure or death until an attempt succeeds, one is
// stopped, the attempts are spent (given up), or `wait` (asked to wait that long before the next
// attempt) answers false.
Supervised supervise(const RestartPolicy& policy, const std::function<AttemptEnd(int)>& attempt,
    const std::function<bool(int)>& wait);

} // namespace tt::engine
