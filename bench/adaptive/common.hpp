#pragma once
// Shared pieces of the runtime scenarios: a node type that really waits its
// modelled time (slowed per domain on demand), workflow and platform makers.

#include <atomic>
#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "causality/model/types.hpp"
#include "causality/runtime/runtime.hpp"

namespace bench_adaptive {

/// Per-domain slowdown factors the `timed` node type reads at start.
struct slowdowns {
  explicit slowdowns(const causality::model::platform& p) : factor(p.domains.size()) {
    for (auto& f : factor) f.store(1.0);
    for (std::size_t d = 0; d < p.domains.size(); ++d) index[p.domains[d].name] = d;
  }
  std::vector<std::atomic<double>> factor;
  std::map<std::string, std::size_t> index;
  std::atomic<std::size_t> finished{0};
  /// Once `trigger_after` nodes finished, domain `trigger_domain` turns
  /// `trigger_factor` times slower (for nodes starting from then on).
  std::size_t trigger_after = static_cast<std::size_t>(-1);
  std::size_t trigger_domain = 0;
  double trigger_factor = 1.0;
};

/// Registers node type `timed`: it waits cpu_time_ms / speed * time_scale *
/// factor(domain) of real time (FORMATS.md's model; waiting, not spinning,
/// so slots beyond the machine's 2 cores still run in parallel) and counts
/// finished nodes.
void register_timed(causality::runtime& rt, std::shared_ptr<slowdowns> slow);
/// "timed" bodies sleep, each holding a worker: one worker per core plus one
/// per slot of `cfg.platform` (at most 64), so every slot can sleep at once.
void threads_for_sleeping_bodies(causality::runtime_config& cfg);

/// A layered random DAG: `layers` x `width` nodes of type `timed`, each with
/// two parents in the previous layer, cpu_time_ms in [lo, hi]; seeded.
causality::model::dataflow_definition layered_dag(const std::string& name, std::size_t layers,
                                                  std::size_t width, std::uint64_t lo,
                                                  std::uint64_t hi, unsigned seed);

/// A compute domain.
causality::model::domain_spec domain(const std::string& name, std::uint32_t slots, double speed,
                                     double cost_factor);

/// The p-th percentile (0..100) of `v` (nearest rank).
double percentile(std::vector<double> v, double p);

}  // namespace bench_adaptive
