// SPDX-License-Identifier: MIT
#include "langsmithdialog.h"

#include "gui/settings/appsettings.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

namespace tt::gui {

LangSmithDialog::LangSmithDialog(QWidget* parent)
    : QDialog(parent)
    , m_project(new QLineEdit)
    , m_trace(new QLineEdit)
    , m_since(new QLineEdit)
    , m_errorsOnly(new QCheckBox(tr("Only runs with an error")))
{
    setWindowTitle(tr("Import from the LangSmith API"));
    m_project->setPlaceholderText(tr("project name or id"));
    m_trace->setPlaceholderText(tr("optional: one trace id"));
    m_since->setPlaceholderText(tr("optional: ISO 8601, e.g. 2026-11-26T00:00:00Z"));
    auto* form = new QFormLayout(this);
    form->addRow(tr("API"), new QLabel(settings::langSmithUrl().toHtmlEscaped()));
    form->addRow(tr("Key"),
        new QLabel(hasKey() ? settings::maskedKey(settings::langSmithKey())
                            : tr("none: set it in File > Settings")));
    form->addRow(tr("Project"), m_project);
    form->addRow(tr("Trace"), m_trace);
    form->addRow(tr("Since"), m_since);
    form->addRow(QString(), m_errorsOnly);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

bool LangSmithDialog::hasKey() const
{
    return !settings::langSmithKey().isEmpty();
}

importers::langsmith::RunQuery LangSmithDialog::query() const
{
    importers::langsmith::RunQuery query;
    query.project = m_project->text().trimmed().toStdString();
    query.traceId = m_trace->text().trimmed().toStdString();
    query.since = m_since->text().trimmed().toStdString();
    query.errorsOnly = m_errorsOnly->isChecked();
    return query;
}

} // namespace tt::gui
