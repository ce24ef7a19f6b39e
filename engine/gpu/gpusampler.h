// SPDX-License-Identifier: MIT
#pragma once

#include "nvml.h"

#include <QString>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <thread>

namespace tt::engine {

// Reads every GPU's load and memory at a fixed period on its own thread and appends each
// reading to a JSON-lines file as it goes (nothing lost if the experiment is killed). The
// importers read the file back as a GPU lane (importers/gpu).
class GpuSampler
{
public:
    GpuSampler(std::unique_ptr<Nvml> nvml, QString path, int periodMs = 500);
    ~GpuSampler(); // stops and joins
    GpuSampler(const GpuSampler&) = delete;
    GpuSampler& operator=(const GpuSampler&) = delete;

    bool start(QString& error);
    void stop();
    int samplesWritten() const;
    const std::vector<GpuDevice>& devices() const { return m_devices; }

private:
    void loop();

    std::unique_ptr<Nvml> m_nvml;
    QString m_path;
    int m_periodMs;
    std::vector<GpuDevice> m_devices;
    std::thread m_thread;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    bool m_stopping = false;
    int m_written = 0;
    std::FILE* m_file = nullptr;
};

} // namespace tt::engine
