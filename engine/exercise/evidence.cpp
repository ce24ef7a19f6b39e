// SPDX-License-Identifier: MIT
#include "evidence.h"

#include "importers/timeline/lanes.h"

#include <algorithm>

namespace tt::engine {

namespace {

bool showsTrouble(const timeline::Trace& trace, const timeline::Span& span)
{
    if (span.hasError() || (span.flags & timeline::SpanFlag::NoEnd))
        return true;
    const timeline::SpanKind kind = trace.spanKind(span);
    if (kind == timeline::SpanKind::RetryAttempt)
        return true;
    const std::string_view name = trace.spanName(span);
    return kind == timeline::SpanKind::Lifecycle && (name == "backing-off" || name == "paused");
}

} // namespace

EvidenceDepth evidenceDepth(const timeline::RunView& run, const QString& truthStep)
{
    EvidenceDepth depth;
    // The sources in the order the window's lanes show them.
    std::vector<int> order;
    // GPU readings are not entries anyone reads for a fault.
    for (const timeline::Lane& lane : timeline::layoutLanes(run).lanes)
        if (lane.group != timeline::LaneGroup::Gpu
            && std::find(order.begin(), order.end(), lane.track) == order.end())
            order.push_back(lane.track);
    const std::string truth = truthStep.toStdString();
    for (int track : order) {
        const timeline::Trace& trace = *run.tracks()[size_t(track)].trace;
        for (size_t i = 0; i < trace.spans.size(); ++i) {
            ++depth.rows;
            if (depth.found)
                continue;
            ++depth.rowsRead;
            if (showsTrouble(trace, trace.spans[i]) && run.stepLabelOf(track, int32_t(i)) == truth)
                depth.found = true;
        }
    }
    if (!depth.found)
        depth.rowsRead = depth.rows;
    return depth;
}

std::vector<EvidenceDepth> measureEvidence(
    const ExperimentResults& results, const ExperimentJournals& journals)
{
    std::vector<EvidenceDepth> out;
    for (const Scenario& scenario : results.scenarios) {
        if (scenario.faultStep.isEmpty())
            continue;
        for (DebugView view : { DebugView::Today, DebugView::Restate }) {
            const RunRecord* first = nullptr;
            for (const RunRecord& run : results.runs)
                if (run.scenario == scenario.id && run.variant == variantOf(view)
                    && (!first || run.runIndex < first->runIndex))
                    first = &run;
            if (!first)
                continue;
            EvidenceDepth depth
                = evidenceDepth(runViewOfRun(results.dir, *first, journals), scenario.faultStep);
            depth.scenario = scenario.id;
            depth.view = view;
            depth.runIndex = first->runIndex;
            out.push_back(depth);
        }
    }
    return out;
}

} // namespace tt::engine
