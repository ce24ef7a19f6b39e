// SPDX-License-Identifier: MIT
// The report's section on the timed debugging exercises (issue 9).
#include "reportwriter.h"

#include "engine/report/markdowntext.h"

#include <QTextStream>

#include <algorithm>

namespace tt::engine {

namespace {

QString viewName(DebugView view)
{
    return view == DebugView::Restate
        ? QStringLiteral("Restate's view (journal, lifecycle, retries + traces)")
        : QStringLiteral("today's view (logs, OpenAI and LangSmith traces)");
}

QString percent(const Interval& interval)
{
    return QStringLiteral("%1 % [%2, %3]")
        .arg(interval.value * 100, 0, 'f', 0)
        .arg(interval.low * 100, 0, 'f', 0)
        .arg(interval.high * 100, 0, 'f', 0);
}

QString seconds(const std::optional<Interval>& interval)
{
    if (!interval)
        return QStringLiteral("-");
    return QStringLiteral("%1 s [%2, %3]")
        .arg(interval->value, 0, 'f', 1)
        .arg(interval->low, 0, 'f', 1)
        .arg(interval->high, 0, 'f', 1);
}

double median(std::vector<double> values)
{
    if (values.empty())
        return 0;
    std::sort(values.begin(), values.end());
    const size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

} // namespace

QString exerciseSection(const ReportInputs& in)
{
    QString md;
    QTextStream out(&md);
    out << "## Debugging exercises\n\n";
    const ExerciseSummary& s = in.exerciseSummary;
    if (s.today.answered + s.restate.answered == 0) {
        out << "No exercise recorded yet. In the window, **Exercise > Start series** shows one "
               "recorded fault run at a time, without saying which fault it was, in one view "
               "only, and times how long it takes to name the failing step and the fault; the "
               "answers land in this folder's results store and in this section.\n\n";
    } else {
        out << s.series << " series by " << s.people << " person(s), "
            << s.today.answered + s.restate.answered
            << " counted answers (practice rounds excluded). Each screen shows one recorded "
               "fault run, its fault hidden, in one view; the clock runs from the view appearing "
               "to the answer (the failing step, picked on the timeline, and the fault kind). "
               "Views alternate and each scenario is met once in each view, early in one and "
               "late in the other, so that learning effects cancel.\n\n";
        out << "| View | Answers | Right step and fault | Accuracy (95 % Wilson) | Median time "
               "to a right answer (95 % bootstrap) |\n|---|---|---|---|---|\n";
        for (DebugView view : { DebugView::Restate, DebugView::Today }) {
            const ViewStats& v = view == DebugView::Restate ? s.restate : s.today;
            out << "| " << viewName(view) << " | " << v.answered << " | " << v.correct << " | "
                << percent(v.accuracy) << " | " << seconds(v.medianSeconds) << " |\n";
        }
        if (s.speedup)
            out << "\nToday's median time over Restate's: **" << QString::number(*s.speedup, 'f', 2)
                << "x**" << (*s.speedup > 1 ? " (Restate's view is faster)" : " (not faster)")
                << ".\n";
        out << "\n| # | Series | View | Scenario | Time | Answer | Truth | Right |\n"
               "|---|---|---|---|---|---|---|---|\n";
        for (const ExerciseRecord& r : in.exercises)
            out << "| " << r.position + 1 << (r.practice ? " (practice)" : "") << " | "
                << markdownText(r.series.left(8))
                << (r.person.isEmpty() ? QString() : QStringLiteral(" ") + markdownText(r.person))
                << " | " << markdownText(r.view) << " | " << markdownText(r.scenario) << " | "
                << QString::number(r.seconds, 'f', 1) << " s | " << markdownText(r.answerStep)
                << ", " << markdownText(faultKindLabel(r.answerKind)) << " | "
                << markdownText(r.truthStep) << ", " << markdownText(faultKindLabel(r.truthKind))
                << " | " << (r.correct ? "yes" : "no") << " |\n";
        out << "\n";
    }
    if (!in.evidence.empty()) {
        out << "### Entries read before the evidence (no person needed)\n\n"
               "Reading each view from the top (its sources in the window's order, each "
               "source's entries in time order), how many entries one reads up to the first that "
               "shows the failing step in trouble (an error, a failed attempt, an entry that "
               "never ended, a backing-off or paused state). The first run of each fault "
               "scenario.\n\n| Scenario | Today's view | Restate's view |\n|---|---|---|\n";
        std::map<QString, std::pair<const EvidenceDepth*, const EvidenceDepth*>> rows;
        std::vector<double> today, restate;
        for (const EvidenceDepth& e : in.evidence) {
            auto& row = rows[e.scenario];
            (e.view == DebugView::Today ? row.first : row.second) = &e;
            if (e.found)
                (e.view == DebugView::Today ? today : restate).push_back(e.rowsRead);
        }
        const auto cell = [](const EvidenceDepth* e) {
            if (!e)
                return QStringLiteral("-");
            return e->found ? QStringLiteral("%1 of %2").arg(e->rowsRead).arg(e->rows)
                            : QStringLiteral("not found in %1").arg(e->rows);
        };
        for (const auto& [scenario, row] : rows)
            out << "| " << markdownText(scenario) << " | " << cell(row.first) << " | "
                << cell(row.second) << " |\n";
        if (!today.empty() && !restate.empty())
            out << "\nMedian entries read: " << median(today) << " with today's view, "
                << median(restate) << " with Restate's ("
                << QString::number(median(today) / std::max(1.0, median(restate)), 'f', 2)
                << "x); the evidence was found in " << today.size() << " and " << restate.size()
                << " of the runs.\n";
        out << "\n";
    }
    return md;
}

} // namespace tt::engine
