// SPDX-License-Identifier: MIT
#include "browsermodel.h"

#include "engine/experiment/catalog.h"

#include "gui/qtext.h"
#include "gui/timeline/spanstyle.h"

#include <QDir>
#include <QFileInfo>
#include <QIcon>
#include <QPainter>
#include <QPixmap>

namespace tt::gui {

struct BrowserNode
{
    using NodeKind = BrowserModel::NodeKind;
    using Node = BrowserNode;
    NodeKind kind = NodeKind::Group;
    QString key; // what identifies it among its siblings
    QString label;
    Node* parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    std::optional<engine::RunRecord> run;
    std::shared_ptr<const timeline::Trace> trace;

    int row = 0; // among its parent's children
    Node* child(const QString& childKey) const
    {
        for (const auto& c : children)
            if (c->key == childKey)
                return c.get();
        return nullptr;
    }
    // Successes and runs under this node.
    std::pair<int, int> tally() const
    {
        if (run)
            return { run->success ? 1 : 0, 1 };
        std::pair<int, int> sum { 0, 0 };
        for (const auto& c : children) {
            const auto [ok, all] = c->tally();
            sum.first += ok;
            sum.second += all;
        }
        return sum;
    }
};

namespace {

QIcon dotIcon(const QColor& color)
{
    QPixmap pixmap(16, 16);
    pixmap.fill(Qt::transparent);
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(color);
    painter.drawEllipse(QRectF(3, 3, 10, 10));
    return QIcon(pixmap);
}

const QIcon& successIcon()
{
    static const QIcon icon = dotIcon(QColor(0x3a, 0x9a, 0x5b));
    return icon;
}
const QIcon& failureIcon()
{
    static const QIcon icon = dotIcon(errorColor());
    return icon;
}
const QIcon& mixedIcon()
{
    static const QIcon icon = dotIcon(QColor(0xe0, 0x7b, 0x39));
    return icon;
}

} // namespace

BrowserModel::BrowserModel(QObject* parent)
    : TreeModel(parent)
{
    m_root = std::make_unique<Node>();
    auto group = [this](const QString& label) {
        auto node = std::make_unique<Node>();
        node->label = label;
        node->key = label;
        node->parent = m_root.get();
        node->row = int(m_root->children.size());
        m_root->children.push_back(std::move(node));
        return m_root->children.back().get();
    };
    m_experiments = group(tr("Experiments"));
    m_imports = group(tr("Imported"));
}

BrowserModel::~BrowserModel() = default;

BrowserNode* BrowserModel::ensureChild(Node* parent, NodeKind kind, const QString& key)
{
    if (Node* existing = parent->child(key))
        return existing;
    const int row = int(parent->children.size());
    beginInsertRows(indexOf(parent), row, row);
    auto node = std::make_unique<Node>();
    node->kind = kind;
    node->key = key;
    node->label = key;
    node->parent = parent;
    node->row = row;
    parent->children.push_back(std::move(node));
    endInsertRows();
    return parent->children.back().get();
}

void BrowserModel::addRun(const QString& dir, const engine::RunRecord& run)
{
    const QString absolute = QFileInfo(dir).absoluteFilePath();
    Node* experiment = ensureChild(m_experiments, NodeKind::Experiment, absolute);
    experiment->label = QDir(absolute).dirName();
    Node* scenario = ensureChild(experiment, NodeKind::Scenario, run.scenario);
    Node* variant = ensureChild(scenario, NodeKind::Variant, run.variant);
    const QString key = QStringLiteral("#%1").arg(run.runIndex);
    Node* node = ensureChild(variant, NodeKind::Run, key);
    node->run = run;
    // The run and every row above it may change their tallies and icons.
    for (Node* n = node; n && n != m_root.get(); n = n->parent)
        emit dataChanged(indexOf(n, 0), indexOf(n, ColumnCount - 1));
}

QModelIndex BrowserModel::addImport(
    const QString& source, std::vector<std::shared_ptr<const timeline::Trace>> traces)
{
    Node* import = ensureChild(m_imports, NodeKind::Import, source);
    import->label = source.contains(QLatin1String("://")) ? source : QFileInfo(source).fileName();
    for (auto& trace : traces) {
        const QString key = toQString(trace->origin) + QLatin1Char('|') + toQString(trace->id)
            + QLatin1Char('|') + toQString(timeline::toString(trace->source));
        Node* node = ensureChild(import, NodeKind::Trace, key);
        node->label = toQString(trace->name.empty() ? trace->id : trace->name);
        node->trace = std::move(trace);
    }
    emit dataChanged(indexOf(import, 0), indexOf(import, ColumnCount - 1));
    return indexOf(import, 0);
}

QString BrowserModel::importSourceOf(const QModelIndex& index) const
{
    const QModelIndex import = kindOf(index) == NodeKind::Trace ? index.parent() : index;
    return kindOf(import) == NodeKind::Import ? import.data(PathRole).toString() : QString();
}

BrowserModel::NodeKind BrowserModel::kindOf(const QModelIndex& index) const
{
    return nodeOf(index)->kind;
}

const engine::RunRecord* BrowserModel::runAt(const QModelIndex& index) const
{
    const Node* node = nodeOf(index);
    return node->run ? &*node->run : nullptr;
}

QString BrowserModel::experimentDirOf(const QModelIndex& index) const
{
    for (const Node* n = nodeOf(index); n; n = n->parent)
        if (n->kind == NodeKind::Experiment)
            return n->key;
    return {};
}

std::shared_ptr<const timeline::Trace> BrowserModel::traceAt(const QModelIndex& index) const
{
    return nodeOf(index)->trace;
}

std::vector<std::shared_ptr<const timeline::Trace>> BrowserModel::tracesUnder(
    const QModelIndex& index) const
{
    const Node* node = nodeOf(index);
    if (node->trace)
        return { node->trace };
    std::vector<std::shared_ptr<const timeline::Trace>> traces;
    if (node->kind == NodeKind::Import)
        for (const auto& child : node->children)
            traces.push_back(child->trace);
    return traces;
}

QModelIndex BrowserModel::findRun(
    const QString& dir, const QString& scenario, const QString& variant, int index) const
{
    const Node* experiment = m_experiments->child(QFileInfo(dir).absoluteFilePath());
    const Node* s = experiment ? experiment->child(scenario) : nullptr;
    const Node* v = s ? s->child(variant) : nullptr;
    const Node* r = v ? v->child(QStringLiteral("#%1").arg(index)) : nullptr;
    return indexOf(r);
}

QModelIndex BrowserModel::sibling(const QModelIndex& runIndex, const QString& variant) const
{
    const engine::RunRecord* run = runAt(runIndex);
    if (!run || run->variant == variant)
        return {};
    return findRun(experimentDirOf(runIndex), run->scenario, variant, run->runIndex);
}

QStringList BrowserModel::otherVariantsOf(const QModelIndex& runIndex) const
{
    QStringList variants;
    for (const QString& variant : engine::knownVariants())
        if (sibling(runIndex, variant).isValid())
            variants << variant;
    return variants;
}

QModelIndex BrowserModel::counterpartOf(const QModelIndex& runIndex) const
{
    const engine::RunRecord* run = runAt(runIndex);
    if (!run)
        return {};
    QStringList preferred = run->variant == QLatin1String("restate")
        ? QStringList { QStringLiteral("baseline"), QStringLiteral("baseline-restart") }
        : QStringList { QStringLiteral("restate") };
    preferred += otherVariantsOf(runIndex);
    for (const QString& variant : preferred)
        if (const QModelIndex other = sibling(runIndex, variant); other.isValid())
            return other;
    return {};
}

QModelIndex BrowserModel::firstRunUnder(const QModelIndex& index) const
{
    const Node* node = nodeOf(index);
    while (node && !node->run)
        node = node->children.empty() ? nullptr : node->children.front().get();
    return indexOf(node);
}

QModelIndex BrowserModel::importsRoot() const
{
    return indexOf(m_imports);
}

QModelIndex BrowserModel::experimentsRoot() const
{
    return indexOf(m_experiments);
}

int BrowserModel::traceCount() const
{
    int count = 0;
    for (const auto& import : m_imports->children)
        count += int(import->children.size());
    return count;
}

QModelIndex BrowserModel::index(int row, int column, const QModelIndex& parent) const
{
    return treeIndex(row, column, parent);
}

QModelIndex BrowserModel::parent(const QModelIndex& child) const
{
    return treeParent(child);
}

int BrowserModel::rowCount(const QModelIndex& parent) const
{
    return treeRowCount(parent);
}

int BrowserModel::columnCount(const QModelIndex&) const
{
    return ColumnCount;
}

QString BrowserModel::resultText(const Node& node) const
{
    if (node.run)
        return node.run->outcome;
    if (node.trace)
        return node.trace->errorCount > 0
            ? counted(node.trace->errorCount, tr("error"), tr("errors"))
            : counted(qint64(node.trace->spans.size()), tr("span"), tr("spans"));
    if (node.kind == NodeKind::Import)
        return counted(qint64(node.children.size()), tr("trace"), tr("traces"));
    const auto [ok, all] = node.tally();
    return all > 0 ? tr("%1/%2 ok").arg(ok).arg(all) : QString();
}

QVariant BrowserModel::decoration(const Node& node) const
{
    if (node.trace)
        return node.trace->errorCount > 0 ? failureIcon() : successIcon();
    const auto [ok, all] = node.tally();
    if (all == 0)
        return {};
    return ok == all ? successIcon() : ok == 0 ? failureIcon() : mixedIcon();
}

QVariant BrowserModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid())
        return {};
    const Node& node = *nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case Name:
            return node.run ? tr("run %1").arg(node.run->runIndex) : node.label;
        case Result:
            return resultText(node);
        case Time:
            if (node.run)
                return QStringLiteral("%1 s").arg(node.run->wallMs / 1000, 0, 'f', 2);
            if (node.trace)
                return formatDuration(node.trace->durationNs());
            return {};
        }
        return {};
    case Qt::DecorationRole:
        return index.column() == Name ? decoration(node) : QVariant();
    case Qt::ToolTipRole:
        if (node.run && !node.run->message.isEmpty())
            return node.run->message;
        if (node.kind == NodeKind::Experiment || node.kind == NodeKind::Import)
            return node.key;
        if (node.trace)
            return toQString(node.trace->origin);
        return {};
    case KindRole:
        return int(node.kind);
    case PathRole:
        return node.kind == NodeKind::Experiment || node.kind == NodeKind::Import ? node.key
                                                                                  : QVariant();
    default:
        return {};
    }
}

QVariant BrowserModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    return columnTitle({ tr("Name"), tr("Result"), tr("Time") }, section, orientation, role);
}

} // namespace tt::gui
