// SPDX-License-Identifier: MIT
#include "envdialog.h"

#include "gui/qtext.h"
#include "gui/timeline/spanstyle.h"

#include "gui/whenready.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

namespace tt::gui {

namespace {

QIcon statusIcon(bool ok)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(ok ? QColor(0x3a, 0x9a, 0x5b) : errorColor());
    painter.drawEllipse(QRectF(3, 3, 10, 10));
    return QIcon(pixmap);
}

} // namespace

EnvDialog::EnvDialog(QWidget* parent)
    : QDialog(parent)
    , m_items(new QTreeWidget)
    , m_state(new QLabel)
    , m_again(new QPushButton(tr("Check &again")))
{
    setWindowTitle(tr("Environment check"));
    resize(900, 360);
    m_items->setHeaderLabels({ tr("Item"), tr("Found"), tr("Why"), tr("Fix") });
    m_items->setRootIsDecorated(false);
    m_items->setWordWrap(true);
    m_items->setAccessibleName(tr("Environment items"));
    m_items->header()->setSectionResizeMode(QHeaderView::ResizeToContents);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close);
    buttons->addButton(m_again, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_again, &QPushButton::clicked, this, &EnvDialog::check);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_state);
    layout->addWidget(m_items, 1);
    layout->addWidget(buttons);
}

void EnvDialog::check()
{
    m_again->setEnabled(false);
    m_state->setText(tr("Checking: starting restate-server and the LLM stand-in for a moment..."));
    whenReady(this, QtConcurrent::run([]() { return engine::checkEnvironment({}); }),
        [this](const std::vector<engine::EnvItem>& items) {
            showItems(items);
            m_again->setEnabled(true);
            emit checked();
        });
}

void EnvDialog::showItems(const std::vector<engine::EnvItem>& items)
{
    m_items->clear();
    int red = 0;
    for (const engine::EnvItem& item : items) {
        auto* row = new QTreeWidgetItem(m_items);
        row->setIcon(0, statusIcon(item.ok));
        row->setText(0, item.title);
        row->setText(1, item.value);
        row->setText(2, item.reason);
        row->setText(3, item.ok ? QString() : item.fix);
        row->setToolTip(2, item.reason);
        row->setToolTip(3, item.fix);
        red += item.ok ? 0 : 1;
    }
    m_state->setText(red == 0
            ? tr("Ready for an experiment.")
            : counted(red, tr("item"), tr("items")) + tr(" to fix before an experiment."));
}

} // namespace tt::gui
