// SPDX-License-Identifier: MIT
#pragma once

#include "scenario.h"

#include <mutex>
#include <unordered_map>

namespace tt::llm {

// The fault a request gets, if any, and its place in its run.
struct Decision
{
    int call = 0; // 1-based index of this request within its run
    Step step = Step::Any;
    const Fault* fault = nullptr;
    int faultIndex = -1;

    bool is(FaultKind kind) const { return fault && fault->kind == kind; }
};

// Decides, request by request, which fault of the scenario applies. Calls are counted per run id
// (the engine sends one in a header), so concurrent runs each see the plan from their first call.
// Deterministic: the same scenario, seed, run id and call sequence give the same decisions,
// whatever the thread timing; probabilities use a hash of (seed, run, call, fault), not a shared
// random stream.
class FaultPlan
{
public:
    FaultPlan(Scenario scenario, uint64_t seed);

    Decision next(const std::string& runId, Step step);
    const Scenario& scenario() const { return m_scenario; }
    uint64_t seed() const { return m_seed; }

private:
    struct RunState
    {
        int calls = 0;
        std::vector<int> eligible; // per fault: eligible requests seen
        std::vector<int> applied; // per fault: times applied
    };

    Scenario m_scenario;
    uint64_t m_seed;
    std::mutex m_mutex;
    std::unordered_map<std::string, RunState> m_runs;
};

// A stable 64-bit hash (FNV-1a), and a uniform number in [0, 1) from a key: the same on every
// machine and every run, unlike std::hash.
uint64_t stableHash(std::string_view text, uint64_t seed = 0);
double unitInterval(uint64_t key);

} // namespace tt::llm
