#!/usr/bin/env bash
# The demo (`./run demo` calls `apps/demo.sh BUILD_DIR`): validates the shared
# WfCommons workloads, plans a real one under every built-in strategy, runs
# it for real on the actor runtime under two strategies, runs the coded ETL
# example, and leaves pictures and metrics in demo-out/. About a minute.
#
# Environment: CAUSALITY_SHARED (default ../shared next to the repo),
# DEMO_WORKFLOW (a WfCommons file; default the montage instance),
# DEMO_TIME_SCALE (default 0.01: 1 s of modelled work runs for 10 ms),
# DEMO_OUT (default demo-out in the repo).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) BIN="$BUILD/bin" ;; *) BIN="$ROOT/$BUILD/bin" ;; esac
CLI="$BIN/causality"
SHARED=${CAUSALITY_SHARED:-$ROOT/../shared}
OUT=${DEMO_OUT:-$ROOT/demo-out}
SCALE=${DEMO_TIME_SCALE:-0.01}
RUN_STRATEGIES=(latency cost-minimization)
PLAN_STRATEGIES=(latency balanced capital-efficiency cost-minimization)

die() { echo "demo: $*" >&2; exit 1; }
[ -x "$CLI" ] || die "$CLI not found: build first (./run build)"
WFDIR="$SHARED/workloads/wfcommons"
PLATFORM="$SHARED/workloads/platforms/hetero-3.json"
[ -d "$WFDIR" ] || die "no workloads at $WFDIR (set CAUSALITY_SHARED to the shared folder)"
[ -f "$PLATFORM" ] || die "no platform file $PLATFORM"
WF=${DEMO_WORKFLOW:-$(ls "$WFDIR"/montage-*.json 2>/dev/null | head -n1)}
[ -n "$WF" ] || WF=$(ls "$WFDIR"/*.json | head -n1)
mkdir -p "$OUT"
rm -f "$OUT"/*.svg "$OUT"/*.dot "$OUT"/*.prom "$OUT"/*.json "$OUT"/*.txt

bold=""; dim=""; off=""
if [ -t 1 ]; then bold=$'\e[1m'; dim=$'\e[2m'; off=$'\e[0m'; fi
T0=$(date +%s.%N)
section() { printf '\n%s== %s%s\n' "$bold" "$*" "$off"; }
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
# A top-level field of the CLI's JSON output (printed with 2-space indent).
field() { sed -n "s/^  \"$2\": \"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}\$/\1/p" "$1" | head -n1; }

printf '%sCausality Runtime demo%s: DAG workflows planned across execution domains by\n' "$bold" "$off"
printf 'weighted latency/cost, then run for real on CAF actors.\n'
printf 'platform %s, workloads %s\n' "$PLATFORM" "$WFDIR"

# ---------------------------------------------------------------- (a) validate
section "1. The shared WfCommons workloads, checked against hetero-3 ($("$CLI" version 2>/dev/null | head -n1))"
printf '%-46s %6s %6s %6s %6s %12s %12s  %s\n' workload nodes edges depth width "work (s)" "crit (s)" hostable
for f in "$WFDIR"/*.json; do
  if "$CLI" validate "$f" --platform "$PLATFORM" > "$OUT/validate.txt" 2>&1; then
    awk -v name="$(basename "$f" .json)" -F': *' '
      /^nodes:/ {n=$2} /^edges:/ {e=$2} /^depth:/ {d=$2} /^max width:/ {w=$2}
      /^total work:/ {tw=$2+0} /^critical path:/ {cp=$2+0}
      /^platform:/ {h = ($0 ~ /every node can be hosted/) ? "yes" : "NO"}
      END {printf "%-46s %6s %6s %6s %6s %12.1f %12.1f  %s\n", substr(name,1,46), n, e, d, w, tw/1000, cp/1000, h}' \
      "$OUT/validate.txt"
  else
    printf '%-46s  invalid: %s\n' "$(basename "$f" .json)" "$(head -n1 "$OUT/validate.txt")"
  fi
done
rm -f "$OUT/validate.txt"

# ---------------------------------------------------------------- (b) plan
WFNAME=$(basename "$WF" .json)
section "2. Planning $WFNAME on hetero-3 under each strategy (modelled times)"
printf '%-20s %14s %12s %8s  %s\n' strategy "makespan (s)" cost util method
for s in "${PLAN_STRATEGIES[@]}"; do
  extra=()
  [ "$s" = latency ] && extra=(--dot "$OUT/plan.dot")
  "$CLI" plan "$WF" --platform "$PLATFORM" --strategy "$s" --gantt "$OUT/plan-$s.svg" \
    "${extra[@]}" > "$OUT/plan-$s.txt"
  awk -v s="$s" '
    NR == 1 {m = $0; i = index(m, "strategy " s " ("); m = substr(m, i + length(s) + 11); sub(/\)$/, "", m)}
    NR == 2 {printf "%-20s %14.1f %12.0f %7s%%  %s\n", s, $2/1000, $5+0, $7, m}' "$OUT/plan-$s.txt"
done
echo
echo "latency/cost trade-off (the planner's objective swept from pure latency to pure cost):"
"$CLI" plan "$WF" --platform "$PLATFORM" --sweep | tail -n +2 | sed 's/^/  /'

# ---------------------------------------------------------------- (c) run
section "3. Running $WFNAME for real: 'work' nodes burn CPU for modelled time x $SCALE"
echo "(dynamic optimization on: calibrated models, adaptive strategy, re-planning;"
echo " a live scrape of the /metrics endpoint midway)"
rows=()
for s in "${RUN_STRATEGIES[@]}"; do
  "$CLI" run "$WF" --platform "$PLATFORM" --strategy "$s" --time-scale "$SCALE" --dynamic \
    --format json --gantt "$OUT/gantt-$s.svg" --metrics-out "$OUT/metrics-$s.prom" \
    --metrics-port 0 > "$OUT/run-$s.json" 2> "$OUT/run-$s.log" &
  pid=$!
  # Scrape /metrics once while it runs (bash's /dev/tcp: no curl needed).
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's|^metrics: http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$OUT/run-$s.log")
    [ -n "$port" ] || ! kill -0 "$pid" 2>/dev/null && break
    sleep 0.05
  done
  sleep 4
  if [ -n "$port" ] && kill -0 "$pid" 2>/dev/null &&
     exec 3<>"/dev/tcp/127.0.0.1/$port" 2>/dev/null; then
    printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
    live=$(timeout 3 cat <&3 | tr -d '\r' |
           awk '/^causality_nodes_finished_total/ {f += $2}
                /^causality_domain_utilisation/ {d = $1; sub(/.*domain="/, "", d); sub(/".*/, "", d);
                                                 u = u sprintf(" %s %.0f%%", d, 100 * $2)}
                END {printf "%d nodes finished; busy slots:%s", f, u}') || live="-"
    exec 3<&- 3>&-
    printf '  %-18s live from http://127.0.0.1:%s/metrics: %s\n' "$s" "$port" "$live"
  fi
  if ! wait "$pid"; then
    echo "run under $s failed:" >&2
    cat "$OUT/run-$s.log" "$OUT/run-$s.json" >&2
    exit 1
  fi
  j="$OUT/run-$s.json"
  rows+=("$(printf '%-18s %9s %11.0f %11.0f %11.0f %10.0f %10.0f %8s %8s %8s' "$s" "$(field "$j" status)" \
    "$(field "$j" initial_planned_makespan_ms)" "$(field "$j" planned_makespan_ms)" "$(field "$j" actual_makespan_ms)" \
    "$(field "$j" planned_cost)" "$(field "$j" actual_cost)" "$(field "$j" strategy_switches)" \
    "$(field "$j" replanned_nodes)" "$(field "$j" nodes_moved_by_balancer)")")
done
echo
printf '%-18s %9s %11s %11s %11s %10s %10s %8s %8s %8s\n' strategy status "planned ms" "re-plan ms" "actual ms" \
  "plan cost" "real cost" switches replanned balanced
printf '%s\n' "${rows[@]}"
echo "${dim}(planned = first plan's modelled makespan x time scale; re-plan = the plan in force at the"
echo " end, after re-planning on measured speeds; actual = first start to last finish on this"
echo " machine, where every slot of every domain shares its few cores: actual > planned is the"
echo " CPU contention the plan does not model; 'balanced' = nodes the balancer moved at dispatch)${off}"
cp "$OUT/metrics-${RUN_STRATEGIES[0]}.prom" "$OUT/metrics.prom"

# ---------------------------------------------------------------- (d) ETL
section "4. A coded ETL workflow with a filter and routing (examples/etl.cpp)"
if [ -x "$BIN/example_etl" ]; then
  "$BIN/example_etl" | sed 's/^/  /'
else
  echo "  (example_etl not built)"
fi

# ---------------------------------------------------------------- (e) files
section "5. Pictures and metrics in $OUT/"
for f in "$OUT"/gantt-*.svg "$OUT"/plan-*.svg "$OUT"/plan.dot "$OUT"/metrics.prom; do
  case "$f" in
    *gantt-*) what="Gantt, planned (wide bars) vs actual (thin bars), critical path in red" ;;
    *plan-*.svg) what="Gantt of the plan alone" ;;
    *.dot) what="the workflow with planned domains (dot -Tsvg plan.dot -o plan.svg)" ;;
    *.prom) what="Prometheus snapshot after the ${RUN_STRATEGIES[0]} run (metrics-<strategy>.prom: each run)" ;;
  esac
  printf '  %-40s %7s B  %s\n' "${f#"$ROOT"/}" "$(wc -c < "$f")" "$what"
done
printf '\ndone in %s. Open %s/gantt-latency.svg in a browser.\n' "$(elapsed)" "${OUT#"$ROOT"/}"
