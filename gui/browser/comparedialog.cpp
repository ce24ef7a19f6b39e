// SPDX-License-Identifier: MIT
#include "comparedialog.h"

#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QVBoxLayout>

namespace tt::gui {

QString traceFileFilter()
{
    return QObject::tr("All files, recognized by content (*);;JSON and JSON lines (*.json *.jsonl "
                       "*.ndjson);;Logs and text (*.log *.txt *.out)");
}

CompareDialog::CompareDialog(QWidget* parent)
    : QDialog(parent)
    , m_compare(new QPushButton(tr("&Compare")))
{
    setWindowTitle(tr("Compare two sources"));
    resize(620, 160);
    auto* intro = new QLabel(tr("Two trace files, folders (a Restate snapshot, a folder of "
                                "traces) or Restate admin URLs: the first is shown on the left, "
                                "the second on the right."));
    intro->setWordWrap(true);
    auto* form = new QFormLayout;
    for (int side : { 0, 1 }) {
        m_sources[side] = new QLineEdit;
        m_sources[side]->setAccessibleName(side == 0 ? tr("Left source") : tr("Right source"));
        m_sources[side]->setPlaceholderText(tr("a file, a folder or http://127.0.0.1:9070"));
        connect(m_sources[side], &QLineEdit::textChanged, this, &CompareDialog::updateButton);
        auto* file = new QPushButton(tr("File..."));
        auto* folder = new QPushButton(tr("Folder..."));
        connect(file, &QPushButton::clicked, this, [this, side]() {
            const QString path = QFileDialog::getOpenFileName(
                this, tr("Trace file"), m_sources[side]->text(), traceFileFilter());
            if (!path.isEmpty())
                m_sources[side]->setText(path);
        });
        connect(folder, &QPushButton::clicked, this, [this, side]() {
            const QString path = QFileDialog::getExistingDirectory(
                this, tr("Folder of traces"), m_sources[side]->text());
            if (!path.isEmpty())
                m_sources[side]->setText(path);
        });
        auto* row = new QHBoxLayout;
        row->addWidget(m_sources[side], 1);
        row->addWidget(file);
        row->addWidget(folder);
        form->addRow(side == 0 ? tr("Left") : tr("Right"), row);
    }
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Cancel);
    buttons->addButton(m_compare, QDialogButtonBox::AcceptRole);
    m_compare->setDefault(true);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(form);
    layout->addWidget(buttons);
    updateButton();
}

QString CompareDialog::source(int side) const
{
    return m_sources[side == 0 ? 0 : 1]->text().trimmed();
}

void CompareDialog::setSource(int side, const QString& source)
{
    m_sources[side == 0 ? 0 : 1]->setText(source);
}

void CompareDialog::updateButton()
{
    m_compare->setEnabled(!source(0).isEmpty() && !source(1).isEmpty());
}

} // namespace tt::gui
