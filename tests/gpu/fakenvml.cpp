// SPDX-License-Identifier: MIT
// A stand-in for NVIDIA's libnvidia-ml.so.1 with the few entry points TwinTrace opens: one GPU,
// "TwinTrace Test GPU", compute capability 9.0, 80 GiB, a load that moves on every reading. It
// lets the tests run the real dlopen and sampling path on machines without a GPU; the GPU
// machine's script checks the real library. Documented in tests/fixtures/README.md.
#include "engine/gpu/nvmlabi.h"

#include <cstring>

namespace {
unsigned g_reads = 0;
constexpr unsigned long long kTotal = 80ull << 30;
} // namespace

extern "C" {

nvmlReturn_t nvmlInit_v2()
{
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlShutdown()
{
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCount_v2(unsigned int* count)
{
    *count = 1;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetHandleByIndex_v2(unsigned int index, nvmlDevice_t* device)
{
    if (index != 0)
        return NVML_ERROR_INVALID_ARGUMENT;
    *device = reinterpret_cast<nvmlDevice_t>(0x1);
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetName(nvmlDevice_t, char* name, unsigned int length)
{
    std::strncpy(name, "TwinTrace Test GPU", length - 1);
    name[length - 1] = 0;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetMemoryInfo(nvmlDevice_t, nvmlMemory_t* memory)
{
    memory->total = kTotal;
    memory->used = (8ull << 30) + (g_reads % 8) * (1ull << 30);
    memory->free = memory->total - memory->used;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetUtilizationRates(nvmlDevice_t, nvmlUtilization_t* utilization)
{
    ++g_reads;
    utilization->gpu = (g_reads * 17) % 101;
    utilization->memory = (g_reads * 7) % 101;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlDeviceGetCudaComputeCapability(nvmlDevice_t, int* major, int* minor)
{
    *major = 9;
    *minor = 0;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetDriverVersion(char* version, unsigned int length)
{
    std::strncpy(version, "550.00-test", length - 1);
    version[length - 1] = 0;
    return NVML_SUCCESS;
}

nvmlReturn_t nvmlSystemGetCudaDriverVersion(int* version)
{
    *version = 12040;
    return NVML_SUCCESS;
}

} // extern "C"
