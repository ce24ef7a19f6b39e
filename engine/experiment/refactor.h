// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <optional>

namespace tt::engine {

// The plan's refactor-size criterion is about the team's Writer: `--refactor SPEC` names it
// before and after the durable refactor, as
// - BEFORE:AFTER, each a file, several files joined by '+', or a folder;
// - REPO:REV1..REV2:PATH, a file or folder of a git repository at two revisions.
// In folders, files are matched by their path inside the folder; a file only after counts whole.
struct RefactorCount
{
    int addedLines = 0; // code lines the durable version adds (not blank, not comments)
    int files = 0; // files compared on the after side
    QString described; // what was compared, for the report
};

// Nothing with a reason (a missing file, a bad revision, a malformed spec).
std::optional<RefactorCount> countRefactor(const QString& spec, QString& error);

// The spec with absolute paths and git revisions pinned to commits: what the store keeps, so a
// report written later from another folder counts the same code.
QString absoluteRefactorSpec(const QString& spec);

// How to measure it, for a report that could not.
QString refactorHowTo();

} // namespace tt::engine
