#pragma once
/// \file `causality run`'s policy flags (--retries, --retry-backoff-ms,
/// --node-timeout-ms, --continue-on-failure): per-run defaults of every node.
/// A node's own "retry" / "timeout_ms" in the workflow file beats them; they
/// beat the file's "policies" (docs/runtime.md, FORMATS.md).

#include <cstdint>

#include "causality/model/types.hpp"
#include "causality/runtime/runtime.hpp"

namespace CLI { class App; class Option; }

namespace causality::cli {

struct policy_flags {
  std::uint32_t retries = 1;
  double retry_backoff_ms = 0, node_timeout_ms = 0;
  bool continue_on_failure = false;
  CLI::Option *retries_opt = nullptr, *backoff_opt = nullptr, *timeout_opt = nullptr;
};

/// Adds the flags to `sub`, range-checked against model/limits.hpp.
void add_policy_flags(CLI::App& sub, policy_flags& f);

/// Sets the run's defaults in `so` from the flags given: the retry policy
/// starts from the workflow's "policies" retry (else the defaults) and takes
/// --retries as max_attempts and --retry-backoff-ms as initial_backoff_ms.
void apply_policy_flags(const policy_flags& f, const model::run_policies& file, spawn_options& so);

}  // namespace causality::cli
