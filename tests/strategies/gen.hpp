#pragma once
/// \file Seeded generators of workflows and platforms for property tests,
/// and two naive baseline schedules (independent of the planner).

#include <cstdint>
#include <vector>

#include "causality/model/types.hpp"

namespace causality::test {

/// A random DAG of `n` nodes (edges only from lower to higher index).
model::dataflow_definition random_workflow(std::uint32_t seed, std::size_t n);
/// A random heterogeneous platform of 1..6 domains.
model::platform random_platform(std::uint32_t seed);

/// Makespan of a greedy schedule, topological order, every node on the
/// fastest domain able to host all nodes; negative if there is none.
double all_on_fastest_makespan(const model::dataflow_definition& def, const model::platform& p);
/// Makespan of a greedy schedule placing nodes round-robin over the domains
/// able to host them, in topological order.
double round_robin_makespan(const model::dataflow_definition& def, const model::platform& p);

}  // namespace causality::test
