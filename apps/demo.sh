#!/usr/bin/env bash
# The demo: for now it validates and summarises the shared WfCommons workloads.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
CLI="$ROOT/$BUILD/bin/causality"
SHARED=${CAUSALITY_SHARED:-$ROOT/../shared}
for wf in "$SHARED"/workloads/wfcommons/*.json; do
  echo "== $(basename "$wf")"
  "$CLI" validate "$wf" --platform "$SHARED/workloads/platforms/hetero-3.json"
done
