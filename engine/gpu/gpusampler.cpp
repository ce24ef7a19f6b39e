// SPDX-License-Identifier: MIT
#include "gpusampler.h"

#include <QFile>

#include <nlohmann/json.hpp>

#include <cstdio>

namespace tt::engine {

GpuSampler::GpuSampler(std::unique_ptr<Nvml> nvml, QString path, int periodMs)
    : m_nvml(std::move(nvml))
    , m_path(std::move(path))
    , m_periodMs(std::max(10, periodMs))
{ }

GpuSampler::~GpuSampler()
{
    stop();
}

bool GpuSampler::start(QString& error)
{
    if (!m_nvml) {
        error = QStringLiteral("no GPU to sample");
        return false;
    }
    m_devices = m_nvml->devices();
    if (m_devices.empty()) {
        error = QStringLiteral("NVML sees no GPU");
        return false;
    }
    m_file = std::fopen(QFile::encodeName(m_path).constData(), "a");
    if (!m_file) {
        error = QStringLiteral("cannot write %1").arg(m_path);
        return false;
    }
    m_thread = std::thread([this]() { loop(); });
    return true;
}

void GpuSampler::stop()
{
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    if (m_thread.joinable())
        m_thread.join();
    if (m_file) {
        std::fclose(m_file);
        m_file = nullptr;
    }
}

int GpuSampler::samplesWritten() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_written;
}

void GpuSampler::loop()
{
    std::unique_lock<std::mutex> lock(m_mutex);
    while (!m_stopping) {
        lock.unlock();
        int written = 0;
        for (const GpuDevice& device : m_devices) {
            const auto reading = m_nvml->read(device.index);
            if (!reading)
                continue;
            const nlohmann::json line = { { "object", "twintrace.gpu_sample" },
                { "time_ns", reading->timeNs }, { "device", device.index },
                { "name", device.name.toStdString() },
                { "utilization_pct", reading->utilizationPct },
                { "memory_utilization_pct", reading->memoryUtilizationPct },
                { "memory_used_bytes", reading->memoryUsedBytes },
                { "memory_total_bytes", device.memoryTotalBytes }, { "period_ms", m_periodMs } };
            const std::string text = line.dump() + "\n";
            std::fwrite(text.data(), 1, text.size(), m_file);
            ++written;
        }
        std::fflush(m_file);
        lock.lock();
        m_written += written;
        m_wake.wait_for(
            lock, std::chrono::milliseconds(m_periodMs), [this]() { return m_stopping; });
    }
}

} // namespace tt::engine
