#!/usr/bin/env bash
# The demo (`./run demo` calls `apps/demo.sh BUILD_DIR`): validates the shared
# WfCommons workloads, plans a real one under every built-in strategy, runs
# it for real on the actor runtime under two strategies, runs the coded ETL
# example, and leaves pictures and metrics in demo-out/. About a minute.
#
# Environment: CAUSALITY_WORKLOADS (default examples/workloads in the repo),
# DEMO_WORKFLOW (a WfCommons file; default the montage instance),
# DEMO_TIME_SCALE (default 0.01: 1 s of modelled work runs for 10 ms),
# DEMO_OUT (default demo-out in the repo). Part 4 starts causality-domain
# servers (stopped on exit by PID) and kills one: a failure there exits 1.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-build}
case "$BUILD" in /*) BIN="$BUILD/bin" ;; *) BIN="$ROOT/$BUILD/bin" ;; esac
CLI="$BIN/causality"
WORKLOADS=${CAUSALITY_WORKLOADS:-$ROOT/examples/workloads}
OUT=${DEMO_OUT:-$ROOT/demo-out}
SCALE=${DEMO_TIME_SCALE:-0.01}
RUN_STRATEGIES=(latency cost-minimization)
PLAN_STRATEGIES=(latency balanced capital-efficiency cost-minimization)

die() { echo "demo: $*" >&2; exit 1; }
[ -x "$CLI" ] || die "$CLI not found: build first (./run build)"
WFDIR="$WORKLOADS/wfcommons"
PLATFORM="$WORKLOADS/platforms/hetero-3.json"
[ -d "$WFDIR" ] || die "no workloads at $WFDIR (set CAUSALITY_WORKLOADS to a folder with wfcommons/ and platforms/)"
[ -f "$PLATFORM" ] || die "no platform file $PLATFORM"
WF=${DEMO_WORKFLOW:-$(ls "$WFDIR"/montage-*.json 2>/dev/null | head -n1)}
[ -n "$WF" ] || WF=$(ls "$WFDIR"/*.json | head -n1)
mkdir -p "$OUT"
rm -f "$OUT"/*.svg "$OUT"/*.dot "$OUT"/*.prom "$OUT"/*.json "$OUT"/*.txt "$OUT"/cluster-*.out "$OUT"/cluster-*.log

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

# One line of the summary table from a `run --format json` output.
summary_row() {
  printf '%-18s %9s %11.0f %11.0f %11.0f %10.0f %10.0f %8s %8s %8s' "$1" "$(field "$2" status)" \
    "$(field "$2" initial_planned_makespan_ms)" "$(field "$2" planned_makespan_ms)" "$(field "$2" actual_makespan_ms)" \
    "$(field "$2" planned_cost)" "$(field "$2" actual_cost)" "$(field "$2" strategy_switches)" \
    "$(field "$2" replanned_nodes)" "$(field "$2" nodes_moved)"
}

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
ranon=()
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
     { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
    live=$(timeout 3 cat <&3 | tr -d '\r' |
           awk '/^causality_nodes_finished_total/ {f += $2}
                /^causality_domain_utilisation_ratio/ {d = $1; sub(/.*domain="/, "", d); sub(/".*/, "", d);
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
  ranon+=("$(awk -v s="$s" '
    /"busy_ms":/ {b = $2 + 0} /"domain":/ {d = $2; gsub(/[",]/, "", d)} /"nodes":/ {n = $2 + 0}
    /"utilisation":/ {u = u sprintf("  %s %d nodes (busy %.1f s)", d, n, b / 1000)}
    END {printf "  %-18s ran on:%s", s, u}' "$j")")
  rows+=("$(summary_row "$s" "$j")")
done
cp "$OUT/metrics-${RUN_STRATEGIES[0]}.prom" "$OUT/metrics.prom"

# ---------------------------------------------------------------- (d) cluster
# Remote domains: compute, service and verifiable each in its own
# causality-domain process, plus a small local compute domain so lost nodes
# always have somewhere to go. One server is killed with SIGKILL mid-run.
section "4. The same workflow on a cluster: one causality-domain process per domain, one killed mid-run"
SERVER="$BIN/causality-domain"
CLUSTER_PLATFORM="$OUT/cluster-platform.json"
CL_PIDS=()
CL_RUN_PID=""
CL_TMP=""
cluster_stop() {
  local p
  [ -z "$CL_RUN_PID" ] || kill "$CL_RUN_PID" 2>/dev/null || true
  for p in "${CL_PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${CL_PIDS[@]}" $CL_RUN_PID; do wait "$p" 2>/dev/null || true; done
  CL_PIDS=(); CL_RUN_PID=""
  [ -z "$CL_TMP" ] || rm -rf "$CL_TMP"
  CL_TMP=""
}
trap cluster_stop EXIT
cluster_fail() {
  printf '%sdemo: CLUSTER PART FAILED: %s%s\n' "$bold" "$*" "$off" >&2
  for f in "$OUT"/cluster-*.log; do [ -f "$f" ] && { echo "--- $f" >&2; tail -n 20 "$f" >&2; }; done
  exit 1
}
[ -x "$SERVER" ] || cluster_fail "$SERVER not built"
CL_TMP=$(mktemp -d)  # mode 700
(umask 077 && head -c 24 /dev/urandom | base64 > "$CL_TMP/token")
CL_DOMAINS=(compute service verifiable)
declare -A CL_PORT CL_PID
for d in "${CL_DOMAINS[@]}"; do
  "$SERVER" --platform "$PLATFORM" --domain "$d" --port 0 --token-file "$CL_TMP/token" \
    > "$OUT/cluster-$d.out" 2> "$OUT/cluster-$d.log" &
  CL_PID[$d]=$!
  CL_PIDS+=("$!")
done
for d in "${CL_DOMAINS[@]}"; do
  port=""
  for _ in $(seq 200); do  # the server prints its port as soon as it listens
    port=$(sed -n '1s/^listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$OUT/cluster-$d.out")
    [ -n "$port" ] && break
    kill -0 "${CL_PID[$d]}" 2>/dev/null || cluster_fail "server for '$d' exited: $(cat "$OUT/cluster-$d.log")"
    sleep 0.05
  done
  [ -n "$port" ] || cluster_fail "server for '$d' printed no port within 10 s"
  CL_PORT[$d]=$port
  printf '  %-11s causality-domain pid %-7s listening on 127.0.0.1:%s\n' "$d" "${CL_PID[$d]}" "$port"
done
# The shared platform with an endpoint on each remote domain, plus 'local':
# a 2-slot copy of compute that stays in this process.
awk -v c="${CL_PORT[compute]}" -v s="${CL_PORT[service]}" -v v="${CL_PORT[verifiable]}" '
  /^  "name":/ { sub(/",?$/, "-cluster\","); print; next }
  /"domains": \[/ { print; print "    {\"name\": \"local\", \"kind\": \"compute\", \"slots\": 2, \"speed\": 1.0,";
    print "     \"security_level\": 1, \"capabilities\": [\"deterministic\"],";
    print "     \"cost\": {\"base_cost\": 100, \"resource_cost_per_unit\": 10, \"domain_cost_factor\": 1.0}},"; next }
  /^      "name": "(compute|service|verifiable)",$/ {
    print; n = $0; sub(/.*"name": "/, "", n); sub(/",$/, "", n)
    p = (n == "compute") ? c : (n == "service") ? s : v
    printf "      \"endpoint\": \"127.0.0.1:%s\",\n", p; next }
  { print }' "$PLATFORM" > "$CLUSTER_PLATFORM"
[ "$(grep -c '"endpoint"' "$CLUSTER_PLATFORM")" = 3 ] || cluster_fail "could not add endpoints to $CLUSTER_PLATFORM"
NODES=$("$CLI" validate "$WF" --platform "$CLUSTER_PLATFORM" 2>&1 | sed -n 's/^nodes: *//p')
[ -n "$NODES" ] || cluster_fail "$CLUSTER_PLATFORM: $("$CLI" validate "$WF" --platform "$CLUSTER_PLATFORM" 2>&1 | head -n 3)"
CS=latency
CJ="$OUT/run-cluster.json"
CAUSALITY_TOKEN=$(cat "$CL_TMP/token") "$CLI" run "$WF" --platform "$CLUSTER_PLATFORM" --strategy "$CS" \
  --time-scale "$SCALE" --dynamic --format json --gantt "$OUT/gantt-cluster.svg" \
  --metrics-port 0 > "$CJ" 2> "$OUT/cluster-run.log" &
CL_RUN_PID=$!
# Wait until a third of the nodes finished, then SIGKILL the remote domain
# with the most busy slots at that moment (it has nodes running: they are lost).
CL_SLOTS=$(awk '/"name":/ {n = $2; gsub(/[",]/, "", n)} /"slots":/ {s = $2; gsub(/,/, "", s); printf "%s %s ", n, s}' \
  "$CLUSTER_PLATFORM")
victim=""; port=""; live=""
for _ in $(seq 600); do
  kill -0 "$CL_RUN_PID" 2>/dev/null || break
  [ -n "$port" ] || port=$(sed -n 's|^metrics: http://127.0.0.1:\([0-9]*\)/metrics$|\1|p' "$OUT/cluster-run.log")
  if [ -n "$port" ] && { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
    printf 'GET /metrics HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n' >&3
    live=$(timeout 2 cat <&3 | tr -d '\r' |
           awk -v n="$NODES" -v slots="$CL_SLOTS" '
                BEGIN {k = split(slots, a, " "); for (i = 1; i < k; i += 2) sl[a[i]] = a[i + 1]}
                /^causality_nodes_finished_total/ {f += $2}
                /^causality_domain_utilisation_ratio/ {d = $1; sub(/.*domain="/, "", d); sub(/".*/, "", d);
                                                 b = $2 * sl[d]; if (d != "local" && b > best) {best = b; v = d}}
                END {if (3 * f >= n && v != "") printf "%s %d", v, f}') || live=""
    exec 3<&- 3>&-
    if [ -n "$live" ]; then victim=${live% *}; break; fi
  fi
  sleep 0.05
done
[ -n "$victim" ] || cluster_fail "the run ended (or never got a third done with a remote domain busy) before a server could be killed"
kill -9 "${CL_PID[$victim]}"
{ wait "${CL_PID[$victim]}"; } 2>/dev/null || true  # reap it quietly (no "Killed" job notice)
printf '  after %s of %s nodes finished: kill -9 %s (the %s server)\n' "${live#* }" "$NODES" "${CL_PID[$victim]}" "$victim"
rc=0; wait "$CL_RUN_PID" || rc=$?
CL_RUN_PID=""
[ "$rc" = 0 ] && [ "$(field "$CJ" status)" = succeeded ] ||
  cluster_fail "the run did not succeed after losing '$victim' (exit $rc): $(cat "$CJ")"
done_nodes=$(awk '/"nodes":/ {n += $2 + 0} END {print n + 0}' "$CJ")
[ "$done_nodes" = "$NODES" ] || cluster_fail "$done_nodes node results for $NODES nodes"
rerun=$(grep -c "lost with domain .*, running it again" "$OUT/cluster-run.log" || true)
grep -q "domain '$victim' lost" "$OUT/cluster-run.log" || cluster_fail "the runtime never noticed '$victim' was lost"
printf '  run: %s, %s of %s nodes done once each; %s node(s) running on %s when it died re-ran elsewhere\n' \
  "$(field "$CJ" status)" "$done_nodes" "$NODES" "$rerun" "$victim"
awk '/"busy_ms":/ {b = $2 + 0} /"domain":/ {d = $2; gsub(/[",]/, "", d)} /"nodes":/ {n = $2 + 0}
     /"utilisation":/ {u = u sprintf("  %s %d", d, n)}
     END {printf "  nodes per domain:%s\n", u}' "$CJ"
rows+=("$(summary_row "$CS@cluster" "$CJ")  (kill -9 $victim, $rerun re-ran)")
cluster_stop

# ---------------------------------------------------------------- summary
section "5. Summary of the real runs"
printf '%-18s %9s %11s %11s %11s %10s %10s %8s %8s %8s\n' strategy status "planned ms" "re-plan ms" "actual ms" \
  "plan cost" "real cost" switches replanned balanced
printf '%s\n' "${rows[@]}"
printf '%s\n' "${ranon[@]}"
echo "${dim}(planned = first plan's modelled makespan x time scale; re-plan = the plan in force at the"
echo " end, after re-planning on measured speeds; actual = first start to last finish here;"
echo " 'balanced' = nodes the balancer moved off the plan at dispatch; actual exceeds planned where"
echo " every domain's slots share this machine's cores, or a moved node landed on a slower domain)${off}"
# ---------------------------------------------------------------- (d) ETL
section "6. A coded ETL workflow with a filter and routing (examples/etl.cpp)"
if [ -x "$BIN/example_etl" ]; then
  "$BIN/example_etl" | sed 's/^/  /'
else
  echo "  (example_etl not built)"
fi

# ---------------------------------------------------------------- (e) files
section "7. Pictures and metrics in $OUT/"
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
