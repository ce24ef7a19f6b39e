// SPDX-License-Identifier: MIT
#include "nvml.h"
#include "nvmlabi.h"

#include <QDateTime>

#include <dlfcn.h>

namespace tt::engine {

namespace {

// NVML's own types (nvmlabi.h); 0 is NVML_SUCCESS.
using nvmlReturn = nvmlReturn_t;
using nvmlDevice = nvmlDevice_t;
using NvmlMemory = nvmlMemory_t;
using NvmlUtilization = nvmlUtilization_t;

template <class F> F symbol(void* library, const char* name)
{
    return reinterpret_cast<F>(dlsym(library, name));
}

} // namespace

struct Nvml::Api
{
    nvmlReturn (*init)() = nullptr;
    nvmlReturn (*shutdown)() = nullptr;
    nvmlReturn (*deviceCount)(unsigned int*) = nullptr;
    nvmlReturn (*handle)(unsigned int, nvmlDevice*) = nullptr;
    nvmlReturn (*name)(nvmlDevice, char*, unsigned int) = nullptr;
    nvmlReturn (*memory)(nvmlDevice, NvmlMemory*) = nullptr;
    nvmlReturn (*utilization)(nvmlDevice, NvmlUtilization*) = nullptr;
    nvmlReturn (*compute)(nvmlDevice, int*, int*) = nullptr;
    nvmlReturn (*driver)(char*, unsigned int) = nullptr;
    nvmlReturn (*cudaDriver)(int*) = nullptr;
};

std::unique_ptr<Nvml> Nvml::open(QString& reason)
{
#ifndef TT_GPU_TELEMETRY
    reason = QStringLiteral("no GPU telemetry: built with TT_GPU_TELEMETRY=OFF");
    return nullptr;
#endif
    const QByteArray path = qEnvironmentVariableIsSet("TT_NVML_LIBRARY")
        ? qgetenv("TT_NVML_LIBRARY")
        : QByteArrayLiteral("libnvidia-ml.so.1");
    void* library = dlopen(path.constData(), RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        reason = QStringLiteral("no GPU: %1 cannot be loaded (no NVIDIA driver on this machine)")
                     .arg(QString::fromLocal8Bit(path));
        return nullptr;
    }
    auto api = std::make_unique<Api>();
    api->init = symbol<decltype(api->init)>(library, "nvmlInit_v2");
    api->shutdown = symbol<decltype(api->shutdown)>(library, "nvmlShutdown");
    api->deviceCount = symbol<decltype(api->deviceCount)>(library, "nvmlDeviceGetCount_v2");
    api->handle = symbol<decltype(api->handle)>(library, "nvmlDeviceGetHandleByIndex_v2");
    api->name = symbol<decltype(api->name)>(library, "nvmlDeviceGetName");
    api->memory = symbol<decltype(api->memory)>(library, "nvmlDeviceGetMemoryInfo");
    api->utilization = symbol<decltype(api->utilization)>(library, "nvmlDeviceGetUtilizationRates");
    api->compute = symbol<decltype(api->compute)>(library, "nvmlDeviceGetCudaComputeCapability");
    api->driver = symbol<decltype(api->driver)>(library, "nvmlSystemGetDriverVersion");
    api->cudaDriver = symbol<decltype(api->cudaDriver)>(library, "nvmlSystemGetCudaDriverVersion");
    if (!api->init || !api->shutdown || !api->deviceCount || !api->handle || !api->name
        || !api->memory || !api->utilization) {
        reason = QStringLiteral("no GPU: %1 lacks NVML's entry points")
                     .arg(QString::fromLocal8Bit(path));
        dlclose(library);
        return nullptr;
    }
    if (const nvmlReturn status = api->init(); status != 0) {
        reason = QStringLiteral("no GPU: NVML could not start (error %1: driver not loaded, or "
                                "no device visible to this process)")
                     .arg(status);
        dlclose(library);
        return nullptr;
    }
    std::unique_ptr<Nvml> nvml(new Nvml);
    nvml->m_library = library;
    nvml->m_path = QString::fromLocal8Bit(path);
    nvml->m_api = std::move(api);
    return nvml;
}

Nvml::~Nvml()
{
    if (m_api && m_api->shutdown)
        m_api->shutdown();
    if (m_library)
        dlclose(m_library);
}

QString Nvml::driverVersion() const
{
    char text[96] = {};
    if (!m_api->driver || m_api->driver(text, sizeof text) != 0)
        return {};
    return QString::fromLatin1(text);
}

QString Nvml::cudaDriverVersion() const
{
    int version = 0;
    if (!m_api->cudaDriver || m_api->cudaDriver(&version) != 0 || version <= 0)
        return {};
    return QStringLiteral("%1.%2").arg(version / 1000).arg((version % 1000) / 10);
}

std::vector<GpuDevice> Nvml::devices() const
{
    std::vector<GpuDevice> out;
    unsigned int count = 0;
    if (m_api->deviceCount(&count) != 0)
        return out;
    for (unsigned int i = 0; i < count && i < 64; ++i) {
        nvmlDevice device = nullptr;
        if (m_api->handle(i, &device) != 0)
            continue;
        GpuDevice info;
        info.index = int(i);
        char name[96] = {};
        if (m_api->name(device, name, sizeof name) == 0)
            info.name = QString::fromLatin1(name);
        NvmlMemory memory {};
        if (m_api->memory(device, &memory) == 0)
            info.memoryTotalBytes = memory.total;
        if (m_api->compute)
            m_api->compute(device, &info.computeMajor, &info.computeMinor);
        out.push_back(info);
    }
    return out;
}

std::optional<GpuReading> Nvml::read(int index) const
{
    nvmlDevice device = nullptr;
    if (index < 0 || m_api->handle(unsigned(index), &device) != 0)
        return std::nullopt;
    GpuReading reading;
    reading.timeNs = QDateTime::currentMSecsSinceEpoch() * 1'000'000;
    reading.device = index;
    NvmlUtilization utilization {};
    if (m_api->utilization(device, &utilization) == 0) {
        reading.utilizationPct = utilization.gpu;
        reading.memoryUtilizationPct = utilization.memory;
    }
    NvmlMemory memory {};
    if (m_api->memory(device, &memory) == 0)
        reading.memoryUsedBytes = memory.used;
    return reading;
}

QString cudaRuntimeVersion(QString& reason)
{
    const QByteArray path = qEnvironmentVariableIsSet("TT_CUDART_LIBRARY")
        ? qgetenv("TT_CUDART_LIBRARY")
        : QByteArray();
    // The library path first, then the CUDA Toolkit's usual home.
    const char* candidates[] = { "libcudart.so", "libcudart.so.13", "libcudart.so.12",
        "libcudart.so.11.0", "/usr/local/cuda/lib64/libcudart.so",
        "/usr/local/cuda/targets/sbsa-linux/lib/libcudart.so" };
    void* library = nullptr;
    if (!path.isEmpty())
        library = dlopen(path.constData(), RTLD_NOW | RTLD_LOCAL);
    for (const char* name : candidates)
        if (!library && path.isEmpty())
            library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        reason = QStringLiteral("no CUDA runtime (libcudart) on the library path");
        return {};
    }
    using Get = int (*)(int*);
    const auto get = symbol<Get>(library, "cudaRuntimeGetVersion");
    int version = 0;
    QString out;
    if (get && get(&version) == 0 && version > 0)
        out = QStringLiteral("%1.%2").arg(version / 1000).arg((version % 1000) / 10);
    else
        reason = QStringLiteral("libcudart did not report its version");
    dlclose(library);
    return out;
}

} // namespace tt::engine
