#pragma once
/// \file The logging flags every causality binary takes: --log-level and
/// --quiet, and how they combine with CAUSALITY_LOG_LEVEL (docs/observability.md).

#include <string>

#include "causality/model/error.hpp"

namespace CLI { class App; class Option; }

namespace causality::cli {

struct log_flags {
  std::string level;          ///< --log-level (empty: not given)
  bool quiet = false;         ///< --quiet
};

/// Adds --log-level LEVEL (checked: an unknown name is a usage error listing
/// the valid ones) and --quiet to `app`.
void add_log_flags(CLI::App& app, log_flags& f);

/// Sets the level of every logger: --log-level, else `error` with --quiet,
/// else CAUSALITY_LOG_LEVEL, else `warn`. The error names the flag or the
/// environment variable and lists the valid levels (a usage error: exit 2).
model::status apply_log_flags(const log_flags& f);

}  // namespace causality::cli
