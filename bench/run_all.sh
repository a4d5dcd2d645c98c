#!/usr/bin/env bash
# Runs every benchmark binary built in BUILD/bench (or only the one named).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build-release}; shift || true
only=${1:-}
for b in "$ROOT/$BUILD"/bin/bench_*; do
  [ -x "$b" ] || continue
  name=$(basename "$b")
  [ -n "$only" ] && [ "$name" != "$only" ] && [ "$name" != "bench_$only" ] && continue
  echo "== $name" >&2
  "$b" "${@:2}"
done
