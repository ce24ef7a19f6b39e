// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/divergence.h"
#include "engine/experiment/results.h"

#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <filesystem>

namespace tt::engine::testing {

// The recorded experiment of every catalog scenario (tests/fixtures/experiment-all), read as the
// window reads it: its records, its journals and the stand-in's log. Opening a results store may
// migrate it: the tests read a copy.
class RecordedExperiment : public ::testing::Test
{
protected:
    void SetUp() override
    {
        ASSERT_TRUE(m_dir.isValid());
        std::filesystem::copy(TT_FIXTURES "/experiment-all", m_dir.path().toStdString(),
            std::filesystem::copy_options::recursive);
        QString error;
        m_results = loadResults(m_dir.path(), error, QStringLiteral(TT_CATALOG));
        ASSERT_TRUE(m_results) << error.toStdString();
        m_journals = importExperimentJournals(m_dir.path());
        m_logs = readLlmLogs(m_dir.path());
    }

    // The first run of a scenario's variant.
    const RunRecord* run(const QString& scenario, const QString& variant) const
    {
        for (const RunRecord& record : m_results->runs)
            if (record.scenario == scenario && record.variant == variant && record.runIndex == 1)
                return &record;
        return nullptr;
    }

    QTemporaryDir m_dir;
    std::optional<ExperimentResults> m_results;
    ExperimentJournals m_journals;
    std::map<QString, std::vector<LlmRequest>> m_logs;
};

} // namespace tt::engine::testing
