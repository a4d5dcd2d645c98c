#!/usr/bin/env bash
# Runs the TSan canary (tests/tsan/canary.cpp) and passes only if TSan reported
# a data race on each of its three globals: plain_counter (two threads),
# actor_counter (an actor against main()) and pair_counter (two actors).
# Its output is shown when one is missing.
out=$("$1" 2>&1)
missing=()
for v in plain_counter actor_counter pair_counter; do
  grep -q "Location is global '(anonymous namespace)::$v'" <<<"$out" || missing+=("$v")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "tsan canary: the races on plain_counter, actor_counter and pair_counter were reported"
  exit 0
fi
echo "tsan canary: no race reported on ${missing[*]}; TSan printed:"
echo "$out"
exit 1
