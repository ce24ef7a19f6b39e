// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>

class QLineEdit;
class QPushButton;

namespace tt::gui {

// The Open dialog's filter: every importer recognizes its input by content, so every file is
// offered; the named groups only narrow the list.
QString traceFileFilter();

// File > Compare: two sources (a trace file, a folder of them or a Restate snapshot, an admin
// URL), shown side by side once imported: the first on the left, the second on the right.
class CompareDialog : public QDialog
{
    Q_OBJECT
public:
    explicit CompareDialog(QWidget* parent = nullptr);

    QString source(int side) const;
    void setSource(int side, const QString& source);
    QPushButton* compareButton() const { return m_compare; }

private:
    void updateButton();

    QLineEdit* m_sources[2];
    QPushButton* m_compare;
};

} // namespace tt::gui
