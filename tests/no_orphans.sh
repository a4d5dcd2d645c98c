#!/usr/bin/env bash
# The CTest fixture cleanup `no_orphaned_processes` (tests/CMakeLists.txt):
# every test runs with MARKER (NAME=value) in its environment, which every
# process it starts inherits. Once all tests are done, a process still
# carrying MARKER was left behind: each is named (pid, parent, command line),
# killed, and the check fails.
#   no_orphans.sh MARKER       the check
#   no_orphans.sh --selftest   proves the check finds (and kills) a leftover
set -u
marker=${1:?usage: no_orphans.sh MARKER | --selftest}

if [ "$marker" = --selftest ]; then
  m="CAUSALITY_TEST_RUN=no-orphans-selftest-$$"
  env "$m" sleep 300 &
  leftover=$!
  out=$("$0" "$m" 2>&1)
  rc=$?
  # The check's SIGKILL is already queued when it returns, though the process
  # may not have died yet: a SIGTERM sent now is ignored by a process that is
  # dying of SIGKILL (exit status 137) and ends one the check missed (143).
  kill -TERM "$leftover" 2>/dev/null
  wait "$leftover" 2>/dev/null
  st=$?
  [ $st -eq 137 ] || { echo "selftest: the leftover process $leftover was not killed by the check (exit status $st)"; exit 1; }
  if [ $rc -eq 0 ] || ! grep -q "pid $leftover .*sleep 300" <<<"$out"; then
    echo "selftest: the check did not report the leftover process $leftover (rc $rc): $out"; exit 1
  fi
  echo "selftest: the check named and killed the leftover: $out"
  exit 0
fi

left=()
pids=()
for d in /proc/[0-9]*; do
  pid=${d#/proc/}
  [ "$pid" = "$$" ] && continue
  # Unreadable (another user's) or gone: not ours.
  if { tr '\0' '\n' <"$d/environ"; } 2>/dev/null | grep -qxF -- "$marker"; then
    cmd=$({ tr '\0' ' ' <"$d/cmdline"; } 2>/dev/null)
    ppid=$(sed -n 's/^PPid:[[:space:]]*//p' "$d/status" 2>/dev/null)
    left+=("pid $pid (parent ${ppid:-?}): ${cmd:-?}")
    pids+=("$pid")
  fi
done
if [ ${#left[@]} -eq 0 ]; then
  echo "no process started by the tests is left (marker $marker)"
  exit 0
fi
echo "${#left[@]} process(es) started by the tests are still running (killed now):"
printf '  %s\n' "${left[@]}"
kill -KILL "${pids[@]}" 2>/dev/null
exit 1
