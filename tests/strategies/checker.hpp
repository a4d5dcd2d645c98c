#pragma once
/// \file An independent feasibility checker for plans: it re-derives every
/// start/finish constraint from the model (FORMATS.md) and never calls the
/// scheduler or its helpers.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "causality/model/types.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::test {

/// Options matching a planner_context the plan was made under.
struct check_options {
  std::function<std::optional<double>(std::size_t, std::size_t)> exec_time_ms;
  std::vector<bool> unavailable;
  double now_ms = 0;
  std::vector<std::optional<strategies::assignment>> fixed;
};

/// Every violation found (empty: feasible), one readable line each.
std::vector<std::string> check_plan(const model::dataflow_definition& def,
                                    const model::platform& plat,
                                    const model::initiation_hint& hint,
                                    const strategies::plan& p, const check_options& opt = {});

/// FORMATS.md cost of node n on domain d, recomputed here.
double formats_cost(const model::dataflow_node& n, const model::domain_spec& d);

}  // namespace causality::test
