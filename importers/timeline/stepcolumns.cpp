// SPDX-License-Identifier: MIT
#include "stepcolumns.h"

#include "alignment.h"

#include <algorithm>

namespace tt::timeline {

namespace {

// The columns' order, built run by run: each run aligned against the columns found so far.
struct Merge
{
    std::vector<Step> columns; // kind, name and occurrence of each column, in order
    std::vector<int32_t> ids; // a column's id stays put while others are inserted around it
    std::vector<std::vector<int32_t>> idOfStep; // per run, per step

    void add(const std::vector<Step>& steps)
    {
        const std::vector<AlignedRow> rows = alignSteps(columns, steps);
        std::vector<Step> mergedColumns;
        std::vector<int32_t> mergedIds;
        std::vector<int32_t> ofStep(steps.size(), -1);
        for (const AlignedRow& row : rows) {
            int32_t id;
            if (row.left >= 0) {
                id = ids[size_t(row.left)];
                mergedColumns.push_back(columns[size_t(row.left)]);
            } else {
                id = int32_t(nextId++);
                mergedColumns.push_back(steps[size_t(row.right)]);
            }
            mergedIds.push_back(id);
            if (row.right >= 0)
                ofStep[size_t(row.right)] = id;
        }
        columns = std::move(mergedColumns);
        ids = std::move(mergedIds);
        idOfStep.push_back(std::move(ofStep));
    }

    size_t nextId = 0;
};

} // namespace

StepColumns alignColumns(const std::vector<ColumnRun>& runs)
{
    Merge merge;
    for (const ColumnRun& run : runs)
        merge.add(*run.steps);

    StepColumns out;
    std::vector<int32_t> positionOfId(merge.nextId, -1);
    for (size_t i = 0; i < merge.ids.size(); ++i) {
        positionOfId[size_t(merge.ids[i])] = int32_t(i);
        out.columns.push_back({ merge.columns[i].kind, merge.columns[i].label(), 0, 0 });
    }
    for (size_t r = 0; r < runs.size(); ++r) {
        std::vector<int32_t> columnOf;
        std::vector<int32_t> stepIn(out.columns.size(), -1);
        for (size_t s = 0; s < merge.idOfStep[r].size(); ++s) {
            const int32_t column = positionOfId[size_t(merge.idOfStep[r][s])];
            columnOf.push_back(column);
            stepIn[size_t(column)] = int32_t(s);
        }
        out.columnOfStep.push_back(std::move(columnOf));
        out.stepInColumn.push_back(std::move(stepIn));
    }

    // Left to right, each column starts once every run could have reached it at its own pace
    // and the column before has room for its slowest instance.
    std::vector<int32_t> previousStep(runs.size(), -1);
    for (size_t c = 0; c < out.columns.size(); ++c) {
        StepColumn& column = out.columns[c];
        if (c > 0)
            column.startNs = out.columns[c - 1].startNs + out.columns[c - 1].widthNs;
        for (size_t r = 0; r < runs.size(); ++r) {
            const int32_t s = out.stepInColumn[r][c];
            if (s < 0)
                continue;
            const std::vector<Step>& steps = *runs[r].steps;
            const Step& step = steps[size_t(s)];
            const int32_t before = previousStep[r];
            const int64_t reached = before < 0
                ? std::max<int64_t>(0, step.startNs - runs[r].startNs)
                : out.columns[size_t(out.columnOfStep[r][size_t(before)])].startNs
                    + std::max<int64_t>(0, step.startNs - steps[size_t(before)].startNs);
            column.startNs = std::max(column.startNs, reached);
            column.widthNs = std::max(column.widthNs, step.durationNs());
            previousStep[r] = s;
        }
    }
    for (size_t r = 0; r < runs.size(); ++r) {
        const int32_t last = previousStep[r];
        int64_t end = std::max<int64_t>(0, runs[r].endNs - runs[r].startNs);
        if (last >= 0) {
            const Step& step = (*runs[r].steps)[size_t(last)];
            end = out.stepStart(r, size_t(last))
                + std::max(step.durationNs(), runs[r].endNs - step.startNs);
        }
        out.runEndNs.push_back(end);
        out.lengthNs = std::max(out.lengthNs, end);
    }
    if (!out.columns.empty())
        out.lengthNs
            = std::max(out.lengthNs, out.columns.back().startNs + out.columns.back().widthNs);
    return out;
}

} // namespace tt::timeline
