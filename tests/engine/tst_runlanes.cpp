// SPDX-License-Identifier: MIT
// The lanes of every run of a recorded experiment (tests/fixtures/experiment-all): each titled
// lane of a pane says something no other lane of that pane says.
#include "engine/experiment/results.h"
#include "engine/experiment/runtraces.h"
#include "importers/timeline/lanes.h"

#include <QCoreApplication>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <filesystem>
#include <set>

namespace {

using namespace tt;

TEST(RunLanes, EveryLaneTitleOfAPaneIsDistinct)
{
    QTemporaryDir dir;
    ASSERT_TRUE(dir.isValid());
    std::filesystem::copy(TT_FIXTURES "/experiment-all", dir.path().toStdString(),
        std::filesystem::copy_options::recursive);
    QString error;
    const auto results = engine::loadResults(dir.path(), error);
    ASSERT_TRUE(results) << error.toStdString();
    const auto journals = engine::importExperimentJournals(dir.path());
    int severalOfOneSource = 0;
    for (const engine::RunRecord& run : results->runs) {
        const auto view = engine::runViewOfRun(dir.path(), run, journals);
        std::set<std::string> titles;
        std::map<timeline::Source, int> tracksOf;
        for (const auto& track : view.tracks())
            ++tracksOf[track.trace->source];
        for (const auto& [source, count] : tracksOf)
            severalOfOneSource += count > 1 ? 1 : 0;
        for (const timeline::Lane& lane : timeline::layoutLanes(view).lanes) {
            if (lane.title.empty())
                continue;
            EXPECT_TRUE(titles.insert(lane.title).second)
                << run.scenario.toStdString() << " " << run.variant.toStdString() << ": "
                << lane.title;
        }
    }
    // The durable crash runs restart the Writer: one source, several traces.
    EXPECT_GE(severalOfOneSource, 1);
}

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // resources are found beside the binary
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
