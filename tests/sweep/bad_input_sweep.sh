#!/usr/bin/env bash
# Bad-input sweep: every `causality` subcommand that takes a workflow or a
# platform file is run against malformed, missing, directory, empty, binary,
# huge (50 MB) and wrongly typed files; its other file options get the same
# bad files, its number options a value that is not a number. Each run must exit non-zero (not by a
# signal), within the time limit, with exactly one line on stderr that starts
# with "causality: " and names the offending file.
# Usage: bad_input_sweep.sh CAUSALITY_BINARY SOURCE_DIR
set -uo pipefail
CLI=$1
SRC=$2
LIMIT=${SWEEP_TIME_LIMIT:-60}   # seconds per run; the huge files must be well under it
TMP=$(mktemp -d)
trap 'chmod -R u+rwx "$TMP"; rm -rf "$TMP"' EXIT
failures=0
runs=0

# Subcommands from the CLI's own help, so new ones are swept without edits.
mapfile -t SUBS < <("$CLI" --help | awk '/^Subcommands:/{s=1;next} s&&/^  [a-z]/{print $1}')
if [ ${#SUBS[@]} -eq 0 ]; then echo "sweep: no subcommands found in '$CLI --help'" >&2; exit 1; fi

# --- inputs --------------------------------------------------------------
mkdir -p "$TMP/a_directory.json"
: > "$TMP/empty.json"
printf '   \n\t\n' > "$TMP/blank.json"
head -c 4096 /dev/urandom > "$TMP/binary.json"
printf '{"nodes": [' > "$TMP/unterminated.json"
printf '\xef\xbb\xbf{"nodes": "\xff\xfe"}' > "$TMP/bad_utf8.json"
printf '{"nodes": [], "edges": []} trailing' > "$TMP/trailing_garbage.json"
printf '[1, 2, 3]' > "$TMP/top_level_array.json"
printf '"just a string"' > "$TMP/top_level_string.json"
printf '{"nodes": {"a": 1}, "edges": 7}' > "$TMP/wrong_types.json"
printf '{"domains": "cpu"}' > "$TMP/platform_wrong_types.json"
printf '{"workflow": {"specification": {"tasks": 5}}}' > "$TMP/wfcommons_wrong_types.json"
# Huge inputs (50 MB by default) built with head/tr/yes in well under a second.
MB=${SWEEP_HUGE_MB:-50}
BYTES=$((MB * 1024 * 1024))
{ head -c $((BYTES / 2)) /dev/zero | tr '\0' '['; head -c $((BYTES / 2)) /dev/zero | tr '\0' ']'; } \
  > "$TMP/huge_nested_arrays.json"
# Valid JSON, millions of small nested arrays where node objects belong.
{ printf '{"nodes": ['; yes '[[1,[2,[3]]]],' | head -n $((BYTES / 14)) | tr -d '\n'
  printf '[]], "edges": []}'; } > "$TMP/huge_wrong_typed_nodes.json"
{ printf '{"name": "'; head -c $BYTES /dev/zero | tr '\0' 'x'; printf '"'; } > "$TMP/huge_unterminated_string.json"
if [ "$(id -u)" -ne 0 ]; then
  printf '{}' > "$TMP/unreadable.json"; chmod 000 "$TMP/unreadable.json"
fi

COMMON=("$TMP/does_not_exist.json" "$TMP/a_directory.json" "$TMP/empty.json" "$TMP/blank.json"
        "$TMP/binary.json" "$TMP/unterminated.json" "$TMP/bad_utf8.json"
        "$TMP/trailing_garbage.json" "$TMP/top_level_array.json" "$TMP/top_level_string.json"
        "$TMP/huge_nested_arrays.json")
[ -e "$TMP/unreadable.json" ] && COMMON+=("$TMP/unreadable.json")
BAD_WORKFLOWS=("${COMMON[@]}" "$TMP/wrong_types.json" "$TMP/wfcommons_wrong_types.json")
BAD_PLATFORMS=("${COMMON[@]}" "$TMP/platform_wrong_types.json" "$TMP/wrong_types.json")
# The costly huge files (a full parse of 50 MB: seconds and ~2.5 GB for the
# JSON tree) go through the first file-taking subcommand only: every
# subcommand shares the same loaders.
COSTLY=("$TMP/huge_unterminated_string.json" "$TMP/huge_wrong_typed_nodes.json")
for f in "$SRC"/tests/data/bad/*.json; do
  case $(basename "$f") in
    pf_*) BAD_PLATFORMS+=("$f") ;;
    *) BAD_WORKFLOWS+=("$f") ;;
  esac
done
GOOD_WORKFLOW=$SRC/tests/data/placement/hostable.json
GOOD_PLATFORM=$SRC/tests/data/placement/platform.json

# --- one run -------------------------------------------------------------
# check SUBJECT_FILE ARGS...: runs the CLI and asserts the contract.
check() {
  local subject=$1; shift
  runs=$((runs + 1))
  local start=$SECONDS
  timeout --signal=KILL "$LIMIT" "$CLI" "$@" > "$TMP/out" 2> "$TMP/err" < /dev/null
  local rc=$? took=$((SECONDS - start))
  local lines; lines=$(wc -l < "$TMP/err")
  local first; first=$(head -c 300 "$TMP/err" | head -n 1)
  local why=""
  if [ $rc -eq 0 ]; then why="exit 0"
  elif [ $rc -ge 124 ]; then why="exit $rc (timeout after ${took}s or killed by a signal)"
  elif [ "$lines" -ne 1 ]; then why="$lines lines on stderr"
  elif [[ $first != "causality: "* ]]; then why="stderr does not start with 'causality: '"
  elif [[ $first != *"$subject"* ]]; then why="stderr does not name $subject"
  fi
  if [ -n "$why" ]; then
    failures=$((failures + 1))
    echo "FAIL: causality $* -> $why; stderr: $(head -c 300 "$TMP/err")" >&2
  else
    echo "ok ($rc, ${took}s): causality $(printf '%q ' "$@" | sed "s|$TMP|TMP|g; s|$SRC|SRC|g") -> ${first:0:160}"
  fi
}

# Usage errors are one line too.
check "bogus-subcommand" bogus-subcommand
check "" # no subcommand at all

for sub in "${SUBS[@]}"; do
  [ "$sub" = help ] && { echo "skip: help takes a command name, not a file"; continue; }
  help=$("$CLI" "$sub" --help 2>&1)
  # Subcommands without a positional file (version, ...) take no input files.
  grep -q '^Positionals:' <<< "$help" || { echo "skip: $sub takes no file"; continue; }
  platform_required=no
  grep -Eq -- '--platform.*REQUIRED' <<< "$help" && platform_required=yes
  has_platform=no
  grep -q -- '--platform' <<< "$help" && has_platform=yes
  echo "== $sub (platform option: $has_platform, required: $platform_required)"
  check "required" "$sub"  # its file missing from the command line
  costly=("${COSTLY[@]}"); COSTLY=()
  for f in "${BAD_WORKFLOWS[@]}" "${costly[@]}"; do
    if [ $platform_required = yes ]; then check "$f" "$sub" "$f" --platform "$GOOD_PLATFORM"
    else check "$f" "$sub" "$f"; fi
  done
  base=("$sub" "$GOOD_WORKFLOW")
  if [ $has_platform = yes ]; then
    for f in "${BAD_PLATFORMS[@]}"; do check "$f" "$sub" "$GOOD_WORKFLOW" --platform "$f"; done
    base+=(--platform "$GOOD_PLATFORM")
  fi
  # Other options: "  --name[,-x] TYPE [REQUIRED]  description" in CLI11's help.
  while read -r opt type; do
    case $type in
      TEXT)  # a file option (its description says file): the common bad files
        # --inputs: any JSON object is valid inputs of a workflow without an
        # input_schema (GOOD_WORKFLOW has none), so wrong_types.json is not bad there.
        extra=("$TMP/wrong_types.json"); [ "$opt" = --inputs ] && extra=()
        for f in "${COMMON[@]}" "${extra[@]}"; do check "$f" "${base[@]}" "$opt" "$f"; done ;;
      INT|UINT|FLOAT)  # a number option: a value that is not one
        check "${opt#--}" "${base[@]}" "$opt" not-a-number ;;
    esac
  done < <(awk '/^Options:/{s=1;next} /^[A-Z][a-z]*:/{s=0} s&&/^  -/{
             n=split($1, names, ","); long="";
             for (i=1;i<=n;i++) if (names[i] ~ /^--/) long=names[i];
             if (long=="" || long=="--help" || long=="--platform" || long=="--format") next;
             if ($2 ~ /^(INT|UINT|FLOAT)/) { sub(/:.*/, "", $2); print long, $2; next }
             # Output files ("write ... to FILE") are not inputs to sweep.
             if ($2 ~ /^TEXT/ && tolower($0) ~ /file/ && tolower($0) !~ /write/) print long, "TEXT" }' <<< "$help")
done
echo "sweep: $runs runs over ${#SUBS[@]} subcommands (${SUBS[*]}), $failures failures"
[ $failures -eq 0 ]
