// SPDX-License-Identifier: MIT
#pragma once

#include <QDialog>
#include <QStringList>

class QCheckBox;
class QComboBox;
class QLineEdit;

namespace tt::gui {

// What the window remembers between sessions (QSettings): theme, recent sources, redaction,
// and the LangSmith API connection. The API key is stored for the LangSmith importer only: it is
// shown masked, never logged, never drawn in a screenshot.
namespace settings {
QString theme(); // "light" or "dark"
void setTheme(const QString& theme);
void applyTheme(const QString& theme);
QStringList recentSources();
void addRecentSource(const QString& source);
bool redactScreenshots();
void setRedactScreenshots(bool redact);
QString langSmithUrl();
QString langSmithKey();
void setLangSmith(const QString& url, const QString& key);
// "lsv2_…a1b2": enough to tell two keys apart, never the key.
QString maskedKey(const QString& key);
} // namespace settings

class SettingsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit SettingsDialog(QWidget* parent = nullptr);
    void accept() override;

private:
    QComboBox* m_theme;
    QCheckBox* m_redact;
    QLineEdit* m_langSmithUrl;
    QLineEdit* m_langSmithKey;
};

} // namespace tt::gui
