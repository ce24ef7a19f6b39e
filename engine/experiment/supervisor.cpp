// SPDX-License-Identifier: MIT
#include "supervisor.h"

#include <algorithm>
#include <cmath>

namespace tt::engine {

RestartPolicy RestartPolicy::fromCatalog(const Catalog& catalog)
{
    RestartPolicy policy;
    policy.maxAttempts = std::max(1, catalog.restateMaxAttempts);
    policy.initialMs = std::max(0, catalog.restateInitialMs);
    policy.maxIntervalMs = std::max(policy.initialMs, catalog.restateMaxIntervalMs);
    return policy;
}

int RestartPolicy::delayBeforeMs(int attempt) const
{
    if (attempt < 2)
        return 0;
    const double grown = double(initialMs) * std::pow(factor, attempt - 2);
    return int(std::min(grown, double(maxIntervalMs)));
}

Supervised supervise(const RestartPolicy& policy, const std::function<AttemptEnd(int)>& attempt,
    const std::function<bool(int)>& wait)
{
    Supervised run;
    for (int n = 1;; ++n) {
        run.attempts = n;
        const AttemptEnd end = attempt(n);
        if (end == AttemptEnd::Succeeded || end == AttemptEnd::Stopped)
            return run;
        if (n >= policy.maxAttempts) {
            run.gaveUp = true;
            return run;
        }
        const int delay = policy.delayBeforeMs(n + 1);
        run.delaysMs.push_back(delay);
        if (!wait(delay))
            return run;
    }
}

} // namespace tt::engine
