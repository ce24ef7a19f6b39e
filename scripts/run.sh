#!/usr/bin/env bash
# TwinTrace's main job on its embedded default: the experiment matrix (nominal, the transient LLM
# fault sweep k = 1..5, a crash inside every step; 3 runs per cell, both Writers) on a local
# restate-server and the LLM stand-in, then the results report in plannings/. Run it again to
# resume an interrupted experiment. Arguments go to `twintrace run` (see `twintrace run --help`);
# the full study is `scripts/run.sh --scenarios all --runs 10`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh dev
out=plannings
args=("$@")
for ((i = 0; i < ${#args[@]}; i++)); do
  [[ "${args[i]}" == --out ]] && out="${args[i+1]}"
  [[ "${args[i]}" == --out=* ]] && out="${args[i]#--out=}"
done
status=0
build/bin/twintrace run --out "$out" "$@" || status=$?
echo "The report: $out/RESTATE_POC_RESULTS.md (full study: scripts/run.sh --scenarios all --runs 10)"
if [[ $status -eq 0 && -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" && "${QT_QPA_PLATFORM:-}" != offscreen ]]; then
  # The crash pair side by side: the baseline's trace and the durable run's Restate journal.
  pair="$out/runs/crash-at-llm_call_2"
  journals=$(ls -d "$out"/restate/*/ 2>/dev/null | head -1)
  if [[ -f "$pair/baseline-1/openai.jsonl" && -n "$journals" ]]; then
    exec build/bin/twintrace "$pair/baseline-1/openai.jsonl" "$pair/restate-1/openai.jsonl" "$journals"
  fi
fi
exit $status
