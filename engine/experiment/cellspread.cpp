// SPDX-License-Identifier: MIT
#include "cellspread.h"

#include "stats.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace tt::engine {

namespace {

double medianOf(const std::vector<CellRun>& runs, double (*value)(const RunRecord&))
{
    std::vector<double> values;
    for (const CellRun& cell : runs)
        values.push_back(value(cell.run));
    return percentile(std::move(values), 0.5);
}

// What the record says about a run that stands out, compared with its cell's medians.
QString reasonOf(const RunRecord& run, const std::vector<CellRun>& cell)
{
    QStringList reasons;
    if (!run.success)
        reasons << run.outcome;
    if (run.crashed)
        reasons << QStringLiteral("crashed");
    const struct
    {
        double (*value)(const RunRecord&);
        const char* what;
    } counts[] = {
        { [](const RunRecord& r) { return double(r.restateRetries); }, "Restate retries" },
        { [](const RunRecord& r) { return double(r.clientRetries); }, "client retries" },
        { [](const RunRecord& r) { return double(r.llmRequests); }, "LLM requests" },
    };
    for (const auto& count : counts) {
        const double median = medianOf(cell, count.value);
        const double mine = count.value(run);
        if (mine > median)
            reasons << QStringLiteral("%1 %2 (median %3)")
                           .arg(mine)
                           .arg(QLatin1String(count.what))
                           .arg(median);
    }
    return reasons.join(QStringLiteral(", "));
}

} // namespace

CellSpread cellSpread(
    const std::vector<RunRecord>& runs, const QString& scenario, const QStringList& variants)
{
    CellSpread spread;
    spread.scenario = scenario;
    spread.variants = variants;
    for (const RunRecord& run : runs)
        if (run.scenario == scenario && (variants.isEmpty() || variants.contains(run.variant))) {
            CellRun cell;
            cell.run = run;
            spread.runs.push_back(std::move(cell));
        }
    std::stable_sort(spread.runs.begin(), spread.runs.end(), [](const auto& a, const auto& b) {
        return std::pair(a.run.variant, a.run.runIndex) < std::pair(b.run.variant, b.run.runIndex);
    });
    if (spread.runs.empty())
        return spread;
    // Median and fences per variant: a durable run is not an outlier among crashed baselines.
    std::map<QString, std::vector<CellRun*>> byVariant;
    for (CellRun& cell : spread.runs)
        byVariant[cell.run.variant].push_back(&cell);
    for (auto& [variant, cells] : byVariant) {
        std::vector<double> walls;
        for (const CellRun* cell : cells)
            walls.push_back(cell->run.wallMs);
        const double q1 = percentile(walls, 0.25);
        const double q3 = percentile(walls, 0.75);
        // The median run: the lower middle of the sorted wall times, a run that really happened.
        std::vector<CellRun*> sorted = cells;
        std::stable_sort(sorted.begin(), sorted.end(),
            [](const CellRun* a, const CellRun* b) { return a->run.wallMs < b->run.wallMs; });
        sorted[(sorted.size() - 1) / 2]->median = true;
        std::vector<CellRun> peers;
        for (const CellRun* cell : cells)
            peers.push_back(*cell);
        for (CellRun* cell : cells) {
            cell->outlier = cell->run.wallMs < q1 - 1.5 * (q3 - q1)
                || cell->run.wallMs > q3 + 1.5 * (q3 - q1);
            if (cell->outlier)
                cell->reason = reasonOf(cell->run, peers);
        }
        if (q3 - q1 >= spread.q3Ms - spread.q1Ms) {
            spread.q1Ms = q1;
            spread.medianMs = percentile(walls, 0.5);
            spread.q3Ms = q3;
        }
    }
    return spread;
}

QStringList widestCells(const std::vector<RunRecord>& runs, int count)
{
    std::set<QString> scenarios;
    for (const RunRecord& run : runs)
        scenarios.insert(run.scenario);
    std::vector<std::pair<double, QString>> bySpread;
    for (const QString& scenario : scenarios) {
        const CellSpread spread = cellSpread(runs, scenario);
        if (spread.runs.size() >= 2 && spread.medianMs > 0)
            bySpread.emplace_back(spread.iqrMs() / spread.medianMs, scenario);
    }
    std::stable_sort(bySpread.begin(), bySpread.end(),
        [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList out;
    for (const auto& [ratio, scenario] : bySpread)
        if (out.size() < count)
            out << scenario;
    return out;
}

} // namespace tt::engine
