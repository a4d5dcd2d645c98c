#pragma once
/// \file Internal: the planner's linear-time tier for large workflows (linear_plan.cpp).

#include "causality/strategies/planner.hpp"
#include "causality/strategies/tradeoff.hpp"

namespace causality::strategies::detail {

/// Nodes x domains above which make_plan uses linear_plan (when
/// linear_tier_applies): the 100k-node workloads on a 3-domain platform.
constexpr double linear_tier_limit = 2.5e5;
/// ... and nodes above which: 10k nodes on 32 domains keep the full planner.
constexpr std::size_t linear_tier_min_nodes = 25000;

/// True when nodes x domains exceeds linear_tier_limit, nodes exceed
/// linear_tier_min_nodes, and neither the hint
/// nor the context asks for what only the full planner checks (hard limits,
/// a cost budget or deadline, a domain preference, fixed or unavailable
/// nodes/domains, calibrated times, a start time).
bool linear_tier_applies(const model::dataflow_definition& def, const model::platform& plat,
                         const model::initiation_hint& hint, const planner_context& ctx);

/// One pass in topological order: each node goes to the eligible domain the
/// trade-off (tradeoff.hpp) chooses among its domains' (finish time, cost),
/// its start being the later of its data's arrival and the domain's earliest
/// free slot. The plan-level stretch is not a per-node bound: it is lifted
/// here (a one-pass plan has no fastest plan to compare with). Errors name
/// the edge, node or cycle like build_problem. The caller sets the strategy.
model::expected<plan> linear_plan(const model::dataflow_definition& def, const model::platform& plat,
                                  tradeoff_weights w);

}  // namespace causality::strategies::detail
