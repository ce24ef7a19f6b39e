#!/usr/bin/env bash
# The GPU machine's check (issue 10), one prepared script of a few minutes: builds, runs the GPU
# tests against the real NVIDIA driver, `twintrace env`, and a short experiment with telemetry,
# then says what it saw. Results go to $OUT (the device tool's folder) or gpu-check/.
set -uo pipefail
cd "$(dirname "$0")/.."
out=${OUT:-gpu-check}
mkdir -p "$out"
start=$(date +%s)
say() { echo "== $*" | tee -a "$out/summary.txt"; }
nvidia-smi --query-gpu=name,compute_cap,memory.total,driver_version --format=csv > "$out/nvidia-smi.csv" 2>&1
say "nvidia-smi: $(tail -n +2 "$out/nvidia-smi.csv" | head -1)"
if ! scripts/setup.sh dev > "$out/setup.log" 2>&1; then
  say "set-up or build failed (see setup.log)"; tail -20 "$out/setup.log"; exit 1
fi
say "built in $(( $(date +%s) - start )) s"
build/bin/tst_gpu > "$out/tst_gpu.log" 2>&1; rc=$?
say "tst_gpu exit $rc: $(grep -E 'GPU:|PASSED|FAILED|SKIPPED' "$out/tst_gpu.log" | tr '\n' ' ')"
build/bin/twintrace env --json > "$out/env.json" 2> "$out/env.stderr"
say "env: $(python3 -c "import json;d=json.load(open('$out/env.json'));g=d['gpu'];print(g['ok'],g.get('value'),g.get('driver',''),g.get('cuda_driver',''))" 2>&1)"
QT_QPA_PLATFORM=offscreen build/bin/twintrace run --scenarios nominal,transient-llm-k3 --runs 1 \
  --time-scale 0.1 --out "$out/experiment" > "$out/run.log" 2>&1
say "experiment exit $?: $(grep -c . "$out/experiment/gpu.jsonl" 2>/dev/null || echo 0) GPU readings"
grep -m1 '| GPU |' "$out/experiment/RESTATE_POC_RESULTS.md" | tee -a "$out/summary.txt"
cp "$out/experiment/images/pair-transient-llm-k3.png" "$out/" 2>/dev/null
say "done in $(( $(date +%s) - start )) s"
