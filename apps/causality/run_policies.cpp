#include "run_policies.hpp"

#include <algorithm>

#include <CLI/CLI.hpp>

#include "causality/model/limits.hpp"
#include "flag_checks.hpp"

namespace causality::cli {

namespace lim = model::limits;

void add_policy_flags(CLI::App& sub, policy_flags& f) {
  f.retries_opt = sub.add_option("--retries", f.retries,
                                 "attempts per node at most, 1..100 (1: no retry; a node's own \"retry\" wins)")
                      ->check(whole_in(1, lim::max_retry_attempts));
  f.backoff_opt = sub.add_option("--retry-backoff-ms", f.retry_backoff_ms,
                                 "wait before a node's 2nd attempt, 0..86400000 ms (doubling after; default 100)")
                      ->check(number_in(0, lim::max_backoff_ms));
  f.timeout_opt = sub.add_option("--node-timeout-ms", f.node_timeout_ms,
                                 "timeout of each node attempt, > 0..1e9 ms (exceeded: the attempt is timed_out)")
                      ->check(number_in(0, lim::max_timeout_ms, /*lo_open=*/true));
  sub.add_flag("--continue-on-failure", f.continue_on_failure,
               "after a node fails for good, finish the independent branches (the run still fails)");
}

void apply_policy_flags(const policy_flags& f, const model::run_policies& file, spawn_options& so) {
  if (f.retries_opt->count() || f.backoff_opt->count()) {
    auto r = file.retry.value_or(retry_policy{});
    if (f.retries_opt->count()) r.max_attempts = f.retries;
    if (f.backoff_opt->count()) {
      r.initial_backoff_ms = f.retry_backoff_ms;
      r.max_backoff_ms = std::max(r.max_backoff_ms, f.retry_backoff_ms);  // the cap never undercuts the flag
    }
    so.retry = r;
  }
  if (f.timeout_opt->count()) so.node_timeout_ms = f.node_timeout_ms;
  if (f.continue_on_failure) so.continue_on_failure = true;
}

}  // namespace causality::cli
