// SPDX-License-Identifier: MIT
#include "stats.h"

#include "refactor.h"

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

double mean(const std::vector<double>& sample)
{
    return statistic(sample, Statistic::Mean);
}

} // namespace

Interval compareMeans(
    const std::vector<double>& a, const std::vector<double>& b, uint64_t seed, bool relative)
{
    const auto compare
        = [relative](double x, double y) { return relative ? (y / x - 1) * 100 : y - x; };
    std::mt19937_64 random(seed);
    std::vector<double> estimates, resampledA(a.size()), resampledB(b.size());
    for (int r = 0; r < 2000; ++r) {
        for (double& x : resampledA)
            x = a[std::uniform_int_distribution<size_t>(0, a.size() - 1)(random)];
        for (double& x : resampledB)
            x = b[std::uniform_int_distribution<size_t>(0, b.size() - 1)(random)];
        estimates.push_back(compare(mean(resampledA), mean(resampledB)));
    }
    return { compare(mean(a), mean(b)), percentile(estimates, 0.025),
        percentile(estimates, 0.975) };
}

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

namespace {

QString seconds(double ms)
{
    return QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', ms < 10000 ? 2 : 1);
}

// The plan's Phase 1, part by part; decided on the parts timed, which the value names.
Criterion setupCriterion(const SetupParts& parts)
{
    Criterion setup { QStringLiteral("setup time"), {}, QStringLiteral("<= 30 min"), {}, {}, {} };
    const std::pair<const char*, double> list[]
        = { { "install", parts.installMs }, { "server start", parts.serverStartMs },
              { "registration", parts.registerMs }, { "first durable run", parts.firstRunMs } };
    QStringList timed, untimed;
    for (const auto& [name, ms] : list)
        if (ms >= 0)
            timed << QStringLiteral("%1 %2").arg(QLatin1String(name), seconds(ms));
        else
            untimed << QLatin1String(name);
    if (!parts.anyTimed()) {
        setup.value = QStringLiteral("no part of the setup was timed");
        setup.verdict = QStringLiteral("not measured");
        setup.howToMeasure = QStringLiteral("run `twintrace run --measure-setup` with the durable "
                                            "variant");
        return setup;
    }
    const double total = parts.timedTotalMs();
    setup.value = seconds(total) + QStringLiteral(" (") + timed.join(QStringLiteral(", "))
        + (untimed.isEmpty() ? QString()
                             : QStringLiteral("; not timed: ") + untimed.join(QStringLiteral(", ")))
        + QLatin1Char(')');
    // A verdict needs every part; parts that already exceed the threshold decide it anyway.
    if (total > 30 * 60 * 1000)
        setup.verdict = QStringLiteral("NO-GO");
    else if (untimed.isEmpty())
        setup.verdict = QStringLiteral("GO");
    else {
        setup.verdict = QStringLiteral("not measured");
        setup.value = QStringLiteral("partial: ") + setup.value;
        setup.howToMeasure = parts.installMs < 0
            ? QStringLiteral("run `twintrace run --measure-setup` (or install with "
                             "scripts/setup.sh) so that every part is timed")
            : QStringLiteral("run the durable variant on TwinTrace's own restate-server so that "
                             "every part is timed");
    }
    setup.detail
        = QStringLiteral("the plan's Phase 1, each part timed on its own: installing the "
                         "pinned server (%1), starting it, registering the durable "
                         "service, and the first durable run%2")
              .arg(parts.installMs >= 0 ? parts.installHow
                                        : QStringLiteral("not timed; twintrace run "
                                                         "--measure-setup times it"),
                  untimed.isEmpty() ? QString() : QStringLiteral("; a verdict needs every part"));
    return setup;
}

} // namespace

Summary summarize(const SummaryInputs& inputs)
{
    Summary summary;
    std::map<QString, const Scenario*> scenarioById;
    for (const Scenario& scenario : inputs.scenarios)
        scenarioById[scenario.id] = &scenario;
    // Cells in catalog order, then variants in a fixed order.
    std::vector<std::pair<QString, QString>> order;
    for (const Scenario& scenario : inputs.scenarios)
        for (const QString& variant : knownVariants())
            order.emplace_back(scenario.id, variant);
    for (const RunRecord& run : inputs.runs)
        if (std::find(order.begin(), order.end(), std::make_pair(run.scenario, run.variant))
            == order.end())
            order.emplace_back(run.scenario, run.variant);

    std::map<QString, std::vector<const RunRecord*>> nominalRuns; // successful ones, by variant
    int faultSuccess[2] = { 0, 0 }, faultRuns[2] = { 0, 0 };
    uint64_t seed = inputs.seed;
    for (const auto& [scenario, variant] : order) {
        CellSummary cell;
        cell.scenario = scenario;
        cell.variant = variant;
        std::vector<double> walls, recovers;
        double llm = 0, client = 0, restate = 0, wasted = 0, attempts = 0, repeated = 0,
               repeatedTokens = 0;
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
            attempts += run.attempts;
            repeated += run.llmRepeated;
            repeatedTokens += run.tokensRepeated;
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
        cell.attemptsMean = attempts / cell.runs;
        cell.repeatedCallsMean = repeated / cell.runs;
        cell.repeatedTokensMean = repeatedTokens / cell.runs;
        if (!recovers.empty())
            cell.recoverMedianMs = percentile(recovers, 0.5);
        const auto found = scenarioById.find(scenario);
        if (found != scenarioById.end()) {
            cell.expected = found->second->expected(variant);
            for (const QString& setting : found->second->dependsOn)
                if (variant != QLatin1String("restate")
                    && inputs.settingsNotPassed.contains(setting))
                    cell.expected
                        = QStringLiteral("unknown: the command is not given {%1}").arg(setting);
            // The plan's resilience criterion is durable vs the baseline run once; the restart
            // loop is compared on its own (restartSavings).
            if (found->second->fault && variant != QLatin1String("baseline-restart")) {
                const int v = variant == QLatin1String("restate") ? 1 : 0;
                faultSuccess[v] += cell.successes;
                faultRuns[v] += cell.runs;
            }
            if (found->second->id == QLatin1String("nominal"))
                for (const RunRecord& run : inputs.runs)
                    if (run.scenario == scenario && run.variant == variant && run.success)
                        nominalRuns[variant].push_back(&run);
        }
        summary.cells.push_back(cell);
    }

    // Overhead and the absolute cost of durability, on the engine's clock for both variants.
    const auto field = [](const std::vector<const RunRecord*>& runs, double RunRecord::*member) {
        std::vector<double> values;
        for (const RunRecord* run : runs)
            if (run->*member >= 0)
                values.push_back(run->*member);
        return values;
    };
    const auto& baseRuns = nominalRuns[QStringLiteral("baseline")];
    const auto& durableRuns = nominalRuns[QStringLiteral("restate")];
    const std::vector<double> base = field(baseRuns, &RunRecord::wallMs);
    const std::vector<double> durable = field(durableRuns, &RunRecord::wallMs);
    if (!base.empty() && !durable.empty()) {
        summary.overheadPct = compareMeans(base, durable, inputs.seed * 7919 + 1, true);
        DurabilityCost cost;
        cost.perRunMs = compareMeans(base, durable, inputs.seed * 7919 + 2, false);
        cost.baselineWallMs = mean(base);
        cost.durableWallMs = mean(durable);
        const std::vector<double> baseSpans = field(baseRuns, &RunRecord::writerMs);
        const std::vector<double> durableSpans = field(durableRuns, &RunRecord::writerMs);
        std::vector<double> steps;
        for (const RunRecord* run : durableRuns)
            if (run->durableSteps > 0)
                steps.push_back(run->durableSteps);
        cost.durableSteps = steps.empty() ? 0 : percentile(steps, 0.5);
        if (!baseSpans.empty() && !durableSpans.empty()) {
            cost.writerSpanMs
                = compareMeans(baseSpans, durableSpans, inputs.seed * 7919 + 3, false);
            cost.baselineSpanMs = mean(baseSpans);
            cost.durableSpanMs = mean(durableSpans);
            if (cost.durableSteps > 0)
                cost.perStepMs = cost.writerSpanMs->value / cost.durableSteps;
        }
        summary.cost = cost;
    }
    summary.resilienceBaseline = wilson(faultSuccess[0], faultRuns[0]);
    summary.resilienceRestate = wilson(faultSuccess[1], faultRuns[1]);
    summary.faultRuns = faultRuns[0] + faultRuns[1];

    const auto pct
        = [](double v) { return QString::number(v * 100, 'f', 0) + QStringLiteral(" %"); };
    Criterion resilience { QStringLiteral("resilience"), {}, QStringLiteral(">= +20 points"), {},
        {}, {} };
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
            = QStringLiteral("success (the Writer's outcome and exactly one complete report on "
                             "disk) on the fault scenarios, %1 runs; 95 % Wilson intervals "
                             "durable [%2, %3], baseline [%4, %5]")
                  .arg(summary.faultRuns)
                  .arg(pct(summary.resilienceRestate.low), pct(summary.resilienceRestate.high),
                      pct(summary.resilienceBaseline.low), pct(summary.resilienceBaseline.high));
    } else {
        resilience.value = QStringLiteral("no fault scenario run with both variants");
        resilience.verdict = QStringLiteral("not measured");
        resilience.howToMeasure
            = QStringLiteral("run fault scenarios (`--scenarios "
                             "transient-llm,crash-at-step`) with both variants");
    }
    summary.goNoGo.push_back(resilience);

    Criterion overhead { QStringLiteral("overhead"), {}, QStringLiteral("<= +10 % nominal time"),
        {}, {}, {} };
    if (summary.overheadPct) {
        overhead.value = QStringLiteral("%1%2 %")
                             .arg(summary.overheadPct->value >= 0 ? QStringLiteral("+") : QString())
                             .arg(summary.overheadPct->value, 0, 'f', 1);
        if (summary.cost)
            overhead.value
                += QStringLiteral(" (%1%2 ms per run)")
                       .arg(summary.cost->perRunMs.value >= 0 ? QStringLiteral("+") : QString())
                       .arg(summary.cost->perRunMs.value, 0, 'f', 0);
        overhead.verdict
            = summary.overheadPct->value <= 10 ? QStringLiteral("GO") : QStringLiteral("NO-GO");
        overhead.detail
            = QStringLiteral("mean wall time of the successful nominal runs, each timed by the "
                             "engine from handing the work over to the result known; 95 % "
                             "bootstrap interval [%1, %2] %")
                  .arg(summary.overheadPct->low, 0, 'f', 1)
                  .arg(summary.overheadPct->high, 0, 'f', 1);
    } else {
        overhead.value = QStringLiteral("no successful nominal runs of both variants");
        overhead.verdict = QStringLiteral("not measured");
        overhead.howToMeasure = QStringLiteral("run `--scenarios nominal` with both variants");
    }
    summary.goNoGo.push_back(overhead);

    Criterion refactor { QStringLiteral("refactor size"), {}, QStringLiteral("<= +50 lines"), {},
        {}, {} };
    QString error;
    if (inputs.refactorSpec.isEmpty()) {
        refactor.value
            = QStringLiteral("not measured: TwinTrace's Writers are not the team's code");
        refactor.verdict = QStringLiteral("not measured");
        refactor.howToMeasure = refactorHowTo();
    } else if (const auto count = countRefactor(inputs.refactorSpec, error)) {
        refactor.value = QStringLiteral("+%1 lines").arg(count->addedLines);
        refactor.verdict = count->addedLines <= 50 ? QStringLiteral("GO") : QStringLiteral("NO-GO");
        refactor.detail = QStringLiteral("code lines the durable version adds (line diff, blanks "
                                         "and comments ignored, removed lines not subtracted) in "
                                         "%1, %2 file(s)")
                              .arg(count->described)
                              .arg(count->files);
    } else {
        refactor.value = QStringLiteral("not measured: ") + error;
        refactor.verdict = QStringLiteral("not measured");
        refactor.howToMeasure = refactorHowTo();
    }
    summary.goNoGo.push_back(refactor);

    summary.goNoGo.push_back(setupCriterion(inputs.setup));

    Criterion debugging { QStringLiteral("debugging time"), {},
        QStringLiteral("faster with Restate's view"), {}, {}, {} };
    if (inputs.debuggingSpeedup) {
        debugging.value = QStringLiteral("%1x faster with Restate's view")
                              .arg(*inputs.debuggingSpeedup, 0, 'f', 2);
        const bool accurate = inputs.debuggingAccuracyGain.value_or(0) >= 0;
        debugging.verdict = *inputs.debuggingSpeedup > 1 && accurate ? QStringLiteral("GO")
                                                                     : QStringLiteral("NO-GO");
        debugging.detail = inputs.debuggingDetail;
    } else {
        debugging.value = inputs.debuggingDetail.isEmpty()
            ? QStringLiteral("no debugging exercises recorded")
            : QStringLiteral("too few right answers yet");
        debugging.verdict = QStringLiteral("not measured");
        debugging.detail = inputs.debuggingDetail;
        debugging.howToMeasure = QStringLiteral("run the timed exercises (Experiment > Debugging "
                                                "exercise) until each view has 3 right answers");
    }
    summary.goNoGo.push_back(debugging);
    summary.savings = restartSavings(inputs);
    return summary;
}

QString decisionLine(const Summary& summary)
{
    QStringList failed, unmeasured;
    int measured = 0;
    for (const Criterion& c : summary.goNoGo) {
        if (c.verdict == QLatin1String("NO-GO"))
            failed << c.criterion;
        if (c.measured())
            ++measured;
        else
            unmeasured << c.criterion;
    }
    QString line;
    if (!failed.isEmpty())
        line = QStringLiteral("NO-GO on %1").arg(failed.join(QStringLiteral(", ")));
    else if (measured > 0)
        line = QStringLiteral("GO on every measured criterion (%1 of %2)")
                   .arg(measured)
                   .arg(summary.goNoGo.size());
    else
        line = QStringLiteral("No decision: no criterion is measured yet");
    if (!unmeasured.isEmpty())
        line += QStringLiteral("; not measured: %1").arg(unmeasured.join(QStringLiteral(", ")));
    return line;
}

} // namespace tt::engine
