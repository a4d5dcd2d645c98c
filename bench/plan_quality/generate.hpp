#pragma once
/// \file Generated instances for bench_plan_quality: random DAGs, the Task
/// Bench dependence patterns with fractional durations, random
/// heterogeneous platforms, platforms whose cheapest domain is tiny.

#include <random>
#include <string>

#include "causality/model/types.hpp"

namespace causality::bench {

/// A random DAG (edges from lower to higher index), whole-ms durations (--generated).
model::dataflow_definition generated_workflow(std::mt19937& g, std::size_t n);
/// A random heterogeneous platform of 2..6 domains (--generated).
model::platform generated_platform(std::mt19937& g);

/// Task Bench patterns (Slaughter et al. 2020): "stencil", "fft", "tree",
/// "all-to-all", "nearest", "spread", "random-nearest", or "random" (a
/// random DAG); `width` x `steps` tasks, fractional cpu_time_ms.
model::dataflow_definition task_bench(std::mt19937& g, const std::string& pattern,
                                      std::size_t width, std::size_t steps);
/// A heterogeneous platform whose cheapest domain is small and slow
/// (2 slots, speed 0.7) next to a 16-slot domain 1.5x dearer, plus 0..2
/// fast dear domains.
model::platform tiny_cheap_platform(std::mt19937& g);

}  // namespace causality::bench
