// SPDX-License-Identifier: MIT
#include "exercisestats.h"

#include <QObject>

#include <set>

namespace tt::engine {

const std::vector<FaultKind>& faultKinds()
{
    static const std::vector<FaultKind> kinds = {
        { QStringLiteral("llm-transient"), QObject::tr("LLM errors that pass (429 / 5xx)") },
        { QStringLiteral("llm-timeout"), QObject::tr("LLM call timed out") },
        { QStringLiteral("llm-outage"), QObject::tr("LLM unavailable (every call fails)") },
        { QStringLiteral("malformed-output"), QObject::tr("Malformed model output") },
        { QStringLiteral("tool-failure"), QObject::tr("A tool failed") },
        { QStringLiteral("crash"), QObject::tr("The Writer process crashed") },
    };
    return kinds;
}

QString faultKindLabel(const QString& id)
{
    for (const FaultKind& kind : faultKinds())
        if (kind.id == id)
            return kind.label;
    return id;
}

QString toString(DebugView view)
{
    return view == DebugView::Today ? QStringLiteral("today") : QStringLiteral("restate");
}

std::optional<DebugView> debugViewFrom(const QString& name)
{
    if (name == QLatin1String("today"))
        return DebugView::Today;
    if (name == QLatin1String("restate"))
        return DebugView::Restate;
    return std::nullopt;
}

QString variantOf(DebugView view)
{
    return view == DebugView::Today ? QStringLiteral("baseline") : QStringLiteral("restate");
}

ExerciseSummary summarizeExercises(const std::vector<ExerciseRecord>& records, uint64_t seed)
{
    ExerciseSummary summary;
    std::set<QString> series;
    std::set<QString> people;
    std::vector<double> seconds[2];
    for (const ExerciseRecord& record : records) {
        series.insert(record.series);
        people.insert(record.person);
        const auto view = debugViewFrom(record.view);
        if (record.practice || !view)
            continue;
        ViewStats& stats = *view == DebugView::Today ? summary.today : summary.restate;
        ++stats.answered;
        stats.correct += record.correct ? 1 : 0;
        if (record.correct)
            seconds[*view == DebugView::Today ? 0 : 1].push_back(record.seconds);
    }
    summary.series = int(series.size());
    summary.people = int(people.size());
    for (int v = 0; v < 2; ++v) {
        ViewStats& stats = v == 0 ? summary.today : summary.restate;
        stats.accuracy = wilson(stats.correct, stats.answered);
        if (!seconds[v].empty())
            stats.medianSeconds = bootstrap(seconds[v], Statistic::Median, seed);
    }
    if (summary.today.medianSeconds && summary.restate.medianSeconds
        && summary.restate.medianSeconds->value > 0)
        summary.speedup = summary.today.medianSeconds->value / summary.restate.medianSeconds->value;
    return summary;
}

} // namespace tt::engine
