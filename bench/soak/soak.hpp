#pragma once
/// \file The soak round shared by bench_soak and the small soak test: many
/// concurrent workflows whose nodes sometimes throw, checked for a result or
/// a reason for every one of them.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "causality/runtime/runtime.hpp"

namespace causality::soak {

/// Shape and faults of a round.
struct soak_config {
  std::size_t workflows = 1000;     ///< spawned at once
  std::size_t chains = 14;          ///< parallel chains between source and sink
  std::size_t chain_length = 7;     ///< 1 + 14 * 7 + 1 = 100 nodes
  double throw_fraction = 0.01;     ///< nodes whose first attempt throws
  double fatal_fraction = 0.001;    ///< nodes that throw on every attempt
  std::uint32_t max_attempts = 3;   ///< retry policy of every node
  double wait_limit_s = 120;        ///< a run not ended by then counts as lost
};

/// What one round saw; `ok()` when every workflow ended as predicted.
struct soak_result {
  std::size_t spawned = 0;
  std::size_t succeeded = 0;          ///< with the right output
  std::size_t failed_as_expected = 0;  ///< failed, naming a node that always throws
  std::size_t wrong = 0;              ///< wrong output, wrong reason or unexpected status
  std::size_t lost = 0;               ///< not ended within wait_limit_s
  std::size_t spawn_errors = 0;
  std::uint64_t throws = 0;           ///< node attempts that threw
  double seconds = 0;
  std::vector<std::string> first_problems;  ///< up to 5, for the report

  bool ok() const {
    return wrong == 0 && lost == 0 && spawn_errors == 0 &&
           succeeded + failed_as_expected == spawned;
  }
};

/// Workflows built once and spawned every round. Nodes decide to throw from
/// (workflow, node, round), so each round has its own faults and the
/// expected outcome of every workflow is known before it runs.
class soak_workload {
 public:
  explicit soak_workload(const soak_config& c);
  /// Spawns every workflow on `rt`, waits for all, checks each outcome.
  soak_result run_round(runtime& rt, std::uint64_t round);
  std::size_t nodes_per_workflow() const { return 2 + cfg_.chains * cfg_.chain_length; }

 private:
  /// 0: never throws, 1: first attempt throws, 2: every attempt throws.
  int fault(std::size_t wf, std::size_t node, std::uint64_t round) const;

  soak_config cfg_;
  std::vector<workflow> workflows_;
  std::shared_ptr<std::atomic<std::uint64_t>> round_;
  std::shared_ptr<std::atomic<std::uint64_t>> throws_;
};

/// Resident set of this process now, bytes (/proc/self/statm).
std::uint64_t current_rss_bytes();

}  // namespace causality::soak
