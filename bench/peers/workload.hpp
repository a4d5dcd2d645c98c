#pragma once
/// \file The DAG workloads every peer runs: the same nodes, edges and work.

#include <cstdint>
#include <string>
#include <vector>

namespace causality::bench {

/// A DAG in index form: node i runs after all of preds[i]; work_us[i] is the
/// busy time of its body (0 for a no-op).
struct workload {
  std::string name;
  std::vector<std::vector<std::uint32_t>> preds;
  std::vector<std::vector<std::uint32_t>> succs;
  std::vector<double> work_us;

  std::size_t size() const { return work_us.size(); }
  std::size_t edges() const;
};

/// n nodes, node i depends on node i-1.
workload make_chain(std::size_t n, double work_us);
/// One source, n-2 independent middles, one sink.
workload make_fan(std::size_t n, double work_us);
/// n nodes; node i > 0 depends on 1..4 distinct earlier nodes (fixed seed).
workload make_random_dag(std::size_t n, double work_us, std::uint32_t seed = 42);
/// A WfCommons (or project-form) workflow file; node work = cpu time x scale
/// (time_scale 1e-3 turns each second of recorded runtime into 1 ms).
workload load_workflow(const std::string& path, double time_scale);

/// Writes {"preds": [[...]...], "work_us": [...]} for the Dask peer.
void write_json(const workload& w, const std::string& path);

/// Spins (no sleep: the peers are compared on CPU-bound bodies) for `us`.
void busy_work(double us);

}  // namespace causality::bench
