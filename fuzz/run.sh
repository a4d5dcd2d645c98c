#!/usr/bin/env bash
# fuzz/run.sh [seconds]: builds the libFuzzer targets with clang in
# build-fuzz (ASan+UBSan, loaders instrumented) and runs each for `seconds`
# (default 60) from the seed corpus. Findings land in build-fuzz/findings/;
# the corpus grown by the runs is kept in build-fuzz/corpus/ for the next run.
# Extra libFuzzer flags may be given in FUZZ_ARGS (e.g. "-max_len=4096").
# Exit status is non-zero when any target found a crash or oracle violation.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SECONDS_EACH=${1:-60}
BUILD=${FUZZ_BUILD_DIR:-$ROOT/build-fuzz}
JOBS=${JOBS:-$(nproc)}
CXX_CLANG=$(command -v clang++-14 || command -v clang++ || true)
[ -n "$CXX_CLANG" ] || { echo "fuzz: clang++ not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }

cmake -S "$ROOT/fuzz" -B "$BUILD" -G Ninja -DCMAKE_CXX_COMPILER="$CXX_CLANG" \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCAUSALITY_BUILD_FUZZ=ON >/dev/null
cmake --build "$BUILD" -j "$JOBS"

SEEDS=("$ROOT/examples/workloads/wfcommons" "$ROOT/examples/workloads/platforms"
       "$ROOT/tests/data/bad" "$ROOT/tests/data/placement" "$ROOT/examples/workflows"
       "$ROOT/fuzz/regressions" "$ROOT/fuzz/seeds" "$ROOT/tests/data/hostile")
status=0
for t in workflow wfcommons platform hint strategies plan inputs remote; do
  corpus="$BUILD/corpus/$t"; findings="$BUILD/findings/$t"
  mkdir -p "$corpus" "$findings"
  existing=()
  for s in "${SEEDS[@]}"; do [ -d "$s" ] && existing+=("$s"); done
  echo "== fuzz_$t for ${SECONDS_EACH}s" >&2
  if ! "$BUILD/bin/fuzz_$t" -max_total_time="$SECONDS_EACH" -print_final_stats=1 \
       -artifact_prefix="$findings/" ${FUZZ_ARGS:-} "$corpus" "${existing[@]}" 2> "$BUILD/fuzz_$t.log"; then
    status=1
    echo "fuzz_$t: FINDING, see $BUILD/fuzz_$t.log and $findings/" >&2
  fi
  # The figures: executions, speed, coverage, corpus.
  grep -E "^stat::(number_of_executed_units|average_exec_per_sec|peak_rss_mb)|(INITED|DONE) +cov:" \
    "$BUILD/fuzz_$t.log" | tail -4 >&2 || true
  grep -E "^(==[0-9]+==ERROR|fuzz oracle violated|SUMMARY)" "$BUILD/fuzz_$t.log" >&2 || true
done
exit $status
