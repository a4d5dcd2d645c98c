#pragma once
// Internal to causality::actors: the run actor's state, shared by
// run_actor.cpp (the dataflow, retries, timeouts, deadline, metrics) and
// run_actor_events.cpp (what it publishes, re-planning).

#include "context.hpp"

namespace causality::actors {

struct run_actor_state {
  core_ptr rc;
  const run_context* eng = nullptr;
  dataflow::marks df;                    ///< edge values and readiness (dataflow_rules.hpp)
  std::deque<std::pair<std::uint32_t, std::uint32_t>> ready;  ///< node, attempt
  std::size_t inflight = 0, settled = 0;
  node_records rec;
  metric_list metrics;
  std::vector<clock::timer_id> timers;
  std::vector<std::pair<bool, value>> out_edges;  ///< reused per completion
  std::vector<std::uint32_t> skips;               ///< reused per completion
  std::mt19937_64 rng;
  std::string first_error, first_failed;
  double last_flush_ms = 0;  ///< engine time of the last metric flush
  bool ended = false;
};

using run_self = stateful<run_actor_state>;

/// node_finished or node_failed for one attempt's completion (run_actor_events.cpp).
void publish_attempt(run_self* self, const completion& c);
/// Plans again what has not started (run_actor_events.cpp).
void replan(run_self* self);

}  // namespace causality::actors
