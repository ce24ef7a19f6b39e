// SPDX-License-Identifier: MIT
// A stand-in for NVIDIA's libnvidia-ml.so.1 with the few entry points TwinTrace opens: one GPU,
// "TwinTrace Test GPU", compute capability 9.0, 80 GiB, a load that moves on every reading. It
// lets the tests run the real dlopen and sampling path on machines without a GPU; the GPU
// machine's script checks the real library. Documented in tests/fixtures/README.md.
#include <cstring>

namespace {
unsigned g_reads = 0;
constexpr unsigned long long kTotal = 80ull << 30;
struct Memory
{
    unsigned long long total, free, used;
};
struct Utilization
{
    unsigned int gpu, memory;
};
} // namespace

extern "C" {

int nvmlInit_v2()
{
    return 0;
}

int nvmlShutdown()
{
    return 0;
}

int nvmlDeviceGetCount_v2(unsigned int* count)
{
    *count = 1;
    return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned int index, void** device)
{
    if (index != 0)
        return 2; // NVML_ERROR_INVALID_ARGUMENT
    *device = reinterpret_cast<void*>(0x1);
    return 0;
}

int nvmlDeviceGetName(void*, char* name, unsigned int length)
{
    std::strncpy(name, "TwinTrace Test GPU", length - 1);
    name[length - 1] = 0;
    return 0;
}

int nvmlDeviceGetMemoryInfo(void*, Memory* memory)
{
    memory->total = kTotal;
    memory->used = (8ull << 30) + (g_reads % 8) * (1ull << 30);
    memory->free = memory->total - memory->used;
    return 0;
}

int nvmlDeviceGetUtilizationRates(void*, Utilization* utilization)
{
    ++g_reads;
    utilization->gpu = (g_reads * 17) % 101;
    utilization->memory = (g_reads * 7) % 101;
    return 0;
}

int nvmlDeviceGetCudaComputeCapability(void*, int* major, int* minor)
{
    *major = 9;
    *minor = 0;
    return 0;
}

int nvmlSystemGetDriverVersion(char* version, unsigned int length)
{
    std::strncpy(version, "550.00-test", length - 1);
    version[length - 1] = 0;
    return 0;
}

int nvmlSystemGetCudaDriverVersion(int* version)
{
    *version = 12040;
    return 0;
}

} // extern "C"
