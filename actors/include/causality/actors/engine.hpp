#pragma once
/// \file The actor system behind the runtime facade: planner, balancer,
/// domain and monitor actors, a run actor per run and an actor per node.
/// No CAF type appears here (pimpl) so users' translation units stay light.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "causality/actors/balancer_policy.hpp"
#include "causality/actors/clock.hpp"
#include "causality/actors/dynamic.hpp"
#include "causality/actors/program.hpp"
#include "causality/actors/run_state.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::observe {
class runtime_metrics;
}

namespace causality::actors {

/// A node event seen by the observer (and, batched, by the monitor actor).
struct node_event {
  enum kind_t { queued, started, finished, failed } kind;
  std::uint64_t run = 0;
  std::uint32_t node = 0;
  std::uint32_t attempt = 0;
  int domain = -1;
  double time_ms = 0;  ///< by the runtime's clock
};

/// Per-domain figures from the monitor actor plus live slot use.
struct domain_snapshot {
  std::string name;
  model::domain_kind kind = model::domain_kind::compute;
  int slots = 0, running = 0, queued = 0;
  std::uint64_t started = 0, finished = 0, failed = 0;
  double busy_ms = 0;          ///< sum of node execution times
  double mean_latency_ms = 0;  ///< mean node execution time
};

/// Settings fixed when the engine starts.
struct engine_config {
  std::shared_ptr<const model::platform> platform;
  unsigned scheduler_threads = 0;   ///< CAF scheduler.max-threads; 0: cores + slots (max 64)
  std::shared_ptr<clock> clk;       ///< nullptr: a real_clock
  balancer_policy balancer = balancer_policy::plan_first();
  std::function<void(const node_event&)> observer;  ///< called on actor threads; keep it cheap
  std::size_t max_inflight_per_run = 4096;  ///< nodes of one run dispatched at once
  double time_scale = 1.0;
  std::uint64_t seed = 1;           ///< jitter draws
  /// When set, the monitor actor also feeds these series (must outlive the engine).
  observe::runtime_metrics* metrics = nullptr;
  dynamic_config dynamic;           ///< adaptive strategy, calibration, re-planning, balancing (docs/dynamic.md)
  /// Token for remote domains (domain_spec::endpoint); empty: env CAUSALITY_TOKEN.
  std::string cluster_token;
};

/// What to run.
struct run_request {
  std::shared_ptr<const program> prog;
  model::initiation_hint hint;
  value inputs;
  value::object initial_state;
  std::optional<strategies::plan> plan;   ///< given: the planner actor is skipped
  strategies::strategy_registry strategies;
  retry_policy retry;                     ///< default for nodes without their own
  std::optional<double> node_timeout_ms;  ///< default per-node timeout
  bool continue_on_failure = false;       ///< independent branches go on after a failure
  bool keep_outputs = true;               ///< keep every node's output for results()
  std::function<void(const progress&)> on_progress;
  std::function<void()> on_end;
};

/// The running actor system.
class engine {
 public:
  explicit engine(engine_config cfg);
  ~engine();
  engine(const engine&) = delete;
  engine& operator=(const engine&) = delete;

  /// Starts a run (asynchronously: planning happens in the planner actor).
  std::shared_ptr<run_state> start(run_request req);
  /// Monitor figures per domain (a blocking request; not for hot paths).
  std::vector<domain_snapshot> snapshot() const;
  const model::platform& platform() const;
  clock& get_clock() const;
  unsigned scheduler_threads() const;
  /// Every adaptive strategy switch so far (time, from, to, reason).
  std::vector<strategies::strategy_switch> strategy_switches() const;
  /// Re-plans done by runs so far.
  std::size_t replans() const;
  /// The calibrated performance models as of the monitor's last tick.
  std::shared_ptr<const strategies::perf_model> perf_models() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace causality::actors
