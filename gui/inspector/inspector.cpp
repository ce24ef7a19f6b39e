// SPDX-License-Identifier: MIT
#include "inspector.h"

#include "jsontreemodel.h"

#include "gui/qtext.h"
#include "gui/timeline/spanstyle.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QTreeView>
#include <QVBoxLayout>

namespace tt::gui {

namespace {

// A 50 MB payload must not freeze the window: the inspector shows at most this much of it.
constexpr size_t kMaxPayloadBytes = 256 * 1024;

double msBetween(int64_t fromNs, int64_t toNs)
{
    return double(toNs - fromNs) / 1e6;
}

QJsonValue payloadValue(std::string_view payload)
{
    if (payload.empty())
        return QJsonValue();
    const size_t shown = std::min(payload.size(), kMaxPayloadBytes);
    const QByteArray bytes(payload.data(), qsizetype(shown));
    QJsonParseError error {};
    const QJsonDocument document = QJsonDocument::fromJson(bytes, &error);
    QJsonValue value;
    if (error.error == QJsonParseError::NoError)
        value = document.isObject() ? QJsonValue(document.object()) : QJsonValue(document.array());
    else
        value = QString::fromUtf8(bytes);
    if (shown < payload.size()) {
        QJsonObject cut;
        cut[QStringLiteral("shown")] = value;
        cut[QStringLiteral("not_shown_bytes")] = double(payload.size() - shown);
        return cut;
    }
    return value;
}

QJsonArray flagNames(uint8_t flags)
{
    namespace F = timeline::SpanFlag;
    QJsonArray names;
    const std::pair<uint8_t, const char*> all[] = { { F::ParentMissing, "parent missing" },
        { F::EndBeforeStart, "ended before it started (clamped)" }, { F::NoEnd, "no end recorded" },
        { F::DuplicateId, "duplicate id" }, { F::ParentCycle, "parent cycle cut" } };
    for (const auto& [flag, name] : all)
        if (flags & flag)
            names.append(QLatin1String(name));
    return names;
}

} // namespace

QJsonObject describeSpan(const PaneRun& run, const SpanRef& ref)
{
    const auto& track = run.run.tracks()[size_t(ref.track)];
    const auto& trace = *track.trace;
    const auto& span = trace.spans[size_t(ref.span)];
    const int64_t runStart = run.run.startNs();

    QJsonObject attributes;
    attributes[QStringLiteral("name")] = toQString(trace.spanName(span));
    attributes[QStringLiteral("kind")] = toQString(timeline::toString(trace.spanKind(span)));
    attributes[QStringLiteral("source")] = toQString(timeline::toString(trace.source));
    attributes[QStringLiteral("status")] = span.unfinished()
        ? QStringLiteral("did not finish")
        : toQString(timeline::toString(span.status));
    attributes[QStringLiteral("start_ms")] = msBetween(runStart, span.startNs + track.offsetNs);
    // An unfinished span's duration is how long it was seen running, at least.
    attributes[span.unfinished() ? QStringLiteral("open_for_at_least_ms")
                                 : QStringLiteral("duration_ms")]
        = msBetween(0, span.durationNs());
    attributes[QStringLiteral("id")] = toQString(trace.str(span.id));
    if (span.parent >= 0)
        attributes[QStringLiteral("parent")]
            = toQString(trace.spanName(trace.spans[size_t(span.parent)]));
    if (!trace.str(span.linkId).empty())
        attributes[QStringLiteral("link_id")] = toQString(trace.str(span.linkId));
    attributes[QStringLiteral("trace")] = toQString(trace.id);
    attributes[QStringLiteral("file")] = toQString(trace.origin);
    if (span.flags)
        attributes[QStringLiteral("import_notes")] = flagNames(span.flags);

    QJsonObject out;
    out[QStringLiteral("span")] = attributes;
    if (span.hasError())
        out[QStringLiteral("error")] = span.error.empty() && span.unfinished()
            ? QStringLiteral("did not finish: its start was recorded, its end never was (the "
                             "process was killed, is still running, or the end was lost)")
            : toQString(trace.str(span.error));

    // The step this span belongs to, with every attempt and its failure.
    for (const auto& step : run.steps) {
        if (step.track != ref.track
            || std::find(step.attempts.begin(), step.attempts.end(), ref.span)
                == step.attempts.end())
            continue;
        QJsonArray attempts;
        for (int32_t index : step.attempts) {
            const auto& a = trace.spans[size_t(index)];
            QJsonObject attempt;
            attempt[QStringLiteral("start_ms")] = msBetween(runStart, a.startNs + track.offsetNs);
            attempt[QStringLiteral("duration_ms")] = msBetween(0, a.durationNs());
            attempt[QStringLiteral("status")] = a.unfinished()
                ? QStringLiteral("did not finish")
                : toQString(timeline::toString(a.status));
            if (a.hasError())
                attempt[QStringLiteral("error")] = toQString(trace.str(a.error));
            attempts.append(attempt);
        }
        QJsonObject stepJson;
        stepJson[QStringLiteral("label")] = toQString(step.label());
        stepJson[QStringLiteral("duration_ms")] = msBetween(0, step.durationNs());
        stepJson[QStringLiteral("attempts")] = attempts;
        out[QStringLiteral("step")] = stepJson;
        break;
    }
    // Restate failed attempts hang under their command: list them with the command.
    QJsonArray children;
    for (size_t i = size_t(ref.span) + 1; i < trace.spans.size(); ++i) {
        const auto& child = trace.spans[i];
        if (child.startNs > span.endNs)
            break;
        if (child.parent == ref.span && trace.spanKind(child) == timeline::SpanKind::RetryAttempt) {
            QJsonObject attempt;
            attempt[QStringLiteral("name")] = toQString(trace.spanName(child));
            attempt[QStringLiteral("start_ms")]
                = msBetween(runStart, child.startNs + track.offsetNs);
            attempt[QStringLiteral("error")] = toQString(trace.str(child.error));
            children.append(attempt);
        }
    }
    if (!children.isEmpty())
        out[QStringLiteral("failed_attempts")] = children;
    const QJsonValue record = payloadValue(trace.str(span.payload));
    if (!record.isNull())
        out[QStringLiteral("record")] = record;
    return out;
}

Inspector::Inspector(QWidget* parent)
    : QWidget(parent)
    , m_title(new QLabel)
    , m_tree(new QTreeView)
    , m_model(new JsonTreeModel(this))
{
    setAccessibleName(tr("Inspector"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    m_tree->setModel(m_model);
    m_tree->setAlternatingRowColors(true);
    m_tree->setUniformRowHeights(true);
    m_tree->setAccessibleName(tr("Span details"));
    // The value gets the width: keys are short, and values say what they are (the Type
    // column is hidden). Long values wrap in their tooltip and copy whole.
    m_tree->header()->setSectionResizeMode(JsonTreeModel::Key, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(JsonTreeModel::Value, QHeaderView::Stretch);
    m_tree->setColumnHidden(JsonTreeModel::Type, true);
    // Copy: the current value (Ctrl+C or the context menu), or the whole document.
    m_tree->setContextMenuPolicy(Qt::ActionsContextMenu);
    auto* copyValue = new QAction(tr("&Copy value"), m_tree);
    copyValue->setShortcut(QKeySequence::Copy);
    copyValue->setShortcutContext(Qt::WidgetShortcut);
    connect(copyValue, &QAction::triggered, this,
        [this]() { QGuiApplication::clipboard()->setText(copyText(m_tree->currentIndex())); });
    auto* copyAll = new QAction(tr("Copy &everything as JSON"), m_tree);
    connect(copyAll, &QAction::triggered, this,
        [this]() { QGuiApplication::clipboard()->setText(copyText({})); });
    m_tree->addAction(copyValue);
    m_tree->addAction(copyAll);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(m_title);
    layout->addWidget(m_tree, 1);
    clear();
}

QString Inspector::copyText(const QModelIndex& index) const
{
    if (!index.isValid()) // everything shown, as shown (redacted and hidden words applied)
        return QString::fromUtf8(QJsonDocument(m_visible).toJson(QJsonDocument::Indented));
    // A whole string (an error message, a prompt), or an object or array as JSON.
    return m_model->jsonAt(index.siblingAtColumn(JsonTreeModel::Value));
}

QString Inspector::title() const
{
    return m_title->text();
}

void Inspector::clear()
{
    m_shown = {};
    m_visible = {};
    m_title->setText(tr("Click a span or a step to inspect it"));
    m_model->setJson(QJsonObject());
}

void Inspector::showSpan(const PaneRun* run, const SpanRef& span, const QJsonObject& alignment)
{
    if (!run || !span.isValid() || span.track >= int(run->run.tracks().size())) {
        clear();
        return;
    }
    m_shown = describeSpan(*run, span);
    if (!alignment.isEmpty())
        m_shown[QStringLiteral("compared")] = alignment;
    const QJsonObject attributes = m_shown.value(QStringLiteral("span")).toObject();
    // An exercise shows one run: no side to name.
    const QString side = !m_hidden.isEmpty() ? QString()
        : span.side == 0                     ? tr("left")
                                             : tr("right");
    m_title->setText(QStringLiteral("%1 — %2%3, %4")
                         .arg(attributes.value(QStringLiteral("name")).toString(),
                             side.isEmpty() ? side : side + QLatin1Char(' '),
                             attributes.value(QStringLiteral("source")).toString(),
                             attributes.value(QStringLiteral("status")).toString()));
    refresh();
}

void Inspector::setHiddenWords(const QStringList& words)
{
    m_hidden = words;
    refresh();
}

void Inspector::setRedactContent(bool redact)
{
    m_redact = redact;
    refresh();
}

void Inspector::refresh()
{
    if (m_shown.isEmpty())
        return;
    const Redact mode = m_redact ? Redact::SecretsAndContent : Redact::SecretsOnly;
    QJsonObject shown = redactJson(m_shown, mode).toObject();
    // A record that is not JSON (a log line, a cut payload) is text: all of it is content.
    const QJsonValue record = m_shown.value(QLatin1String("record"));
    if (record.isString()) {
        shown[QStringLiteral("record")] = redactText(record.toString(), mode);
    } else if (record.isObject() && record.toObject().value(QLatin1String("shown")).isString()) {
        QJsonObject cut = shown.value(QLatin1String("record")).toObject();
        cut[QStringLiteral("shown")]
            = redactText(record.toObject().value(QLatin1String("shown")).toString(), mode);
        shown[QStringLiteral("record")] = cut;
    }
    if (!m_hidden.isEmpty()) {
        QJsonObject attributes = shown.value(QLatin1String("span")).toObject();
        attributes.remove(QStringLiteral("file"));
        attributes.remove(QStringLiteral("trace"));
        shown[QStringLiteral("span")] = attributes;
        shown = hideWords(shown, m_hidden).toObject();
    }
    // What matters first: the span, its error, its step, the comparison, then the raw record.
    std::vector<std::pair<QString, QJsonValue>> sections;
    for (const char* key : { "span", "error", "step", "failed_attempts", "compared", "record" })
        if (shown.contains(QLatin1String(key)))
            sections.emplace_back(QLatin1String(key), shown.value(QLatin1String(key)));
    m_model->setSections(sections);
    m_visible = QJsonObject();
    for (const auto& [key, value] : sections)
        m_visible[key] = value;
    // Attributes, error, step and comparison open; the source's record (prompts, outputs)
    // stays folded until asked for.
    for (int row = 0; row < m_model->rowCount(); ++row) {
        const QModelIndex index = m_model->index(row, 0);
        m_tree->setExpanded(index, index.data().toString() != QLatin1String("record"));
    }
}

} // namespace tt::gui
