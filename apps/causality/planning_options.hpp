#pragma once
/// \file The planning options `plan` and `run` share: one definition of the
/// flags (--strategy, --weights, --priority, --budget, --max-latency, --stretch,
/// --prefer-parallel, --domain-order, --strategies, --hint) and one way of
/// turning them into an initiation hint and the user-defined strategies.

#include <cstdint>
#include <string>
#include <vector>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"
#include "causality/strategies/planner.hpp"

namespace CLI { class App; class Option; }

namespace causality::cli {

struct planning_options {
  std::string strategy, weights, domain_order, strategies_file, hint_file;
  std::uint32_t priority = 50;
  std::uint64_t budget = 0, max_latency = 0;
  double stretch = 3;
  bool prefer_parallel = false;
  CLI::Option *budget_opt = nullptr, *latency_opt = nullptr, *priority_opt = nullptr,
              *stretch_opt = nullptr;
};

/// Adds the planning flags to `sub` (the one list both commands take).
void add_planning_options(CLI::App& sub, planning_options& o);

/// What the planning flags say.
struct planning_input {
  model::initiation_hint hint;
  strategies::strategy_registry registry;               ///< built-ins + user strategies
  std::vector<model::optimization_strategy> user;       ///< from --strategies and --weights
};

/// The hint (from --hint, overridden by the flags) and the strategies; the
/// error names the flag or file. The strategy must exist; with `plat`, the
/// names of --domain-order must be domains or kinds of it.
/// The platform of `--platform FILE`, or, with no file given, this machine's
/// local platform (domains::local_platform), said on stderr in one line
/// unless `quiet`. Errors name the file.
model::expected<model::platform> platform_or_local(const std::string& file, bool quiet);

model::expected<planning_input> resolve_planning(const planning_options& o,
                                                 const model::platform* plat = nullptr);

/// Why --weights TEXT is refused (three numbers, each 0..100, sum > 0), or "".
std::string weights_violation(const std::string& text);

/// Splits "a,b,c" (empty items dropped).
std::vector<std::string> split_list(const std::string& s);

}  // namespace causality::cli
