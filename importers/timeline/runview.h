// SPDX-License-Identifier: MIT
#pragma once

#include "steps.h"

#include <memory>
#include <optional>

namespace tt::timeline {

// One source's trace placed on the run's clock: run time = trace time + offsetNs.
struct SourceTrack
{
    std::shared_ptr<const Trace> trace;
    int64_t offsetNs = 0;
    int32_t matchedSpans = 0; // spans matched to the reference track by id (LangSmith <-> OpenAI)
};

// A stretch of run time when a part the run depends on was down (restate-server killed and not
// yet answering again), known from outside the traces: the window draws it over that part's
// lanes.
struct Outage
{
    int64_t startNs = 0; // run time
    int64_t endNs = 0;
    std::string what; // "restate-server down"
};

// All traces of one run (Restate journal, OpenAI spans, LangSmith runs, logs) on one clock.
// The first trace added is the reference; later ones get an offset estimated from the spans
// they share with it, by id where the source kept one, else by matching steps.
class RunView
{
public:
    explicit RunView(std::string name = {});

    // sameClock: the trace was written on the reference's machine (an experiment's own files),
    // so its times are taken as they are; otherwise its offset is estimated.
    void addTrace(std::shared_ptr<const Trace> trace, bool sameClock = false);

    const std::string& name() const { return m_name; }
    const std::vector<SourceTrack>& tracks() const { return m_tracks; }
    int64_t startNs() const;
    int64_t endNs() const;
    // The steps of the run, taken from the source that records them most precisely, plus the
    // steps that did not finish which only another source saw start (a process killed inside a
    // step leaves its start in the log it writes as it goes, and nothing in the files it writes
    // when a span ends). Each step names its track.
    std::vector<Step> steps() const;
    // Index of the track steps() reads, or -1 when no track has steps.
    int stepTrack() const;
    // The step a span of any track speaks for ("llm_call#2"), or "" when none: a step span by its
    // own track's numbering, a failed attempt by its command, anything else by the step whose
    // time holds it.
    std::string stepLabelOf(int track, int32_t span) const;

    // The run's process was killed (the experiment saw it die). When the moment is known (run
    // time), the spans that did not finish and had started by then end then; otherwise they
    // last until their trace's last record. Call after the traces are added.
    void markKilled(std::optional<int64_t> atNs);
    bool killed() const { return m_killed; }
    // When the process was killed (run time), if known.
    std::optional<int64_t> killedAt() const { return m_killedAt; }
    // Restate's own outages during the run; the run's time span covers them (a server down when
    // the run was submitted is part of the run).
    void addOutage(Outage outage);
    const std::vector<Outage>& outages() const { return m_outages; }

private:
    std::string m_name;
    std::vector<SourceTrack> m_tracks;
    bool m_killed = false;
    std::optional<int64_t> m_killedAt;
    std::vector<Outage> m_outages;
};

// How far `other`'s clock is from `reference`'s (add the result to other's times), and how many
// spans the estimate rests on. Median of per-span differences, robust to a few odd pairs.
struct ClockOffset
{
    int64_t offsetNs = 0;
    int32_t linkedSpans = 0;
    int32_t matchedSteps = 0;
};
ClockOffset estimateOffset(const Trace& reference, const Trace& other);

} // namespace tt::timeline
