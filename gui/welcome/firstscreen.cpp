// SPDX-License-Identifier: MIT
#include "firstscreen.h"

#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace tt::gui {

FirstScreen::FirstScreen(QWidget* parent)
    : QWidget(parent)
    , m_recent(new QListWidget)
{
    setAccessibleName(tr("Start"));
    auto* column = new QVBoxLayout;
    auto* title = new QLabel(tr("<h2>Is durable execution worth it for the Writer?</h2>"
                                "Run the experiment, or open runs to compare them side by side."));
    title->setWordWrap(true);
    column->addWidget(title);
    column->addSpacing(12);
    addButton(Action::RunExperiment, tr("Run the experiment"),
        tr("Baseline and durable Writer through the fault scenarios (Ctrl+R)"));
    addButton(Action::OpenResults, tr("Open a results folder"),
        tr("An experiment run before: its runs, pairs, charts and report"));
    addButton(Action::OpenSample, tr("Open the sample runs"),
        tr("A clean run and a rate-limited one, lined up"));
    addButton(Action::ImportTraces, tr("Import traces"),
        tr("OpenAI Agents spans, LangSmith runs, trace.log, a Restate snapshot"));
    addButton(Action::OpenAdminUrl, tr("Import from a Restate admin URL"),
        tr("The invocations, journals and retries of a running restate-server"));
    for (const auto& [action, button] : m_buttons)
        column->addWidget(button);
    column->addSpacing(12);
    column->addWidget(new QLabel(tr("Recent sources")));
    m_recent->setAccessibleName(tr("Recent sources"));
    column->addWidget(m_recent);
    // One click opens a recent source, as one click starts everything else here.
    connect(m_recent, &QListWidget::itemClicked, this,
        [this](QListWidgetItem* item) { emit recentRequested(item->text()); });

    auto* centered = new QHBoxLayout(this);
    centered->addStretch(1);
    centered->addLayout(column, 2);
    centered->addStretch(1);
}

QPushButton* FirstScreen::addButton(Action action, const QString& text, const QString& detail)
{
    auto* button = new QPushButton(text);
    button->setToolTip(detail);
    button->setAccessibleDescription(detail);
    button->setMinimumHeight(36);
    connect(
        button, &QPushButton::clicked, this, [this, action]() { emit actionRequested(action); });
    m_buttons.emplace_back(action, button);
    return button;
}

QPushButton* FirstScreen::button(Action action) const
{
    for (const auto& [a, button] : m_buttons)
        if (a == action)
            return button;
    return nullptr;
}

void FirstScreen::setRecentSources(const QStringList& sources)
{
    m_recent->clear();
    m_recent->addItems(sources);
    m_recent->setVisible(!sources.isEmpty());
}

} // namespace tt::gui
