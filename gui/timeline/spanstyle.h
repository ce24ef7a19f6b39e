// SPDX-License-Identifier: MIT
#pragma once

#include "importers/timeline/alignment.h"
#include "importers/timeline/trace.h"

#include <QColor>
#include <QString>

namespace tt::gui {

// One place for what colours mean, so that the panes, the gutter, the legend and the table agree.
QColor spanColor(const timeline::Trace& trace, const timeline::Span& span);
QColor kindColor(timeline::SpanKind kind);
QColor errorColor();
QColor rowColor(timeline::RowStatus status);
QString rowLabel(timeline::RowStatus status);
// What "same" means for a matched step: "same: <10 % or <5 ms" (a difference exceeds both).
QString toleranceLegend(const timeline::AlignOptions& options = {});

// "0", "850 µs", "12.3 ms", "4.56 s"; signed with a + or − when asked.
QString formatDuration(int64_t ns, bool sign = false);

} // namespace tt::gui
