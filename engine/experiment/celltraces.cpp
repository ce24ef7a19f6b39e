// SPDX-License-Identifier: MIT
#include "celltraces.h"

#include "runfacts.h"
#include "stats.h"

#include <algorithm>

namespace tt::engine {

namespace {

// What one run's data says, read once.
struct Facts
{
    bool durable = false;
    std::vector<LlmCall> calls;
    std::vector<StepTrouble> troubles; // per step
};

struct Timing
{
    double stepMs = -1; // the step's own duration
    double waitMs = -1; // from the run's previous step end (or its start) to the step's start
};

Timing timingOf(const CellSpread& spread, size_t run, size_t column)
{
    const int32_t s = spread.columns.stepInColumn[run][column];
    if (s < 0)
        return {};
    const CellRun& cell = spread.runs[run];
    const timeline::Step& step = cell.steps[size_t(s)];
    const int64_t before = s > 0 ? cell.steps[size_t(s) - 1].endNs : cell.startNs;
    return { double(step.durationNs()) / 1e6,
        double(std::max<int64_t>(0, step.startNs - before)) / 1e6 };
}

// The step, or the wait before one, where a slow run spent most beyond its peers' medians.
struct Extra
{
    QString step;
    QString words;
};

Extra extraTime(const CellSpread& spread, size_t run, const std::vector<size_t>& peers)
{
    Extra best;
    double most = 0;
    for (size_t c = 0; c < spread.columns.columns.size(); ++c) {
        const Timing mine = timingOf(spread, run, c);
        if (mine.stepMs < 0)
            continue;
        std::vector<double> steps, waits;
        for (size_t peer : peers)
            if (const Timing theirs = timingOf(spread, peer, c); theirs.stepMs >= 0) {
                steps.push_back(theirs.stepMs);
                waits.push_back(theirs.waitMs);
            }
        if (steps.empty())
            continue;
        const QString label = QString::fromStdString(spread.columns.columns[c].label);
        const double stepMedian = percentile(steps, 0.5);
        const double waitMedian = percentile(waits, 0.5);
        if (mine.stepMs - stepMedian > most) {
            most = mine.stepMs - stepMedian;
            best = { label,
                QStringLiteral("%1 took %2 (median %3)")
                    .arg(label, seconds(mine.stepMs), seconds(stepMedian)) };
        }
        if (mine.waitMs - waitMedian > most) {
            most = mine.waitMs - waitMedian;
            best = { label,
                QStringLiteral("%1 went by before %2 (median %3)")
                    .arg(seconds(mine.waitMs), label, seconds(waitMedian)) };
        }
    }
    // Noise is no reason: the step must account for a good part of the run's extra time.
    std::vector<double> walls;
    for (size_t peer : peers)
        walls.push_back(spread.runs[peer].run.wallMs);
    const double beyond = spread.runs[run].run.wallMs - percentile(walls, 0.5);
    return most >= 0.25 * beyond && most > 0 ? best : Extra {};
}

// An error message short enough for a reason on one line.
QString shortened(const QString& error)
{
    constexpr qsizetype kMost = 80;
    return error.size() <= kMost ? error : error.left(kMost - 1) + QChar(0x2026);
}

// What happened to the run that did not happen to its variant's median run, step by step, then
// over the whole run.
QStringList differences(const CellSpread& spread, const std::vector<Facts>& facts, size_t run,
    size_t median, QString& firstStep)
{
    QStringList parts;
    const Facts& mine = facts[run];
    const Facts& theirs = facts[median];
    const RunRecord& record = spread.runs[run].run;
    const RunRecord& medianRecord = spread.runs[median].run;
    const auto name = [&](const QString& step, QString words) {
        if (firstStep.isEmpty())
            firstStep = step;
        parts << std::move(words);
    };
    bool stopped = false;
    for (size_t c = 0; c < spread.columns.columns.size(); ++c) {
        const QString label = QString::fromStdString(spread.columns.columns[c].label);
        const int32_t s = spread.columns.stepInColumn[run][c];
        const int32_t m = spread.columns.stepInColumn[median][c];
        if (s < 0) {
            if (m >= 0 && !stopped && (record.crashed || !record.success)) {
                stopped = true;
                name(label, QStringLiteral("stopped before %1").arg(label));
            }
            continue;
        }
        const StepTrouble trouble = mine.troubles[size_t(s)];
        const StepTrouble usual = m >= 0 ? theirs.troubles[size_t(m)] : StepTrouble {};
        const size_t call = llmCallIndex(label);
        const LlmCall* myCall = call < mine.calls.size() ? &mine.calls[call] : nullptr;
        const LlmCall* theirCall = call < theirs.calls.size() ? &theirs.calls[call] : nullptr;
        const int faults = myCall ? myCall->faults() : 0;
        const int usualFaults = theirCall ? theirCall->faults() : 0;
        const bool killed
            = trouble.unfinished && record.crashed && !mine.durable && !usual.unfinished;
        if (faults > usualFaults)
            name(label,
                QStringLiteral("the stand-in answered %1 with %2%3")
                    .arg(label, faultWords(myCall->firstFault(), faults),
                        usualFaults > 0 ? QStringLiteral(" (the median run: %1)").arg(usualFaults)
                                        : QString()));
        else if (trouble.failedAttempts > usual.failedAttempts && !killed)
            name(label,
                QStringLiteral("%1 failed %2%3")
                    .arg(label, times(trouble.failedAttempts),
                        trouble.error.isEmpty()
                            ? QString()
                            : QStringLiteral(" (%1)").arg(shortened(trouble.error))));
        // A baseline's repeated requests are all its client's (a durable run's mix in Restate's).
        const int retries = myCall && !mine.durable ? int(myCall->requests.size()) - 1 : 0;
        const int usualRetries
            = theirCall && !theirs.durable ? int(theirCall->requests.size()) - 1 : 0;
        if (retries > usualRetries)
            name(label,
                QStringLiteral("its client retried %1 %2").arg(times(retries), myCall->delays()));
        if (killed) {
            stopped = true;
            name(label, QStringLiteral("killed inside %1").arg(label));
        }
    }
    if (mine.durable && record.crashed && !medianRecord.crashed)
        parts << restateResponse(record);
    else if (mine.durable && record.crashed && record.recoverMs > 1.25 * medianRecord.recoverMs
        && medianRecord.recoverMs >= 0)
        parts << QStringLiteral("recovered %1 after the crash (the median run: %2)")
                     .arg(seconds(record.recoverMs), seconds(medianRecord.recoverMs));
    else if (mine.durable && record.restateRetries > medianRecord.restateRetries)
        parts << QStringLiteral("Restate retried %1 (the median run: %2)")
                     .arg(times(record.restateRetries),
                         medianRecord.restateRetries > 0 ? times(medianRecord.restateRetries)
                                                         : QStringLiteral("never"));
    if (record.attempts > medianRecord.attempts)
        parts << QStringLiteral("%1 Writer processes launched (the median run: %2)")
                     .arg(record.attempts)
                     .arg(medianRecord.attempts);
    if (!mine.durable && record.crashed && !medianRecord.crashed && !stopped)
        parts << QStringLiteral("crashed");
    // A killed baseline's outcome is its crash, said above.
    if (record.outcome != medianRecord.outcome && !(stopped && record.crashed))
        parts << QStringLiteral("ended %1 (the median run: %2)")
                     .arg(record.outcome, medianRecord.outcome);
    return parts;
}

std::vector<std::pair<int64_t, int64_t>> failedIntervals(
    const timeline::RunView& view, const timeline::Step& step)
{
    std::vector<std::pair<int64_t, int64_t>> out;
    if (step.track < 0 || size_t(step.track) >= view.tracks().size())
        return out;
    const timeline::SourceTrack& track = view.tracks()[size_t(step.track)];
    for (int32_t index : failedAttempts(*track.trace, step)) {
        const timeline::Span& span = track.trace->spans[size_t(index)];
        out.emplace_back(
            span.startNs + track.offsetNs, std::max(span.startNs, span.endNs) + track.offsetNs);
    }
    return out;
}

} // namespace

void explainCell(CellSpread& spread, const std::vector<ExplainedRun>& runs)
{
    std::vector<Facts> facts;
    std::vector<timeline::ColumnRun> layout;
    for (size_t r = 0; r < spread.runs.size() && r < runs.size(); ++r) {
        CellRun& cell = spread.runs[r];
        const timeline::RunView& view = *runs[r].view;
        cell.steps = view.steps();
        cell.startNs = view.startNs();
        cell.endNs = view.endNs();
        cell.failedAttempts.clear();
        Facts fact { isDurable(&cell.run, view), llmCalls(runs[r].llm), {} };
        for (const timeline::Step& step : cell.steps) {
            cell.failedAttempts.push_back(failedIntervals(view, step));
            fact.troubles.push_back(troubleOf(view, step));
        }
        facts.push_back(std::move(fact));
    }
    for (const CellRun& cell : spread.runs)
        layout.push_back({ &cell.steps, cell.startNs, cell.endNs });
    spread.columns = timeline::alignColumns(layout);
    if (facts.size() != spread.runs.size())
        return;

    for (size_t r = 0; r < spread.runs.size(); ++r) {
        CellRun& cell = spread.runs[r];
        if (!cell.outlier)
            continue;
        std::vector<size_t> peers;
        size_t median = r;
        for (size_t p = 0; p < spread.runs.size(); ++p) {
            if (spread.runs[p].run.variant != cell.run.variant)
                continue;
            if (p != r)
                peers.push_back(p);
            if (spread.runs[p].median)
                median = p;
        }
        if (peers.empty() || median == r)
            continue;
        Extra extra;
        if (cell.run.wallMs > spread.runs[median].run.wallMs)
            extra = extraTime(spread, r, peers);
        QString step = extra.step;
        const QStringList happened = differences(spread, facts, r, median, step);
        if (extra.words.isEmpty() && happened.isEmpty())
            continue; // the record's reason stays
        cell.reasonStep = step;
        cell.reason = extra.words.isEmpty() ? happened.join(QStringLiteral("; "))
            : happened.isEmpty()
            ? extra.words
            : extra.words + QStringLiteral(": ") + happened.join(QStringLiteral("; "));
    }
}

void readCellTraces(const QString& outDir, CellSpread& spread, const ExperimentJournals& journals,
    const std::map<QString, std::vector<LlmRequest>>& llmLogs)
{
    std::vector<timeline::RunView> views;
    views.reserve(spread.runs.size());
    std::vector<ExplainedRun> runs;
    for (const CellRun& cell : spread.runs)
        views.push_back(runViewOfRun(outDir, cell.run, journals));
    for (size_t r = 0; r < spread.runs.size(); ++r) {
        const auto it = llmLogs.find(llmLogKey(spread.runs[r].run));
        runs.push_back({ spread.runs[r].run.variant, &views[r], &spread.runs[r].run,
            it == llmLogs.end() ? std::vector<LlmRequest>() : it->second });
    }
    explainCell(spread, runs);
}

} // namespace tt::engine
