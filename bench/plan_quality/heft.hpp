#pragma once
/// \file Baselines for bench_plan_quality, written here independently of
/// the planner: classic HEFT (Topcuoglu, Hariri, Wu 2002) and a makespan
/// lower bound.

#include "causality/model/types.hpp"

namespace causality::bench {

/// Result of a baseline schedule.
struct baseline {
  double makespan_ms = 0;
  double cost = 0;
};

/// Classic HEFT. Processors are the slots of every domain. Priority: upward
/// rank with the execution time averaged over the processors able to run
/// the node and the average communication cost (mean over ordered pairs of
/// distinct processors; same-domain pairs transfer for free). Ties in rank:
/// lower depth, then lower node index. Placement: earliest finish time with
/// insertion into idle gaps, first processor on ties.
baseline heft(const model::dataflow_definition& def, const model::platform& p);

/// max(critical path with every node on its fastest able domain and free
/// transfers, total work / total capacity sum(slots * speed)).
double lower_bound_ms(const model::dataflow_definition& def, const model::platform& p);

}  // namespace causality::bench
