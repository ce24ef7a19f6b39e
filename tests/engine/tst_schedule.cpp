// SPDX-License-Identifier: MIT
// The schedule of a parallel experiment: runs handed out in order, lanes that start apart (runs
// of one scenario last the same time, so lanes started together would stay in step and queue for
// the CPU at the same moments), a stop that no waiting lane sleeps through; and the lanes' ports,
// which a server restarted on its own port must find free.
#include "engine/experiment/lanes.h"
#include "engine/restate/restateserver.h"

#include <QFile>
#include <QTcpServer>

#include <gtest/gtest.h>

#include <set>
#include <thread>

using namespace tt::engine;
using Clock = std::chrono::steady_clock;

namespace {

std::deque<ScheduledRun> runs(int count)
{
    std::deque<ScheduledRun> todo;
    for (int i = 1; i <= count; ++i)
        todo.push_back({ nullptr, QStringLiteral("baseline"), i });
    return todo;
}

double msSince(Clock::time_point start)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

} // namespace

TEST(Schedule, HandsOutTheRunsInOrderUntilNoneIsLeft)
{
    Schedule schedule(runs(3), 2);
    schedule.laneReady();
    schedule.laneReady();
    EXPECT_EQ(schedule.next(0)->index, 1);
    EXPECT_EQ(schedule.next(1)->index, 2);
    EXPECT_EQ(schedule.next(0)->index, 3);
    EXPECT_FALSE(schedule.next(1));
}

TEST(Schedule, LanesTakeTheirFirstRunsStaggerApart)
{
    constexpr int kStagger = 200;
    Schedule schedule(runs(6), 3, kStagger);
    for (int lane = 0; lane < 3; ++lane)
        schedule.laneReady();
    const auto ready = Clock::now();
    double firstAt[3] = {};
    std::vector<std::thread> lanes;
    for (int lane = 0; lane < 3; ++lane)
        lanes.emplace_back([&, lane] {
            ASSERT_TRUE(schedule.next(lane));
            firstAt[lane] = msSince(ready);
            ASSERT_TRUE(schedule.next(lane)); // six runs, two each
        });
    for (auto& lane : lanes)
        lane.join();
    EXPECT_LT(firstAt[0], kStagger * 3 / 4); // lane 1 does not wait
    for (int lane = 1; lane < 3; ++lane)
        EXPECT_GE(firstAt[lane], lane * kStagger - 2) << "lane " << lane;
    EXPECT_FALSE(schedule.next(0)); // all six were handed out
}

TEST(Schedule, AStopWakesALaneWaitingForItsTurn)
{
    Schedule schedule(runs(2), 2, 60'000);
    schedule.laneReady();
    schedule.laneReady();
    const auto started = Clock::now();
    std::optional<ScheduledRun> got = ScheduledRun {};
    std::thread late([&] { got = schedule.next(1); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    schedule.stop();
    late.join();
    EXPECT_FALSE(got); // stopped: nothing more is handed out
    EXPECT_LT(msSince(started), 30'000);
}

TEST(LanePorts, FreePortsAreBelowTheEphemeralRangeAndNeverTwice)
{
    // Two hundred ports, as a dozen lanes take for their servers: all different, all free at
    // the time, none where the kernel picks the local end of an outgoing connection.
    QFile range(QStringLiteral("/proc/sys/net/ipv4/ip_local_port_range"));
    ASSERT_TRUE(range.open(QIODevice::ReadOnly));
    const int ephemeral
        = QString::fromLatin1(range.readAll()).simplified().section(QLatin1Char(' '), 0, 0).toInt();
    ASSERT_GT(ephemeral, 1024);
    std::set<int> seen;
    for (int i = 0; i < 200; ++i) {
        const int port = freeLoopbackPort();
        ASSERT_GT(port, 1024);
        EXPECT_LT(port, ephemeral);
        EXPECT_TRUE(seen.insert(port).second) << port << " handed out twice";
        QTcpServer server;
        EXPECT_TRUE(server.listen(QHostAddress::LocalHost, quint16(port))) << port;
    }
}
