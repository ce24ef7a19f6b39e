// SPDX-License-Identifier: MIT
#pragma once

#include <QWidget>

class QListWidget;
class QPushButton;

namespace tt::gui {

// What the window shows while nothing is open: each way in is one click (run the experiment,
// open a results folder, the sample runs, traces or a Restate admin URL, a recent source).
class FirstScreen : public QWidget
{
    Q_OBJECT
public:
    enum class Action
    {
        RunExperiment,
        OpenResults,
        OpenSample,
        ImportTraces,
        OpenAdminUrl,
    };

    explicit FirstScreen(QWidget* parent = nullptr);

    void setRecentSources(const QStringList& sources);
    QPushButton* button(Action action) const;
    QListWidget* recentList() const { return m_recent; }

signals:
    void actionRequested(tt::gui::FirstScreen::Action action);
    void recentRequested(const QString& source);

private:
    QPushButton* addButton(Action action, const QString& text, const QString& detail);

    std::vector<std::pair<Action, QPushButton*>> m_buttons;
    QListWidget* m_recent;
};

} // namespace tt::gui
