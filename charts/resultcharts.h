// SPDX-License-Identifier: MIT
#pragma once

#include "engine/experiment/stats.h"

#include <QString>
#include <QStringList>

class QChart;

namespace tt::charts {

// The experiment's charts, built with Qt Charts behind this small adapter (Qt Charts is
// deprecated after Qt 6.10; only this folder knows it): success rate by scenario and variant
// with its 95 % interval, wall-time distributions, LLM calls and retries.
QChart* successChart(const engine::Summary& summary);
QChart* latencyChart(const engine::Summary& summary, const std::vector<engine::RunRecord>& runs);
QChart* callsChart(const engine::Summary& summary);

// Renders the three charts offscreen into DIR/images/*.png at twice their size (HiDPI) and
// returns their paths relative to DIR. Needs a QApplication (offscreen is fine).
QStringList renderResultCharts(const engine::Summary& summary,
    const std::vector<engine::RunRecord>& runs, const QString& dir, QString& error);

} // namespace tt::charts
