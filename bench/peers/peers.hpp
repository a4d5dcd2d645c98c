#pragma once
/// \file The in-process peers. Each runs the workload `reps` times on
/// `threads` worker threads and returns the wall seconds of each run, from the
/// first node created to the last node finished (set-up of the runtime itself,
/// e.g. the actor system or starpu_init, is excluded; per-node creation is in).

#include <vector>

#include "workload.hpp"

namespace causality::bench {

/// Raw CAF: one actor spawned per node, one message per edge.
std::vector<double> run_caf(const workload& w, int threads, int reps);
/// oneTBB flow graph: one continue_node per node, one edge per dependency.
std::vector<double> run_tbb(const workload& w, int threads, int reps);
/// StarPU with the dmda scheduler: one task per node, explicit task deps.
std::vector<double> run_starpu(const workload& w, int threads, int reps);
/// Causality: the workload as a workflow through the runtime facade.
std::vector<double> run_causality(const workload& w, int threads, int reps);

}  // namespace causality::bench
