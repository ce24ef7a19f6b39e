// SPDX-License-Identifier: MIT
#pragma once

// NVML's types for the few entry points TwinTrace opens at run time. With the CUDA Toolkit's
// nvml.h at hand they are its own; without it, these declarations mirror it (CUDA 11-13) under
// the same names, so that the real library, our calls and the tests' stand-in library all agree
// on every function's type.
#ifdef TT_HAVE_NVML_H
#include <nvml.h>
#else
extern "C" {
typedef enum nvmlReturn_enum
{
    NVML_SUCCESS = 0,
    NVML_ERROR_INVALID_ARGUMENT = 2,
} nvmlReturn_t;
typedef struct nvmlDevice_st* nvmlDevice_t;
typedef struct nvmlMemory_st
{
    unsigned long long total;
    unsigned long long free;
    unsigned long long used;
} nvmlMemory_t;
typedef struct nvmlUtilization_st
{
    unsigned int gpu;
    unsigned int memory;
} nvmlUtilization_t;
}
#endif
