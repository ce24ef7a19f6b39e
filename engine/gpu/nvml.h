// SPDX-License-Identifier: MIT
#pragma once

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>
#include <vector>

namespace tt::engine {

struct GpuDevice
{
    int index = 0;
    QString name;
    int computeMajor = 0; // compute capability, 0.0 when unknown
    int computeMinor = 0;
    uint64_t memoryTotalBytes = 0;
};

// One reading of one device.
struct GpuReading
{
    int64_t timeNs = 0; // Unix epoch
    int device = 0;
    unsigned utilizationPct = 0; // GPU busy, last sample period
    unsigned memoryUtilizationPct = 0;
    uint64_t memoryUsedBytes = 0;
};

// NVIDIA's management library (NVML, libnvidia-ml.so.1), opened at run time: the same binary
// builds and runs where there is no GPU and then says so plainly. TT_NVML_LIBRARY names another
// library (tests use a stand-in that answers like one GPU).
class Nvml
{
public:
    // Nothing, with the reason ("no NVIDIA driver: libnvidia-ml.so.1 not found"), when NVML
    // cannot be used.
    static std::unique_ptr<Nvml> open(QString& reason);
    ~Nvml();
    Nvml(const Nvml&) = delete;
    Nvml& operator=(const Nvml&) = delete;

    QString libraryPath() const { return m_path; }
    QString driverVersion() const;
    // The CUDA version the driver supports ("12.4"), "" when unknown.
    QString cudaDriverVersion() const;
    std::vector<GpuDevice> devices() const;
    std::optional<GpuReading> read(int device) const;

private:
    struct Api;
    Nvml() = default;
    void* m_library = nullptr;
    QString m_path;
    std::unique_ptr<Api> m_api;
};

// The CUDA runtime's version ("12.4"), opened at run time too; "" with a reason without one.
QString cudaRuntimeVersion(QString& reason);

} // namespace tt::engine
