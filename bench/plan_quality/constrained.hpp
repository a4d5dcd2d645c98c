#pragma once
/// \file bench_plan_quality --constrained: (a) makespan at six budgets per
/// instance, ours vs HBCS, BHEFT, LOSS and subset-HEFT; (b) cost at three
/// deadlines per instance, ours vs IC-PCP (docs/planner.md "Benchmarks").

#include <string>
#include <vector>

#include "causality/model/types.hpp"

namespace causality::bench {

struct constrained_case {
  std::string workload;
  model::dataflow_definition def;
  model::platform plat;
};

/// Prints both tables (text, or JSON rows with `json`); returns the exit code.
int run_constrained(const std::vector<constrained_case>& cases, bool json);

}  // namespace causality::bench
