// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/resultstore.h"
#include "importers/timeline/trace.h"

#include "gui/treemodel.h"

#include <memory>
#include <optional>
#include <vector>

namespace tt::gui {

struct BrowserNode;

// The browser on the left: experiments (results folders) -> scenarios -> variants -> runs, and
// the imported files -> their traces. Status icons say success or failure at a glance.
class BrowserModel : public TreeModel<BrowserNode>
{
    Q_OBJECT
public:
    enum class NodeKind
    {
        Group, // "Experiments", "Imported"
        Experiment,
        Scenario,
        Variant,
        Run,
        Import, // one opened file, folder or URL
        Trace,
    };
    enum Column
    {
        Name,
        Result,
        Time,
        ColumnCount
    };
    enum Role
    {
        KindRole = Qt::UserRole, // NodeKind as int
        PathRole, // experiment folder or import source
    };

    explicit BrowserModel(QObject* parent = nullptr);
    ~BrowserModel() override;

    // Adds a run of the experiment in dir (creating its experiment, scenario and variant rows),
    // or updates it when it is already there.
    void addRun(const QString& dir, const engine::RunRecord& run);
    // Adds one opened source and its traces; its row.
    QModelIndex addImport(
        const QString& source, std::vector<std::shared_ptr<const timeline::Trace>> traces);

    NodeKind kindOf(const QModelIndex& index) const;
    const engine::RunRecord* runAt(const QModelIndex& index) const;
    QString experimentDirOf(const QModelIndex& index) const; // for any row under an experiment
    std::shared_ptr<const timeline::Trace> traceAt(const QModelIndex& index) const;
    // An import's traces, or one trace's.
    std::vector<std::shared_ptr<const timeline::Trace>> tracesUnder(const QModelIndex& index) const;
    // The run a run is paired with (same scenario and index): baseline and restate with each
    // other (the plan's comparison), baseline-restart with restate (what Restate saves over a
    // restart loop); failing that, any other variant there is.
    QModelIndex counterpartOf(const QModelIndex& runIndex) const;
    // The run of the same scenario and index with `variant`, if there is one.
    QModelIndex sibling(const QModelIndex& runIndex, const QString& variant) const;
    // The variants the run's scenario and index have, besides the run's own (knownVariants order).
    QStringList otherVariantsOf(const QModelIndex& runIndex) const;
    QModelIndex findRun(
        const QString& dir, const QString& scenario, const QString& variant, int index) const;
    // The first run under any row (a scenario opens its first pair).
    QModelIndex firstRunUnder(const QModelIndex& index) const;
    // The opened source (file, folder, URL) of an import or one of its traces: its path.
    QString importSourceOf(const QModelIndex& index) const;
    QModelIndex importsRoot() const;
    QModelIndex experimentsRoot() const;
    int traceCount() const;

    QModelIndex index(int row, int column, const QModelIndex& parent = {}) const override;
    QModelIndex parent(const QModelIndex& child) const override;
    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    using Node = BrowserNode;
    Node* ensureChild(Node* parent, NodeKind kind, const QString& key);
    QVariant decoration(const Node& node) const;
    QString resultText(const Node& node) const;

    Node* m_experiments = nullptr;
    Node* m_imports = nullptr;
};

} // namespace tt::gui
