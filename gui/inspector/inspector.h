// SPDX-License-Identifier: MIT
#pragma once

#include "redaction.h"

#include "gui/timeline/panerun.h"
#include "gui/timeline/viewcontroller.h"

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QTreeView;

namespace tt::gui {

class JsonTreeModel;

// What one span is: its attributes, its error, the attempts of its step (each failure), how
// the other run did the same step, and the source's own record (journal payloads decoded) as a
// JSON tree. Secrets are always masked; content too when redaction is on.
class Inspector : public QWidget
{
    Q_OBJECT
public:
    explicit Inspector(QWidget* parent = nullptr);

    void showSpan(const PaneRun* run, const SpanRef& span, const QJsonObject& alignment = {});
    void clear();
    void setRedactContent(bool redact);
    // Words that must not show (an exercise hides its scenario's name): replaced in every
    // value, and the file and trace attributes left out.
    void setHiddenWords(const QStringList& words);
    bool redactContent() const { return m_redact; }
    JsonTreeModel* model() const { return m_model; }
    QTreeView* tree() const { return m_tree; }
    QString title() const;
    // What "Copy value" puts on the clipboard for a row (a string as is, else JSON); for an
    // invalid index, everything shown as JSON.
    QString copyText(const QModelIndex& index) const;

private:
    void refresh();

    QLabel* m_title;
    QTreeView* m_tree;
    JsonTreeModel* m_model;
    QJsonObject m_shown;
    QJsonObject m_visible; // m_shown as displayed: redacted, hidden words replaced
    bool m_redact = false;
    QStringList m_hidden;
};

// The inspector's document for one span (exposed for tests and the exercise mode).
QJsonObject describeSpan(const PaneRun& run, const SpanRef& span);

} // namespace tt::gui
