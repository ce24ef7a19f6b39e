// SPDX-License-Identifier: MIT
#include "stats.h"

#include <QFile>
#include <QTextStream>

#include <algorithm>
#include <cmath>
#include <map>
#include <numeric>
#include <random>

namespace tt::engine {

Interval wilson(int successes, int n)
{
    if (n <= 0)
        return {};
    const double z = 1.959964, p = double(successes) / n;
    const double denominator = 1 + z * z / n;
    const double centre = (p + z * z / (2.0 * n)) / denominator;
    const double margin = z * std::sqrt(p * (1 - p) / n + z * z / (4.0 * n * n)) / denominator;
    return { p, std::max(0.0, centre - margin), std::min(1.0, centre + margin) };
}

double percentile(std::vector<double> sample, double p)
{
    if (sample.empty())
        return 0;
    std::sort(sample.begin(), sample.end());
    const double rank = p * double(sample.size() - 1);
    const size_t below = size_t(std::floor(rank));
    const size_t above = std::min(sample.size() - 1, below + 1);
    return sample[below] + (rank - double(below)) * (sample[above] - sample[below]);
}

namespace {

double statistic(const std::vector<double>& sample, Statistic which)
{
    switch (which) {
    case Statistic::Mean:
        return sample.empty()
            ? 0
            : std::accumulate(sample.begin(), sample.end(), 0.0) / double(sample.size());
    case Statistic::Median:
        return percentile(sample, 0.5);
    case Statistic::P95:
        return percentile(sample, 0.95);
    }
    return 0;
}

std::vector<QString> codeLines(const QStringList& files, QString& error)
{
    std::vector<QString> lines;
    for (const QString& path : files) {
        QFile file(path);
        if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
            error = path + QStringLiteral(": ") + file.errorString();
            return {};
        }
        QTextStream in(&file);
        bool inBlock = false;
        while (!in.atEnd()) {
            const QString line = in.readLine().trimmed();
            if (inBlock) {
                inBlock = !line.contains(QLatin1String("*/"));
                continue;
            }
            const bool python = path.endsWith(QLatin1String(".py"));
            if (line.isEmpty() || line.startsWith(QLatin1String("//"))
                || (python && line.startsWith(QLatin1Char('#'))))
                continue;
            if (line.startsWith(QLatin1String("/*"))) {
                inBlock = !line.contains(QLatin1String("*/"));
                continue;
            }
            lines.push_back(line);
        }
    }
    return lines;
}

} // namespace

Interval bootstrap(const std::vector<double>& sample, Statistic which, uint64_t seed, int resamples)
{
    Interval out;
    out.value = statistic(sample, which);
    if (sample.size() < 2) {
        out.low = out.high = out.value;
        return out;
    }
    std::mt19937_64 random(seed);
    std::uniform_int_distribution<size_t> pick(0, sample.size() - 1);
    std::vector<double> estimates;
    estimates.reserve(size_t(resamples));
    std::vector<double> resample(sample.size());
    for (int r = 0; r < resamples; ++r) {
        for (double& value : resample)
            value = sample[pick(random)];
        estimates.push_back(statistic(resample, which));
    }
    out.low = percentile(estimates, 0.025);
    out.high = percentile(estimates, 0.975);
    return out;
}

RefactorFiles defaultRefactorFiles()
{
    const QString root = QStringLiteral(TT_SOURCE_DIR);
    return { { root + QStringLiteral("/agents/baseline/main.cpp") },
        { root + QStringLiteral("/agents/durable/main.cpp"),
            root + QStringLiteral("/agents/durable/durablewriter.cpp") } };
}

std::optional<int> refactorSize(const RefactorFiles& files, QString& error)
{
    const std::vector<QString> before = codeLines(files.before, error);
    if (!error.isEmpty())
        return std::nullopt;
    const std::vector<QString> after = codeLines(files.after, error);
    if (!error.isEmpty())
        return std::nullopt;
    // Longest common subsequence of lines: what the refactor kept.
    std::vector<int> previous(after.size() + 1, 0), current(after.size() + 1, 0);
    for (size_t i = 1; i <= before.size(); ++i) {
        for (size_t j = 1; j <= after.size(); ++j)
            current[j] = before[i - 1] == after[j - 1] ? previous[j - 1] + 1
                                                       : std::max(previous[j], current[j - 1]);
        std::swap(previous, current);
    }
    const int kept = previous[after.size()];
    return int(after.size()) - kept; // lines the durable version adds
}

Summary summarize(const SummaryInputs& inputs)
{
    Summary summary;
    std::map<QString, const Scenario*> scenarioById;
    for (const Scenario& scenario : inputs.scenarios)
        scenarioById[scenario.id] = &scenario;
    // Cells in catalog order, then variants in a fixed order.
    std::vector<std::pair<QString, QString>> order;
    for (const Scenario& scenario : inputs.scenarios)
        for (const char* variant : { "baseline", "restate" })
            order.emplace_back(scenario.id, QLatin1String(variant));
    for (const RunRecord& run : inputs.runs)
        if (std::find(order.begin(), order.end(), std::make_pair(run.scenario, run.variant))
            == order.end())
            order.emplace_back(run.scenario, run.variant);

    std::map<QString, std::vector<double>> nominalWalls;
    int faultSuccess[2] = { 0, 0 }, faultRuns[2] = { 0, 0 };
    uint64_t seed = inputs.seed;
    for (const auto& [scenario, variant] : order) {
        CellSummary cell;
        cell.scenario = scenario;
        cell.variant = variant;
        std::vector<double> walls, recovers;
        double llm = 0, client = 0, restate = 0, wasted = 0;
        for (const RunRecord& run : inputs.runs) {
            if (run.scenario != scenario || run.variant != variant)
                continue;
            ++cell.runs;
            cell.successes += run.success;
            if (run.success)
                walls.push_back(run.wallMs);
            if (run.recoverMs >= 0)
                recovers.push_back(run.recoverMs);
            llm += run.llmRequests;
            client += run.clientRetries;
            restate += run.restateRetries;
            wasted += std::max(0, run.llmAnswered - 2);
            cell.reportsWrittenMax = std::max(cell.reportsWrittenMax, run.reportsWritten);
        }
        if (cell.runs == 0)
            continue;
        cell.successRate = wilson(cell.successes, cell.runs);
        cell.wallMean = bootstrap(walls, Statistic::Mean, ++seed);
        cell.wallMedian = bootstrap(walls, Statistic::Median, ++seed);
        cell.wallP95 = bootstrap(walls, Statistic::P95, ++seed);
        cell.llmCallsMean = llm / cell.runs;
        cell.clientRetriesMean = client / cell.runs;
        cell.restateRetriesMean = restate / cell.runs;
        cell.retriesMean = (client + restate) / cell.runs;
        cell.wastedCallsMean = wasted / cell.runs;
        if (!recovers.empty())
            cell.recoverMedianMs = percentile(recovers, 0.5);
        const auto found = scenarioById.find(scenario);
        if (found != scenarioById.end()) {
            cell.expected = variant == QLatin1String("restate") ? found->second->expectRestate
                                                                : found->second->expectBaseline;
            if (found->second->fault) {
                const int v = variant == QLatin1String("restate") ? 1 : 0;
                faultSuccess[v] += cell.successes;
                faultRuns[v] += cell.runs;
            }
            if (found->second->id == QLatin1String("nominal"))
                nominalWalls[variant] = walls;
        }
        summary.cells.push_back(cell);
    }

    // Overhead: mean nominal wall time, durable over baseline, with a bootstrap interval of the
    // ratio (each side resampled on its own).
    const auto& base = nominalWalls[QStringLiteral("baseline")];
    const auto& durable = nominalWalls[QStringLiteral("restate")];
    if (!base.empty() && !durable.empty()) {
        const auto mean = [](const std::vector<double>& v) {
            return std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
        };
        std::mt19937_64 random(inputs.seed * 7919 + 1);
        std::vector<double> ratios;
        std::vector<double> a(base.size()), b(durable.size());
        for (int r = 0; r < 2000; ++r) {
            for (double& x : a)
                x = base[std::uniform_int_distribution<size_t>(0, base.size() - 1)(random)];
            for (double& x : b)
                x = durable[std::uniform_int_distribution<size_t>(0, durable.size() - 1)(random)];
            ratios.push_back((mean(b) / mean(a) - 1) * 100);
        }
        summary.overheadPct = Interval { (mean(durable) / mean(base) - 1) * 100,
            percentile(ratios, 0.025), percentile(ratios, 0.975) };
    }
    summary.resilienceBaseline = wilson(faultSuccess[0], faultRuns[0]);
    summary.resilienceRestate = wilson(faultSuccess[1], faultRuns[1]);
    summary.faultRuns = faultRuns[0] + faultRuns[1];

    const auto pct
        = [](double v) { return QString::number(v * 100, 'f', 0) + QStringLiteral(" %"); };
    Criterion resilience { QStringLiteral("resilience"), {}, QStringLiteral(">= +20 points"), {},
        {} };
    if (faultRuns[0] > 0 && faultRuns[1] > 0) {
        const double diff
            = (summary.resilienceRestate.value - summary.resilienceBaseline.value) * 100;
        resilience.value
            = QStringLiteral("%1%2 points (durable %3 vs baseline %4)")
                  .arg(diff >= 0 ? QStringLiteral("+") : QString())
                  .arg(diff, 0, 'f', 0)
                  .arg(pct(summary.resilienceRestate.value), pct(summary.resilienceBaseline.value));
        resilience.verdict = diff >= 20 ? QStringLiteral("GO") : QStringLiteral("NO-GO");
        resilience.detail
            = QStringLiteral("success on the fault scenarios, %1 runs; 95 % Wilson "
                             "intervals durable [%2, %3], baseline [%4, %5]")
                  .arg(summary.faultRuns)
                  .arg(pct(summary.resilienceRestate.low), pct(summary.resilienceRestate.high),
                      pct(summary.resilienceBaseline.low), pct(summary.resilienceBaseline.high));
    } else {
        resilience.value = QStringLiteral("no fault scenario run with both variants");
        resilience.verdict = QStringLiteral("not measured");
    }
    summary.goNoGo.push_back(resilience);

    Criterion overhead { QStringLiteral("overhead"), {}, QStringLiteral("<= +10 % nominal time"),
        {}, {} };
    if (summary.overheadPct) {
        overhead.value = QStringLiteral("%1%2 %")
                             .arg(summary.overheadPct->value >= 0 ? QStringLiteral("+") : QString())
                             .arg(summary.overheadPct->value, 0, 'f', 1);
        overhead.verdict
            = summary.overheadPct->value <= 10 ? QStringLiteral("GO") : QStringLiteral("NO-GO");
        overhead.detail
            = QStringLiteral("mean wall time of successful nominal runs; 95 % bootstrap "
                             "interval [%1, %2] %")
                  .arg(summary.overheadPct->low, 0, 'f', 1)
                  .arg(summary.overheadPct->high, 0, 'f', 1);
    } else {
        overhead.value = QStringLiteral("no successful nominal runs of both variants");
        overhead.verdict = QStringLiteral("not measured");
    }
    summary.goNoGo.push_back(overhead);

    Criterion refactor { QStringLiteral("refactor size"), {}, QStringLiteral("<= +50 lines"), {},
        {} };
    QString error;
    if (const auto lines = refactorSize(inputs.refactor, error)) {
        refactor.value = QStringLiteral("+%1 lines").arg(*lines);
        refactor.verdict = *lines <= 50 ? QStringLiteral("GO") : QStringLiteral("NO-GO");
        QStringList names;
        for (const QString& path : inputs.refactor.before + inputs.refactor.after)
            names << path.section(QLatin1Char('/'), -2);
        refactor.detail = QStringLiteral("code lines the durable version adds (line diff, blanks "
                                         "and comments ignored) in %1; `twintrace run --refactor "
                                         "BEFORE:AFTER` counts the team's own two Writers")
                              .arg(names.join(QStringLiteral(", ")));
    } else {
        refactor.value = error;
        refactor.verdict = QStringLiteral("not measured");
    }
    summary.goNoGo.push_back(refactor);

    Criterion setup { QStringLiteral("setup time"), {}, QStringLiteral("<= 30 min"), {}, {} };
    if (inputs.setupMs) {
        setup.value = QStringLiteral("%1 s").arg(*inputs.setupMs / 1000, 0, 'f', 1);
        setup.verdict
            = *inputs.setupMs <= 30 * 60 * 1000 ? QStringLiteral("GO") : QStringLiteral("NO-GO");
        setup.detail = QStringLiteral("from launch (restate-server, stand-in, endpoint, "
                                      "registration) to the first durable run completed");
    } else {
        setup.value = QStringLiteral("no durable run completed");
        setup.verdict = QStringLiteral("not measured");
    }
    summary.goNoGo.push_back(setup);

    Criterion debugging { QStringLiteral("debugging time"), {},
        QStringLiteral("faster with Restate's view"), {}, {} };
    if (inputs.debuggingSpeedup) {
        debugging.value = QStringLiteral("%1x faster with Restate's view")
                              .arg(*inputs.debuggingSpeedup, 0, 'f', 2);
        const bool accurate = inputs.debuggingAccuracyGain.value_or(0) >= 0;
        debugging.verdict = *inputs.debuggingSpeedup > 1 && accurate ? QStringLiteral("GO")
                                                                     : QStringLiteral("NO-GO");
        debugging.detail = inputs.debuggingDetail;
    } else if (!inputs.debuggingDetail.isEmpty()) {
        debugging.value = QStringLiteral("too few right answers yet");
        debugging.verdict = QStringLiteral("not measured");
        debugging.detail = inputs.debuggingDetail;
    } else {
        debugging.value = QStringLiteral("no debugging exercises recorded");
        debugging.verdict = QStringLiteral("not measured");
    }
    summary.goNoGo.push_back(debugging);
    return summary;
}

} // namespace tt::engine
