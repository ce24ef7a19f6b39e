// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

namespace tt::engine {

// A string the report did not write (catalog ids and descriptions, what the results store, the
// traces or the LLM hold) as inert Markdown text on one line: it reads the same, but nothing in
// it becomes HTML, a link, an image, code, bold text, a heading, a list, a quote or a table
// cell's border. Line breaks and control characters become spaces; the punctuation that would do
// it is escaped with a backslash (CommonMark and GFM show the character itself).
QString markdownText(const QString& text);

// Why an id (a scenario's, a group's) is not acceptable, or an empty string: ids are names on one
// line, so a control character (line breaks, escapes, bidi overrides) is refused.
QString idProblem(const QString& id);

} // namespace tt::engine
