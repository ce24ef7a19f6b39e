// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/divergence.h"
#include "importers/timeline/lanes.h"
#include "importers/timeline/runview.h"

#include <QString>

#include <memory>
#include <optional>
#include <vector>

namespace tt::gui {

// Everything one pane shows, built off the GUI thread and then only read: the run's traces on
// one clock, their lanes, and the steps the alignment works on.
struct PaneRun
{
    timeline::RunView run;
    timeline::LaneLayout lanes;
    std::vector<timeline::Step> steps;
    int stepTrack = -1;
    QString title; // "baseline · crash-at-llm_call_2 #1"
    QString outcome; // "success", "crashed"... empty for imported traces
    bool failed = false;
    // What importing these traces reported: the window's Warnings tab lists those of the runs
    // on screen, nothing else.
    std::vector<timeline::Warning> warnings;
    // What the divergence paragraph reads besides the traces: the run's record and the stand-in's
    // requests, for a run of an experiment; absent for imported traces.
    std::optional<engine::RunRecord> record;
    std::vector<engine::LlmRequest> llm;
};

// Where two panes' runs part, in words (engine::explainDivergence).
engine::Divergence explainPanes(const PaneRun& left, const PaneRun& right);

// Builds the lanes and steps of a run view (cheap enough for the GUI thread with a few thousand
// spans; the background loaders call it for large ones).
std::shared_ptr<const PaneRun> makePaneRun(timeline::RunView run, QString title,
    QString outcome = {}, bool failed = false, std::vector<timeline::Warning> warnings = {});

} // namespace tt::gui
