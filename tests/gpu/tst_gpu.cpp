// SPDX-License-Identifier: MIT
// GPU telemetry: NVML opened at run time (the stand-in library here, the real one on a GPU
// machine), "no GPU" said plainly, the sampler's file, and its GPU lane.
#include "engine/gpu/gpusampler.h"
#include "importers/common/files.h"
#include "importers/timeline/lanes.h"

#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

using namespace tt;

namespace {

struct WithLibrary
{
    explicit WithLibrary(const char* path) { setenv("TT_NVML_LIBRARY", path, 1); }
    ~WithLibrary() { unsetenv("TT_NVML_LIBRARY"); }
};

} // namespace

TEST(Nvml, NoLibraryMeansNoGpuSaidPlainly)
{
    WithLibrary library("/nonexistent/libnvidia-ml.so.1");
    QString reason;
    EXPECT_EQ(engine::Nvml::open(reason), nullptr);
    EXPECT_TRUE(reason.startsWith(QLatin1String("no GPU"))) << reason.toStdString();
}

TEST(Nvml, TheRealLibraryWhenThisMachineHasAGpu)
{
    // On the GPU machine (scripts/gpu-check.sh) this reads the real NVIDIA driver; elsewhere it
    // says why it cannot, and skips.
    unsetenv("TT_NVML_LIBRARY");
    QString reason;
    const auto nvml = engine::Nvml::open(reason);
    if (!nvml)
        GTEST_SKIP() << reason.toStdString();
    const auto devices = nvml->devices();
    ASSERT_FALSE(devices.empty());
    EXPECT_FALSE(devices[0].name.isEmpty());
    EXPECT_GT(devices[0].memoryTotalBytes, 1ull << 30);
    EXPECT_GE(devices[0].computeMajor, 5);
    const auto reading = nvml->read(devices[0].index);
    ASSERT_TRUE(reading.has_value());
    EXPECT_LE(reading->utilizationPct, 100u);
    EXPECT_LE(reading->memoryUsedBytes, devices[0].memoryTotalBytes);
    std::printf("GPU: %s, compute %d.%d, %.1f GiB, driver %s, CUDA %s\n",
        qPrintable(devices[0].name), devices[0].computeMajor, devices[0].computeMinor,
        double(devices[0].memoryTotalBytes) / double(1ull << 30), qPrintable(nvml->driverVersion()),
        qPrintable(nvml->cudaDriverVersion()));
}

TEST(CudaRuntime, VersionWhenTheToolkitIsInstalled)
{
    // The CUDA runtime answers its version without a GPU: where the toolkit is, this is real.
    QString reason;
    const QString version = engine::cudaRuntimeVersion(reason);
    if (version.isEmpty())
        GTEST_SKIP() << reason.toStdString();
    EXPECT_TRUE(QRegularExpression(QStringLiteral("^\\d+\\.\\d+$")).match(version).hasMatch())
        << version.toStdString();
}

TEST(Nvml, DevicesAndReadingsThroughTheLoadedLibrary)
{
    WithLibrary library(TT_FAKE_NVML);
    QString reason;
    const auto nvml = engine::Nvml::open(reason);
    ASSERT_NE(nvml, nullptr) << reason.toStdString();
    EXPECT_EQ(nvml->driverVersion(), QStringLiteral("550.00-test"));
    EXPECT_EQ(nvml->cudaDriverVersion(), QStringLiteral("12.4"));
    const auto devices = nvml->devices();
    ASSERT_EQ(devices.size(), 1u);
    EXPECT_EQ(devices[0].name, QStringLiteral("TwinTrace Test GPU"));
    EXPECT_EQ(devices[0].computeMajor, 9);
    EXPECT_EQ(devices[0].memoryTotalBytes, 80ull << 30);
    const auto reading = nvml->read(0);
    ASSERT_TRUE(reading.has_value());
    EXPECT_LE(reading->utilizationPct, 100u);
    EXPECT_GE(reading->memoryUsedBytes, 8ull << 30);
    EXPECT_FALSE(nvml->read(3).has_value());
}

TEST(GpuSampler, WritesReadingsThatImportAsAGpuLane)
{
    WithLibrary library(TT_FAKE_NVML);
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gpu.jsonl"));
    QString reason;
    engine::GpuSampler sampler(engine::Nvml::open(reason), path, 20);
    ASSERT_TRUE(sampler.start(reason)) << reason.toStdString();
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    sampler.stop();
    const int written = sampler.samplesWritten();
    EXPECT_GE(written, 5);
    const auto result = importers::importPath(path.toStdString());
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_TRUE(result.warnings.empty());
    const auto& trace = result.traces[0];
    EXPECT_EQ(trace.source, timeline::Source::Gpu);
    EXPECT_EQ(trace.name, "GPU 0: TwinTrace Test GPU");
    EXPECT_EQ(int(trace.spans.size()), written);
    EXPECT_EQ(trace.spanKind(trace.spans[0]), timeline::SpanKind::GpuSample);
    EXPECT_NE(std::string(trace.spanName(trace.spans[0])).find("GiB"), std::string::npos);
    timeline::RunView run("gpu");
    run.addTrace(std::make_shared<const timeline::Trace>(trace));
    const auto lanes = timeline::layoutLanes(run);
    ASSERT_EQ(lanes.lanes.size(), 1u); // samples follow each other: one lane
    EXPECT_EQ(lanes.lanes[0].group, timeline::LaneGroup::Gpu);
    EXPECT_EQ(lanes.lanes[0].title, "GPU");
}

TEST(GpuImporter, BadLinesAreWarningsTheRestImports)
{
    QTemporaryDir dir;
    const QString path = dir.filePath(QStringLiteral("gpu.jsonl"));
    QFile file(path);
    ASSERT_TRUE(file.open(QIODevice::WriteOnly));
    file.write("{\"object\":\"twintrace.gpu_sample\",\"time_ns\":1000000000,\"device\":0,"
               "\"utilization_pct\":50,\"memory_used_bytes\":1073741824}\n"
               "{\"object\":\"twintrace.gpu_sample\",\"time_ns\":\"soon\"}\n"
               "{\"object\":\"twintrace.gpu_sample\",\"time_ns\":1200000000,\"device\":\"x\"}\n"
               "{\"object\":\"twintrace.gpu_sample\",\"time_ns\":9223372036854775807}\n"
               "{\"object\":\"twintrace.gpu_sample\",\"time_ns\":1300000000,\"device\":1e300}\n"
               "not json\n"
               "{\"object\":\"twintrace.gpu_sample\",\"time_ns\":1500000000,\"device\":0,"
               "\"utilization_pct\":70,\"memory_used_bytes\":2147483648}\n");
    file.close();
    const auto result = importers::importPath(path.toStdString());
    ASSERT_EQ(result.traces.size(), 1u);
    EXPECT_EQ(result.traces[0].spans.size(), 2u);
    // Wrong types, a clock past any real one and an absurd device are warnings, not crashes.
    ASSERT_EQ(result.warnings.size(), 5u);
    EXPECT_EQ(result.warnings[0].line, 2);
    EXPECT_EQ(result.warnings[4].line, 6);
    EXPECT_EQ(std::string(result.traces[0].spanName(result.traces[0].spans[1])), "70 % · 2.0 GiB");
}
