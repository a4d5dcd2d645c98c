#pragma once
/// \file The embedding API: a runtime owning the actor system, spawning
/// workflows and handing back run handles. No CAF header is included.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "causality/actors/balancer_policy.hpp"
#include "causality/actors/clock.hpp"
#include "causality/actors/engine.hpp"
#include "causality/actors/run_state.hpp"
#include "causality/model/error.hpp"
#include "causality/observe/events.hpp"
#include "causality/observe/run_summary.hpp"
#include "causality/runtime/workflow.hpp"
#include "causality/strategies/planner.hpp"

namespace causality {

using actors::node_result;
using actors::progress;
using actors::run_outcome;
using actors::run_status;

/// What spawn does when the runtime is saturated.
enum class saturation_policy { wait, reject };

/// Settings of a runtime; every field is documented with its default in
/// docs/runtime.md. The engine's settings (threads, clock, balancer, observers,
/// dynamic, cluster token, intervals) are the base engine_settings,
/// handed to the engine as they are.
struct runtime_config : actors::engine_settings {
  /// Domains to run on; none: local_platform().
  std::optional<model::platform> platform;
  /// Default retry policy of nodes.
  retry_policy retry;
  /// Default per-node timeout (ms); none: no timeout.
  std::optional<double> node_timeout_ms;
  /// After a node fails for good, finish independent branches (run still fails).
  bool continue_on_failure = false;
  /// Admission control: runs at once, and nodes of unfinished runs.
  std::size_t max_active_runs = 256;
  std::size_t max_pending_nodes = std::size_t{1} << 24;
  saturation_policy when_saturated = saturation_policy::wait;

  /// The config for a platform file (errors name file, field, reason).
  static model::expected<runtime_config> from_platform_file(const std::string& path);
  /// The default local platform: "compute" (a slot per core), "service"
  /// (4 slots, external-api), "verifiable" (1 slot, security 3, zk + deterministic).
  static model::platform local_platform();
};

/// Per-spawn settings: the run's options (inputs, initial state, a given
/// plan, progress callback, keep_outputs, observers; actors::run_options)
/// plus overrides of the runtime's defaults for this run.
struct spawn_options : actors::run_options {
  std::optional<retry_policy> retry;
  std::optional<double> node_timeout_ms;
  std::optional<bool> continue_on_failure;
};

/// A running (or finished) workflow.
class run_handle {
 public:
  explicit run_handle(std::shared_ptr<actors::run_state> s) : s_(std::move(s)) {}
  std::uint64_t id() const { return s_->id(); }
  run_status status() const { return s_->status(); }
  /// Done / running / pending / failed / skipped counts now.
  actors::progress progress() const { return s_->current_progress(); }
  void wait() const { s_->wait(); }
  /// True when the run ended within d.
  template <class Rep, class Period>
  bool wait_for(std::chrono::duration<Rep, Period> d) const {
    return s_->wait_for(std::chrono::duration_cast<std::chrono::nanoseconds>(d));
  }
  /// Pending nodes never start; running nodes see their token; resolves as cancelled.
  void cancel() { s_->cancel(); }
  /// How it ended (blocks).
  const run_outcome& outcome() const { return s_->outcome(); }
  /// Future of the outcome.
  std::shared_future<run_outcome> future() const { return s_->future(); }
  /// The single sink's output, or the object of all sinks' outputs (blocks).
  value output() const;
  /// The plan used (nullptr before planning or when planning failed).
  std::shared_ptr<const strategies::plan> plan() const { return s_->plan(); }
  /// Per-node results and timings (blocks until the run ended).
  std::vector<node_result> results() const { return s_->results(); }
  /// The workflow state (state_schema) now.
  value::object state() const { return s_->state(); }
  /// Spawn to end, ms.
  double elapsed_ms() const { return s_->elapsed_ms(); }
  /// What the run did (blocks until it ended): planned and actual makespan
  /// and cost, one record per node (planned and actual domain, status,
  /// attempts, times, output), nodes moved and why, re-plans, the strategy
  /// timeline, per-domain utilisation, lost domains.
  observe::run_summary summary() const { return s_->summary(); }
  /// Why `node_id` ran where it ran, from what happened (blocks until the run
  /// ended): the plan's reason and score terms, the balancer's move, the
  /// re-plan's slowdown, the lost domain. nullopt: no such node.
  std::optional<std::string> explain(const std::string& node_id) const { return s_->explain(node_id); }

 private:
  std::shared_ptr<actors::run_state> s_;
};

/// The embedded runtime.
class runtime {
 public:
  /// Local platform, defaults.
  runtime();
  /// Throws std::invalid_argument (actors::engine_error, with its code) when
  /// the engine cannot start; runtime::make returns that as an error instead.
  explicit runtime(runtime_config cfg);
  /// A runtime, or why it cannot start: errc::remote_unreachable (a remote
  /// domain server is down), errc::remote_refused (token refused),
  /// errc::invalid_input (no token, bad endpoint, bad performance models).
  static model::expected<runtime> make(runtime_config cfg);
  ~runtime();
  runtime(runtime&&) noexcept;
  runtime& operator=(runtime&&) noexcept;
  runtime(const runtime&) = delete;
  runtime& operator=(const runtime&) = delete;

  /// Registers (or replaces) a node type usable by name (node_type).
  void register_node_type(const std::string& name, node_fn fn);
  /// Named edge functions and routers for file-defined workflows.
  void register_transform(const std::string& name, actors::transform_fn fn);
  void register_filter(const std::string& name, actors::filter_fn fn);
  void register_router(const std::string& name, actors::router_fn fn);
  /// Adds a user-defined strategy usable as hint.preferred_strategy_id.
  model::status add_strategy(model::optimization_strategy s);

  /// Validates and starts a run. Errors: bad inputs or state (schema),
  /// compile errors (unknown node type, cycle, unhostable node), busy.
  /// Planning errors resolve the run as failed.
  model::expected<run_handle> spawn(const workflow& wf, model::initiation_hint hint = {},
                                    spawn_options opts = {});
  /// Loads a workflow file (project JSON or WfCommons).
  static model::expected<workflow> load_workflow(const std::string& path);

  const model::platform& platform() const;
  const runtime_config& config() const;
  /// Monitor figures per domain.
  std::vector<actors::domain_snapshot> domain_stats() const;
  /// Every adaptive strategy switch so far (time, from, to, reason).
  std::vector<strategies::strategy_switch> strategy_switches() const;
  /// Re-plans done by runs so far (a domain ran much slower than planned).
  std::size_t replans() const;
  /// The calibrated performance models (save them with perf_model::save).
  std::shared_ptr<const strategies::perf_model> perf_models() const;
  /// Runs not yet ended.
  std::size_t active_runs() const;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace causality
