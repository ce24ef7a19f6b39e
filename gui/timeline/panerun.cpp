// SPDX-License-Identifier: MIT
#include "panerun.h"

namespace tt::gui {

std::shared_ptr<const PaneRun> makePaneRun(timeline::RunView run, QString title, QString outcome,
    bool failed, std::vector<timeline::Warning> warnings)
{
    auto pane = std::make_shared<PaneRun>();
    pane->lanes = timeline::layoutLanes(run);
    pane->steps = run.steps();
    pane->stepTrack = run.stepTrack();
    pane->run = std::move(run);
    pane->title = std::move(title);
    pane->outcome = std::move(outcome);
    pane->failed = failed;
    pane->warnings = std::move(warnings);
    return pane;
}

engine::Divergence explainPanes(const PaneRun& left, const PaneRun& right)
{
    const auto side = [](const PaneRun& pane) {
        return engine::ExplainedRun { pane.record ? pane.record->variant : pane.title, &pane.run,
            pane.record ? &*pane.record : nullptr, pane.llm };
    };
    return engine::explainDivergence(side(left), side(right));
}

} // namespace tt::gui
