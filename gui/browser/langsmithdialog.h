// SPDX-License-Identifier: MIT
#pragma once

#include "importers/langsmith/langsmithclient.h"

#include <QDialog>

class QCheckBox;
class QLabel;
class QLineEdit;

namespace tt::gui {

// File > Import from LangSmith API: which project's runs (a trace id, a start time, errors
// only), read with the URL and key of the settings (the key shown masked, never in full).
class LangSmithDialog : public QDialog
{
    Q_OBJECT
public:
    explicit LangSmithDialog(QWidget* parent = nullptr);
    importers::langsmith::RunQuery query() const;
    bool hasKey() const;

private:
    QLineEdit* m_project;
    QLineEdit* m_trace;
    QLineEdit* m_since;
    QCheckBox* m_errorsOnly;
};

} // namespace tt::gui
