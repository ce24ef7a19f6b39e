// SPDX-License-Identifier: MIT
// The lanes of every run of the recorded experiments (tests/fixtures/experiment-*): each titled
// lane of a pane says something no other lane of that pane says, and the Writer's sources of a
// run are on one clock.
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

// A copy of a recorded experiment (opening its store may migrate it), read as the window reads it.
class RecordedRuns : public ::testing::TestWithParam<const char*>
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        std::filesystem::copy(std::string(TT_FIXTURES "/") + GetParam(), m_dir.path().toStdString(),
            std::filesystem::copy_options::recursive);
        QString error;
        m_results = engine::loadResults(m_dir.path(), error);
        ASSERT_TRUE(m_results) << error.toStdString();
        m_journals = engine::importExperimentJournals(m_dir.path());
    }

    timeline::RunView view(const engine::RunRecord& run) const
    {
        return engine::runViewOfRun(m_dir.path(), run, m_journals);
    }

    static std::string name(const engine::RunRecord& run)
    {
        return (run.scenario + QLatin1Char(' ') + run.variant).toStdString();
    }

    QTemporaryDir m_dir;
    std::optional<engine::ExperimentResults> m_results;
    engine::ExperimentJournals m_journals;
};

TEST_P(RecordedRuns, EveryLaneTitleOfAPaneIsDistinct)
{
    int severalOfOneSource = 0;
    for (const engine::RunRecord& run : m_results->runs) {
        const auto runView = view(run);
        std::map<timeline::Source, int> tracksOf;
        for (const auto& track : runView.tracks())
            severalOfOneSource += ++tracksOf[track.trace->source] == 2 ? 1 : 0;
        std::set<std::string> titles;
        std::map<std::string, int64_t> attemptEnds; // "LangSmith · attempt 1" -> its trace's end
        for (const timeline::Lane& lane : timeline::layoutLanes(runView).lanes) {
            if (lane.title.empty())
                continue;
            EXPECT_TRUE(titles.insert(lane.title).second) << name(run) << ": " << lane.title;
            if (lane.title.find(" · attempt ") != std::string::npos)
                attemptEnds[lane.title] = runView.tracks()[size_t(lane.track)].trace->endNs;
        }
        // The attempt the crash killed is attempt 1: it ended first.
        for (const auto& [title, end] : attemptEnds) {
            if (title.back() != '2')
                continue;
            const auto first = attemptEnds.find(title.substr(0, title.size() - 1) + "1");
            ASSERT_NE(first, attemptEnds.end()) << name(run) << ": " << title;
            EXPECT_LT(first->second, end) << name(run) << ": " << title;
        }
    }
    // The durable crash runs restart the Writer: one source, several traces.
    EXPECT_GE(severalOfOneSource, 1);
}

// The Writer writes its OpenAI spans, LangSmith runs and trace.log on one machine as the run
// goes: a span that names its counterpart in another source (LangSmith's openai_span_id, the
// same span id in trace.log) starts with it on the run's clock, a restarted Writer's first
// attempt included.
TEST_P(RecordedRuns, TheWritersSourcesShareOneClock)
{
    int compared = 0;
    for (const engine::RunRecord& run : m_results->runs) {
        const auto runView = view(run);
        std::map<std::string, int64_t> startById;
        for (const auto& track : runView.tracks())
            if (track.trace->source != timeline::Source::LangSmith)
                for (const timeline::Span& span : track.trace->spans)
                    startById.emplace(
                        std::string(track.trace->str(span.id)), span.startNs + track.offsetNs);
        for (const auto& track : runView.tracks()) {
            if (track.trace->source != timeline::Source::LangSmith)
                continue;
            for (const timeline::Span& span : track.trace->spans) {
                const auto it = startById.find(std::string(track.trace->str(span.linkId)));
                if (span.linkId.empty() || it == startById.end())
                    continue;
                ++compared;
                EXPECT_LE(std::abs(span.startNs + track.offsetNs - it->second), 5'000'000) << name(
                    run) << ": " << track.trace->spanName(span) << " of " << track.trace->origin;
            }
        }
    }
    EXPECT_GT(compared, 0);
}

INSTANTIATE_TEST_SUITE_P(Experiments, RecordedRuns,
    ::testing::Values("experiment-small", "experiment-all"),
    [](const auto& info) { return std::string(info.param).substr(11); });

} // namespace

int main(int argc, char** argv)
{
    QCoreApplication app(argc, argv); // resources are found beside the binary
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
