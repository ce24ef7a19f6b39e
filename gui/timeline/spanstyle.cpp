// SPDX-License-Identifier: MIT
#include "spanstyle.h"

#include <QObject>

#include <algorithm>
#include <cstdlib>
#include <string>

namespace tt::gui {

QColor errorColor()
{
    return QColor(0xd6, 0x45, 0x45);
}

QColor kindColor(timeline::SpanKind kind)
{
    using timeline::SpanKind;
    switch (kind) {
    case SpanKind::LlmCall:
        return QColor(0x3b, 0x82, 0xc4);
    case SpanKind::ToolCall:
        return QColor(0x3a, 0x9a, 0x5b);
    case SpanKind::Agent:
        return QColor(0x8e, 0x6c, 0xc0);
    case SpanKind::Run:
        return QColor(0x6b, 0x72, 0x80);
    case SpanKind::LogLine:
        return QColor(0xd9, 0x8b, 0x2b);
    case SpanKind::JournalEntry:
        return QColor(0x1f, 0x9e, 0xa8);
    case SpanKind::RetryAttempt:
        return QColor(0xe0, 0x7b, 0x39);
    case SpanKind::Suspension:
        return QColor(0xa7, 0x8b, 0xd0);
    case SpanKind::GpuSample:
        return QColor(0x76, 0xb9, 0x00);
    default:
        return QColor(0x9c, 0xa3, 0xaf);
    }
}

QColor spanColor(const timeline::Trace& trace, const timeline::Span& span)
{
    const timeline::SpanKind kind = trace.spanKind(span);
    if (kind == timeline::SpanKind::Lifecycle) {
        // Restate's invocation states, in the colours its own UI uses for them (roughly).
        const std::string_view state = trace.spanName(span);
        if (state == "running")
            return QColor(0x93, 0xc5, 0xfd);
        if (state == "backing-off")
            return QColor(0xf5, 0x9e, 0x0b);
        if (state == "paused")
            return QColor(0xfb, 0xbf, 0x24);
        if (state == "suspended")
            return QColor(0xc4, 0xb5, 0xfd);
        if (state == "completed")
            return QColor(0x86, 0xc9, 0x9a);
        if (state == "failed" || state == "killed" || state == "cancelled")
            return errorColor();
        return QColor(0xd1, 0xd5, 0xdb); // pending, scheduled, inboxed
    }
    if (kind == timeline::SpanKind::GpuSample) {
        // GPU readings are named "<busy> % · <memory> GiB" (importers/gpu): the busier, the
        // darker, so that load reads at a glance along the lane.
        const int busy = std::clamp(std::atoi(std::string(trace.spanName(span)).c_str()), 0, 100);
        return QColor::fromHsl(84, 160, 200 - busy * 120 / 100);
    }
    return span.hasError() ? errorColor() : kindColor(kind);
}

QColor rowColor(timeline::RowStatus status)
{
    using timeline::RowStatus;
    switch (status) {
    case RowStatus::Same:
        return QColor(0x9c, 0xa3, 0xaf);
    case RowStatus::Slower:
        return QColor(0xe0, 0x7b, 0x39);
    case RowStatus::Faster:
        return QColor(0x3a, 0x9a, 0x5b);
    case RowStatus::Changed:
        return errorColor();
    case RowStatus::OnlyLeft:
    case RowStatus::OnlyRight:
        return QColor(0x8e, 0x6c, 0xc0);
    }
    return Qt::gray;
}

QString rowLabel(timeline::RowStatus status)
{
    using timeline::RowStatus;
    switch (status) {
    case RowStatus::Same:
        return QObject::tr("same");
    case RowStatus::Slower:
        return QObject::tr("slower");
    case RowStatus::Faster:
        return QObject::tr("faster");
    case RowStatus::Changed:
        return QObject::tr("changed");
    case RowStatus::OnlyLeft:
        return QObject::tr("only left");
    case RowStatus::OnlyRight:
        return QObject::tr("only right");
    }
    return {};
}

QString toleranceLegend(const timeline::AlignOptions& options)
{
    return QObject::tr("same: <%1% or <%2 ms")
        .arg(options.relativeTolerance * 100, 0, 'f', 0)
        .arg(double(options.absoluteToleranceNs) / 1e6, 0, 'g', 3);
}

QString formatDuration(int64_t ns, bool sign)
{
    const QString prefix = !sign ? QString()
        : ns > 0                 ? QStringLiteral("+")
        : ns < 0                 ? QStringLiteral("−")
                                 : QString();
    const int64_t magnitude = sign ? std::llabs(ns) : ns;
    const double ms = double(magnitude) / 1e6;
    if (magnitude == 0)
        return QStringLiteral("0");
    if (std::llabs(magnitude) < 1'000'000)
        return prefix + QStringLiteral("%1 µs").arg(double(magnitude) / 1e3, 0, 'f', 0);
    if (std::llabs(magnitude) < 1'000'000'000)
        return prefix + QStringLiteral("%1 ms").arg(ms, 0, 'f', 1);
    return prefix + QStringLiteral("%1 s").arg(ms / 1000, 0, 'f', 2);
}

} // namespace tt::gui
