// SPDX-License-Identifier: MIT
#pragma once

#include "engine/env/envcheck.h"

#include <QDialog>

class QLabel;
class QPushButton;
class QTreeWidget;

namespace tt::gui {

// Help > Environment check: what `twintrace env` checks (Restate, the LLM endpoint, the GPU,
// disk, versions), run off the GUI thread, each item green or red with its reason and fix.
class EnvDialog : public QDialog
{
    Q_OBJECT
public:
    explicit EnvDialog(QWidget* parent = nullptr);
    void check();
    QTreeWidget* items() const { return m_items; }

signals:
    void checked();

private:
    void showItems(const std::vector<engine::EnvItem>& items);

    QTreeWidget* m_items;
    QLabel* m_state;
    QPushButton* m_again;
};

} // namespace tt::gui
