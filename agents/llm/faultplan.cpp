// SPDX-License-Identifier: MIT
#include "faultplan.h"

namespace tt::llm {

namespace {

// The engine's run ids are "<scenario>/<variant>/<n>/<session>"; the session is dropped too, so
// a rerun with the same seed meets the same faults. Other ids are used as they are.
std::string withoutVariant(const std::string& runId)
{
    const size_t first = runId.find('/');
    const size_t second = first == std::string::npos ? first : runId.find('/', first + 1);
    const size_t third = second == std::string::npos ? second : runId.find('/', second + 1);
    if (third == std::string::npos || runId.find('/', third + 1) != std::string::npos)
        return runId;
    return runId.substr(0, first) + runId.substr(second, third - second);
}

} // namespace

uint64_t stableHash(std::string_view text, uint64_t seed)
{
    uint64_t hash = 14695981039346656037ull ^ seed;
    for (unsigned char c : text) {
        hash ^= c;
        hash *= 1099511628211ull;
    }
    return hash;
}

double unitInterval(uint64_t key)
{
    // splitmix64 finaliser, then the top 53 bits as a fraction.
    key += 0x9e3779b97f4a7c15ull;
    key = (key ^ (key >> 30)) * 0xbf58476d1ce4e5b9ull;
    key = (key ^ (key >> 27)) * 0x94d049bb133111ebull;
    key ^= key >> 31;
    return double(key >> 11) / double(1ull << 53);
}

FaultPlan::FaultPlan(Scenario scenario, uint64_t seed)
    : m_scenario(std::move(scenario))
    , m_seed(seed)
{ }

Decision FaultPlan::next(const std::string& runId, Step step)
{
    std::lock_guard lock(m_mutex);
    RunState& run = m_runs[runId];
    const size_t count = m_scenario.faults.size();
    run.eligible.resize(count, 0);
    run.applied.resize(count, 0);

    Decision decision;
    decision.call = ++run.calls;
    decision.step = step;
    for (size_t i = 0; i < count; ++i) {
        const Fault& fault = m_scenario.faults[i];
        const bool atCall = !fault.fromCall || decision.call >= *fault.fromCall;
        const bool atStep = fault.step == Step::Any || fault.step == step;
        if (!atCall || !atStep)
            continue;
        const int eligible = ++run.eligible[i];
        bool applies = false;
        if (fault.probability) {
            // Drawn on the run without its variant, so every variant of one scenario, seed and
            // run number meets the same faults at the same calls.
            const uint64_t key
                = stableHash(withoutVariant(runId), m_seed) ^ (uint64_t(decision.call) << 20) ^ i;
            applies = unitInterval(key) < *fault.probability
                && (!fault.times || run.applied[i] < *fault.times);
        } else {
            applies = !fault.times || eligible <= *fault.times;
        }
        if (applies && !decision.fault) {
            ++run.applied[i];
            decision.fault = &fault;
            decision.faultIndex = int(i);
        }
    }
    return decision;
}

} // namespace tt::llm
