// SPDX-License-Identifier: MIT
// The baseline-restart supervisor's policy: Restate's retry policy from the catalog as attempts
// and waits, relaunching after a failure or a death, stopping at a success, and giving up.
#include "engine/experiment/supervisor.h"

#include <gtest/gtest.h>

using tt::engine::AttemptEnd;
using tt::engine::Catalog;
using tt::engine::RestartPolicy;
using tt::engine::supervise;

namespace {

// Runs the supervisor on attempts that end as `ends` says (the last one repeats), recording the
// waits it asks for instead of sleeping.
tt::engine::Supervised superviseScripted(
    const RestartPolicy& policy, const std::vector<AttemptEnd>& ends, std::vector<int>& asked)
{
    return supervise(
        policy,
        [&](int attempt) {
            return ends.at(std::min<size_t>(size_t(attempt - 1), ends.size() - 1));
        },
        [&](int ms) {
            asked.push_back(ms);
            return true;
        });
}

} // namespace

TEST(RestartPolicy, TakesRestatesRetryPolicyFromTheCatalog)
{
    Catalog catalog;
    catalog.restateInitialMs = 300;
    catalog.restateMaxIntervalMs = 1000;
    catalog.restateMaxAttempts = 5;
    const RestartPolicy policy = RestartPolicy::fromCatalog(catalog);
    EXPECT_EQ(policy.maxAttempts, 5);
    EXPECT_EQ(policy.initialMs, 300);
    EXPECT_EQ(policy.maxIntervalMs, 1000);
}

TEST(RestartPolicy, WaitsGrowByTheFactorUpToTheLongestInterval)
{
    RestartPolicy policy; // the catalog's defaults: 200 ms, x2, at most 2000 ms
    EXPECT_EQ(policy.delayBeforeMs(1), 0);
    EXPECT_EQ(policy.delayBeforeMs(2), 200);
    EXPECT_EQ(policy.delayBeforeMs(3), 400);
    EXPECT_EQ(policy.delayBeforeMs(4), 800);
    EXPECT_EQ(policy.delayBeforeMs(5), 1600);
    EXPECT_EQ(policy.delayBeforeMs(6), 2000);
    EXPECT_EQ(policy.delayBeforeMs(8), 2000);
}

TEST(Supervise, ASuccessAtFirstIsOneAttemptWithoutWaiting)
{
    std::vector<int> asked;
    const auto run = superviseScripted(RestartPolicy {}, { AttemptEnd::Succeeded }, asked);
    EXPECT_EQ(run.attempts, 1);
    EXPECT_FALSE(run.gaveUp);
    EXPECT_TRUE(asked.empty());
}

TEST(Supervise, RelaunchesAfterADeathAndAFailureUntilASuccess)
{
    std::vector<int> asked;
    const auto run = superviseScripted(
        RestartPolicy {}, { AttemptEnd::Died, AttemptEnd::Failed, AttemptEnd::Succeeded }, asked);
    EXPECT_EQ(run.attempts, 3);
    EXPECT_FALSE(run.gaveUp);
    EXPECT_EQ(asked, (std::vector<int> { 200, 400 }));
    EXPECT_EQ(run.delaysMs, asked);
}

TEST(Supervise, GivesUpWhenTheAttemptsAreSpent)
{
    RestartPolicy policy;
    policy.maxAttempts = 4;
    std::vector<int> asked;
    const auto run = superviseScripted(policy, { AttemptEnd::Failed }, asked);
    EXPECT_EQ(run.attempts, 4);
    EXPECT_TRUE(run.gaveUp);
    EXPECT_EQ(asked, (std::vector<int> { 200, 400, 800 })); // no wait after the last attempt
}

TEST(Supervise, AStoppedAttemptIsNotRelaunched)
{
    std::vector<int> asked;
    const auto run = superviseScripted(RestartPolicy {}, { AttemptEnd::Stopped }, asked);
    EXPECT_EQ(run.attempts, 1);
    EXPECT_FALSE(run.gaveUp);
    EXPECT_TRUE(asked.empty());
}

TEST(Supervise, AWaitCutShortEndsTheRun)
{
    int attempts = 0;
    const auto run = supervise(
        RestartPolicy {},
        [&](int) {
            ++attempts;
            return AttemptEnd::Failed;
        },
        [](int) { return false; }); // cancelled, or the run's time is up
    EXPECT_EQ(attempts, 1);
    EXPECT_EQ(run.attempts, 1);
    EXPECT_FALSE(run.gaveUp);
}
