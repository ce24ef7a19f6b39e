// SPDX-License-Identifier: MIT
// The report's "When Restate itself fails": the durable runs of the scenarios that take
// restate-server down (restate-crash, restate-down-at-start), one row each, from the store.
#include "reportwriter.h"

#include "engine/report/markdowntext.h"

#include <QTextStream>

#include <algorithm>
#include <map>

namespace tt::engine {

namespace {

QString seconds(double ms)
{
    return ms < 0 ? QStringLiteral("-") : QString::number(ms / 1000, 'f', 2) + QStringLiteral(" s");
}

} // namespace

QString restateFailureSection(const ReportInputs& in)
{
    std::map<QString, const Scenario*> breaking;
    for (const Scenario& scenario : in.scenarios)
        if (scenario.breaksRestate())
            breaking[scenario.id] = &scenario;
    std::map<QString, std::vector<const RunRecord*>> runs; // scenario -> its durable runs
    for (const RunRecord& run : in.runs)
        if (run.variant == QLatin1String("restate") && breaking.count(run.scenario))
            runs[run.scenario].push_back(&run);
    if (runs.empty())
        return {};
    QString text;
    QTextStream out(&text);
    out << "## When Restate itself fails\n\n"
        << "restate-server is SIGKILLed, as a power cut would, and started again on its data "
           "folder. The outage runs from the kill to the server answering again; the recovery "
           "from the kill to the durable run's result known. The baselines do not use Restate "
           "and run these scenarios as nominal.\n\n";
    for (const auto& [scenario, cell] : runs) {
        std::vector<double> recoveries;
        int completed = 0, repeated = 0;
        for (const RunRecord* run : cell) {
            completed += run->success;
            repeated += run->llmRepeated;
            if (run->recoverMs >= 0)
                recoveries.push_back(run->recoverMs);
        }
        const Scenario& s = *breaking.at(scenario);
        out << "### " << markdownText(scenario) << "\n\n"
            << completed << "/" << cell.size() << " durable runs completed; recovery "
            << (recoveries.empty()
                       ? QStringLiteral("not measured (no run completed)")
                       : QStringLiteral("median %1").arg(seconds(percentile(recoveries, 0.5))))
            << "; " << repeated << " answered LLM call(s) repeated in all.";
        if (s.restateDownAtStartMs > 0)
            out << " The server was down when each run was submitted and was started again "
                << seconds(s.restateDownAtStartMs) << " later; the ingress client tries again on "
                << "no answer or a 5xx"
                << (in.ingressPatienceMs > 0
                           ? QStringLiteral(" for up to %1").arg(seconds(in.ingressPatienceMs))
                           : QString())
                << ".";
        out << "\n\n| Run | Outcome | Outage | The ingress client saw | Accepted after | "
               "Recovery | LLM calls answered (repeated) | Journal steps |\n"
               "|---|---|---|---|---|---|---|---|\n";
        for (const RunRecord* run : cell)
            out << "| " << run->runIndex << " | " << markdownText(run->outcome) << " | "
                << seconds(run->restateOutageMs) << " | "
                << (run->ingressSeen.isEmpty() ? QStringLiteral("-")
                                               : markdownText(run->ingressSeen)
                               + (run->ingressAttempts == 1
                                       ? QStringLiteral(" (1 try)")
                                       : QStringLiteral(" (%1 tries)").arg(run->ingressAttempts)))
                << " | " << seconds(run->ingressWaitMs) << " | " << seconds(run->recoverMs) << " | "
                << run->llmAnswered << " (" << run->llmRepeated << ") | " << run->durableSteps
                << " |\n";
        out << "\n";
    }
    return text;
}

} // namespace tt::engine
