#pragma once
/// \file Reference heuristics for budget- and deadline-constrained
/// scheduling, written here independently of the planner (they share only
/// the FORMATS.md cost model and hosting rules): HBCS (Arabnejad & Barbosa
/// 2014), BHEFT (Zheng & Sakellariou 2013), LOSS (Sakellariou et al. 2007),
/// HEFT on every subset of domains, IC-PCP (Abrishami et al. 2013, adapted
/// to domains with slots). Processors are the slots of every domain, with
/// insertion, HEFT's upward rank as the order.

#include <optional>

#include "causality/model/types.hpp"

namespace causality::bench {

/// A reference schedule: its makespan and cost (nullopt when the heuristic
/// found nothing within its limit).
struct anchor_result {
  double makespan_ms = 0;
  double cost = 0;
};

/// Cheapest cost (every node on its cheapest able domain).
double cheapest_cost(const model::dataflow_definition& def, const model::platform& p);

std::optional<anchor_result> hbcs(const model::dataflow_definition& def,
                                  const model::platform& p, double budget);
std::optional<anchor_result> bheft(const model::dataflow_definition& def,
                                   const model::platform& p, double budget);
std::optional<anchor_result> loss(const model::dataflow_definition& def,
                                  const model::platform& p, double budget);
/// The fastest HEFT schedule restricted to a subset of domains within budget.
std::optional<anchor_result> subset_heft(const model::dataflow_definition& def,
                                         const model::platform& p, double budget);
/// IC-PCP: cheapest domain per partial critical path meeting the latest
/// finish times, then list-scheduled; nullopt when it misses the deadline.
std::optional<anchor_result> ic_pcp(const model::dataflow_definition& def,
                                    const model::platform& p, double deadline);

}  // namespace causality::bench
