// SPDX-License-Identifier: MIT
#pragma once

#include <QJsonObject>
#include <QString>

#include <vector>

namespace tt::engine {

// One line of `twintrace env`: green or red, what was found, why not, and what to do.
struct EnvItem
{
    QString key; // restate, llm, gpu, disk, versions
    QString title;
    bool ok = false;
    QString value; // "restate-server 1.7.12", "NVIDIA GH200, 9.0, 120 GiB"...
    QString reason; // why it is red (or what was checked)
    QString fix; // the command or setting that makes it green
    QJsonObject details; // the item's fields for --json
};

struct EnvOptions
{
    // A running Restate server's admin URL to check; empty: start the pinned one briefly.
    QString restateAdminUrl;
    // An OpenAI-compatible server (llama.cpp, vLLM) to ask for /v1/models; empty: start the
    // stand-in briefly.
    QString llmUrl;
    QString outDir = QStringLiteral("plannings"); // where results go: its disk's free space
    QString binDir; // twintrace-llm's folder (empty: beside this binary)
    int timeoutMs = 5000;
};

// Checks what an experiment needs before it starts: the Restate server (version, health,
// admin API, ingress, UI), the LLM endpoint (/v1/models), the GPU (NVML), free disk space and
// the versions the report lists. Blocking (it starts servers): off the GUI thread.
std::vector<EnvItem> checkEnvironment(const EnvOptions& options);

// {"restate":{"ok":…,"reason":…,…},"llm":{…},"gpu":{"available":bool,…},"disk":{…},
//  "versions":{…},"ok":bool} (DESIGN.md section 6).
QJsonObject envJson(const std::vector<EnvItem>& items);

} // namespace tt::engine
