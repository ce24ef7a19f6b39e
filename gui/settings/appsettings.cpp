// SPDX-License-Identifier: MIT
#include "appsettings.h"

#include "importers/langsmith/langsmithclient.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPalette>
#include <QSettings>
#include <QStyleFactory>

namespace tt::gui {

namespace settings {

namespace {
constexpr int kRecentLimit = 8;
}

QString theme()
{
    return QSettings().value(QStringLiteral("theme"), QStringLiteral("light")).toString();
}

void setTheme(const QString& value)
{
    QSettings().setValue(QStringLiteral("theme"), value);
    applyTheme(value);
}

void applyTheme(const QString& value)
{
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    if (value != QLatin1String("dark")) {
        QApplication::setPalette(QApplication::style()->standardPalette());
        return;
    }
    QPalette dark;
    const QColor window(0x2b, 0x2d, 0x31), base(0x1e, 0x1f, 0x22), text(0xe6, 0xe6, 0xe6);
    dark.setColor(QPalette::Window, window);
    dark.setColor(QPalette::WindowText, text);
    dark.setColor(QPalette::Base, base);
    dark.setColor(QPalette::AlternateBase, QColor(0x26, 0x28, 0x2c));
    dark.setColor(QPalette::Text, text);
    dark.setColor(QPalette::Button, window);
    dark.setColor(QPalette::ButtonText, text);
    dark.setColor(QPalette::ToolTipBase, base);
    dark.setColor(QPalette::ToolTipText, text);
    dark.setColor(QPalette::Mid, QColor(0x5a, 0x5d, 0x63));
    dark.setColor(QPalette::PlaceholderText, QColor(0x9a, 0x9d, 0xa3));
    dark.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xc4));
    dark.setColor(QPalette::HighlightedText, Qt::white);
    dark.setColor(QPalette::Link, QColor(0x7a, 0xb7, 0xf0));
    QApplication::setPalette(dark);
}

QStringList recentSources()
{
    return QSettings().value(QStringLiteral("recent")).toStringList();
}

void addRecentSource(const QString& source)
{
    QStringList recent = recentSources();
    recent.removeAll(source);
    recent.prepend(source);
    while (recent.size() > kRecentLimit)
        recent.removeLast();
    QSettings().setValue(QStringLiteral("recent"), recent);
}

bool redactScreenshots()
{
    return QSettings().value(QStringLiteral("redactScreenshots"), true).toBool();
}

void setRedactScreenshots(bool redact)
{
    QSettings().setValue(QStringLiteral("redactScreenshots"), redact);
}

QString langSmithUrl()
{
    return QSettings()
        .value(QStringLiteral("langsmith/url"), QStringLiteral("https://api.smith.langchain.com"))
        .toString();
}

QString langSmithKey()
{
    return QSettings().value(QStringLiteral("langsmith/key")).toString();
}

void setLangSmith(const QString& url, const QString& key)
{
    QSettings settings;
    settings.setValue(QStringLiteral("langsmith/url"), url);
    settings.setValue(QStringLiteral("langsmith/key"), key);
}

QString maskedKey(const QString& key)
{
    if (key.isEmpty())
        return QObject::tr("(none)");
    return QString::fromStdString(importers::langsmith::RunClient::maskedKey(key.toStdString()));
}

} // namespace settings

SettingsDialog::SettingsDialog(QWidget* parent)
    : QDialog(parent)
    , m_theme(new QComboBox)
    , m_redact(new QCheckBox(tr("Redact prompts, outputs and keys in screenshots")))
    , m_langSmithUrl(new QLineEdit(settings::langSmithUrl()))
    , m_langSmithKey(new QLineEdit(settings::langSmithKey()))
{
    setWindowTitle(tr("Settings"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    m_theme->addItem(tr("Dark"), QStringLiteral("dark"));
    m_theme->setCurrentIndex(settings::theme() == QLatin1String("dark") ? 1 : 0);
    m_redact->setChecked(settings::redactScreenshots());
    m_langSmithKey->setEchoMode(QLineEdit::Password);
    m_langSmithKey->setPlaceholderText(tr("lsv2_…"));
    m_langSmithKey->setAccessibleName(tr("LangSmith API key"));
    auto* form = new QFormLayout(this);
    form->addRow(tr("Theme"), m_theme);
    form->addRow(QString(), m_redact);
    form->addRow(tr("LangSmith API URL"), m_langSmithUrl);
    form->addRow(tr("LangSmith API key"), m_langSmithKey);
    auto* note = new QLabel(tr("For File > Import from LangSmith API: the key is kept in plain "
                               "text in this user's settings file, shown masked, and sent only "
                               "to the URL above, as x-api-key."));
    note->setWordWrap(true);
    form->addRow(note);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

void SettingsDialog::accept()
{
    settings::setTheme(m_theme->currentData().toString());
    settings::setRedactScreenshots(m_redact->isChecked());
    settings::setLangSmith(m_langSmithUrl->text().trimmed(), m_langSmithKey->text().trimmed());
    QDialog::accept();
}

} // namespace tt::gui
