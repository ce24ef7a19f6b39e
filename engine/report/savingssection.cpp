// SPDX-License-Identifier: MIT
// The report's "What Restate saves over a restart loop": durable vs baseline-restart on each
// fault scenario, from the runs.
#include "reportwriter.h"

#include "engine/report/markdowntext.h"

#include <QTextStream>

#include <cmath>

namespace tt::engine {

namespace {

QString signedNumber(double value, int decimals)
{
    return (value >= 0 ? QStringLiteral("+") : QString()) + QString::number(value, 'f', decimals);
}

QString difference(const Interval& i, int decimals, double scale = 1)
{
    return QStringLiteral("%1 [%2, %3]")
        .arg(signedNumber(i.value / scale, decimals), signedNumber(i.low / scale, decimals),
            signedNumber(i.high / scale, decimals));
}

} // namespace

QString savingsSentence(const RestartSaving& saving)
{
    QString sentence = QStringLiteral("%1 costs the restart loop %2 LLM call(s) (≈ %3 tokens)")
                           .arg(saving.scenario, signedNumber(saving.llmCalls.value, 1),
                               signedNumber(saving.tokens.value, 0));
    if (saving.wallMs)
        sentence += QStringLiteral(" more than Restate per run, and reaches its result %1 s %2")
                        .arg(std::abs(saving.wallMs->value) / 1000, 0, 'f', 2)
                        .arg(saving.wallMs->value >= 0 ? QStringLiteral("later")
                                                       : QStringLiteral("sooner"));
    else
        sentence += QStringLiteral(" more than Restate per run (time to a result: no successful "
                                   "run on one side)");
    if (saving.restartSuccess < saving.durableSuccess)
        sentence += QStringLiteral("; the loop succeeds on %1 % of runs, Restate on %2 %")
                        .arg(saving.restartSuccess * 100, 0, 'f', 0)
                        .arg(saving.durableSuccess * 100, 0, 'f', 0);
    return sentence;
}

QString savingsSection(const Summary& s)
{
    QString text;
    QTextStream out(&text);
    out << "## What Restate saves over a restart loop\n\n";
    if (s.savings.empty()) {
        out << "Not measured: it needs fault scenarios run with both `baseline-restart` and "
               "`restate` (`--variants baseline,baseline-restart,restate`).\n\n";
        return text;
    }
    out << "A team without Restate would have its job queue run the Writer again from scratch "
           "when it fails or dies: `baseline-restart` does, with Restate's retry policy as "
           "attempts and waits. Per run, the restart loop minus the durable variant, with 95 % "
           "bootstrap intervals (positive: the loop pays more). Time to a result compares the "
           "successful runs of both. The Go/NoGo table above stays the plan's: durable vs the "
           "baseline run once.\n\n"
        << "| Scenario | Success (restart / durable) | Attempts (restart) | LLM calls | Tokens "
           "| Answered calls repeated | Time to a result | Restart runs with more than one "
           "report |\n|---|---|---|---|---|---|---|---|\n";
    for (const RestartSaving& saving : s.savings)
        out << "| " << markdownText(saving.scenario) << " | "
            << QString::number(saving.restartSuccess * 100, 'f', 0) << " % / "
            << QString::number(saving.durableSuccess * 100, 'f', 0) << " % | "
            << QString::number(saving.restartAttempts, 'f', 1) << " | "
            << difference(saving.llmCalls, 1) << " | " << difference(saving.tokens, 0) << " | "
            << difference(saving.repeatedCalls, 1) << " | "
            << (saving.wallMs ? difference(*saving.wallMs, 2, 1000) + QStringLiteral(" s")
                              : QStringLiteral("-"))
            << " | " << saving.restartDuplicateRuns << "/" << saving.restartRuns << " |\n";
    out << "\n";
    for (const RestartSaving& saving : s.savings)
        out << "- " << markdownText(savingsSentence(saving)) << ".\n";
    out << "\n";
    return text;
}

} // namespace tt::engine
