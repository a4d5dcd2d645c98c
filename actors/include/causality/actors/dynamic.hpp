#pragma once
/// \file Dynamic optimization inside the actor system: its settings, what the
/// monitor actor knows and publishes (load, calibrated performance models,
/// the adaptive strategy, switch events) and the re-planning of one run.
/// CAF-free: actors own these objects and feed them events; every decision
/// is a pure policy of strategies/ (docs/dynamic.md).

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "causality/model/error.hpp"
#include "causality/model/types.hpp"
#include "causality/strategies/adaptive_policy.hpp"
#include "causality/strategies/demand_forecast.hpp"
#include "causality/strategies/monitor_state.hpp"
#include "causality/strategies/perf_model.hpp"
#include "causality/strategies/planner.hpp"
#include "causality/strategies/replan_policy.hpp"

namespace causality::actors {

/// Dynamic-optimization settings of an engine; everything off by default.
/// Times are ms of the engine's clock (real time, not model time).
struct dynamic_config {
  bool adaptive_strategy = false;  ///< plan new runs with the adaptive policy's strategy
  bool calibrate = false;          ///< plan with performance models calibrated from measured times
  bool replan = false;             ///< re-plan a run's unstarted nodes when a domain runs much slower than planned
  double tick_ms = 100;            ///< monitor period (load sampling, strategy decisions)
  double forecast_horizon_ms = 1000;  ///< a balancer policy that uses_forecast looks this far ahead
  strategies::monitor_config monitor;
  strategies::adaptive_config adaptive;
  strategies::perf_model_config perf;
  strategies::forecast_config forecast;
  strategies::replan_config replanning;
  /// Performance models loaded at start and saved at shutdown; empty: none.
  std::string perf_model_file;
};

/// What the monitor publishes for the planner and the run handles (thread-safe).
class dynamic_board {
 public:
  /// The strategy for a run whose hint prefers `preferred`.
  std::string strategy_for(const std::string& preferred) const;
  /// The strategy every run follows now (high or low load, deadline, budget,
  /// pinned), or nullopt in the normal regime (each run its own preference).
  std::optional<std::string> override_strategy() const;
  /// Changes whenever override_strategy() does (cheap to poll per node).
  std::uint64_t version() const { return version_.load(std::memory_order_acquire); }
  /// The calibrated models as of the last monitor tick (never null).
  std::shared_ptr<const strategies::perf_model> perf() const;
  /// Every strategy switch so far.
  std::vector<strategies::strategy_switch> switches() const;
  /// Re-plans done by runs so far.
  std::size_t replans() const;

  /// Monitor side: publishes the policy's state and a model snapshot.
  void publish(const strategies::adaptive_policy& p,
               std::shared_ptr<const strategies::perf_model> perf);
  /// Run side: one re-plan happened.
  void count_replan();
  /// Planner side: a run preferring `strategy` was planned; the policy's
  /// default follows the preference of the workflows arriving.
  void preferred(const std::string& strategy);
  /// The last preference reported by preferred() (empty: none yet).
  std::string last_preferred() const;

 private:
  mutable std::mutex mx_;
  std::string current_;
  bool normal_ = true;
  std::vector<strategies::strategy_switch> switches_;
  std::shared_ptr<const strategies::perf_model> perf_ = std::make_shared<strategies::perf_model>();
  std::size_t replans_ = 0;
  std::string last_preferred_;
  std::atomic<std::uint64_t> version_{0};
};

/// The monitor actor's state: per-domain metrics, performance models and the
/// adaptive strategy policy.
class dynamic_monitor {
 public:
  /// Models are loaded from cfg.perf_model_file when it exists; a bad file
  /// is an error (the engine refuses to start).
  static model::expected<std::unique_ptr<dynamic_monitor>> make(const model::platform& plat,
                                                                const dynamic_config& cfg);
  /// A node of model `model_key` (strategies::model_key) finished on `domain`: exec_model_ms = real time /
  /// time scale, static_ms = FORMATS.md's estimate, cost = its effect cost.
  void finished(const std::string& model_key, std::size_t domain, double now_ms,
                double exec_model_ms, double static_ms, double cost);
  /// A node attempt failed on `domain`.
  void failed(std::size_t domain, double now_ms);
  /// Periodic: live (running, queued) per domain; returns a switch, if any,
  /// after publishing on `board`.
  std::optional<strategies::strategy_switch> tick(
      const std::vector<std::pair<std::uint32_t, std::uint32_t>>& levels, double now_ms,
      dynamic_board& board);
  /// One domain's monitored figures.
  strategies::domain_metrics metrics(std::size_t domain, double now_ms) const {
    return state_.metrics(domain, now_ms);
  }
  /// The models (saved by the engine at shutdown).
  const strategies::perf_model& perf() const { return perf_; }
  /// The adaptive policy.
  const strategies::adaptive_policy& policy() const { return policy_; }

 private:
  dynamic_monitor(const model::platform& plat, const dynamic_config& cfg);
  const model::platform& plat_;
  dynamic_config cfg_;
  strategies::monitor_state state_;
  strategies::perf_model perf_;
  strategies::adaptive_policy policy_;
  bool perf_dirty_ = true;
};

/// Re-planning of one run, owned by its run actor. Model time: the run's
/// real times divided by the time scale.
class run_replanner {
 public:
  /// `base`: the exec-time model the run was first planned with (empty:
  /// the static model).
  run_replanner(std::shared_ptr<const model::dataflow_definition> def,
                std::shared_ptr<const model::platform> plat, strategies::replan_config cfg,
                strategies::perf_model::exec_time_fn base);
  /// Modelled exec time (model ms) of node n on domain d before slowdowns.
  double base_ms(std::size_t n, std::size_t d) const;
  /// Node n finished on domain d after exec_model_ms: true when a re-plan is due.
  bool finished(std::size_t n, std::size_t d, double exec_model_ms);
  /// The domain failed: its nodes are lost.
  void domain_failed(std::size_t d) { policy_.domain_failed(d); }
  /// Why a re-plan is due (nullopt: not due).
  std::optional<std::string> due() const { return policy_.due(); }

  /// A new plan and what the run does with it.
  struct result {
    strategies::plan plan;
    strategies::replan_inputs inputs;
  };
  /// Plans again from the nodes' progress (model ms since the run started).
  model::expected<result> replan(const std::vector<strategies::node_progress>& nodes,
                                 double now_model_ms, const model::initiation_hint& hint,
                                 const strategies::strategy_registry& strategies,
                                 std::optional<std::string> strategy_override);
  /// Re-plans done.
  std::size_t count() const { return count_; }

 private:
  std::shared_ptr<const model::dataflow_definition> def_;
  std::shared_ptr<const model::platform> plat_;
  strategies::replan_policy policy_;
  strategies::perf_model::exec_time_fn base_;
  std::size_t count_ = 0;
};

/// Per-run dynamic state shared by the run's actors: the plan in force
/// (replaced by re-plans while the balancer and domains read it), where and
/// when each node started, and the re-planner owned by the run actor.
class run_dynamic {
 public:
  /// `nodes` nodes, none started; `replanner` may be null (no re-planning).
  run_dynamic(std::size_t nodes, std::unique_ptr<run_replanner> replanner);
  /// The plan in force (thread-safe).
  std::shared_ptr<const strategies::plan> plan() const { return std::atomic_load(&plan_); }
  /// Replaces the plan and bumps the version (run actor).
  void set_plan(std::shared_ptr<const strategies::plan> p);
  /// Plan version: a task dispatched under an older version may be re-routed.
  std::uint32_t version() const { return version_.load(std::memory_order_acquire); }
  /// A node actor started `node` on `domain` at start_ms (ms since the run started).
  void started(std::size_t node, std::size_t domain, double start_ms);
  /// The node's attempt ended without a result (it will be dispatched again).
  void reset(std::size_t node);
  /// The re-planner (null when re-planning is off).
  run_replanner* replanner() const { return replanner_.get(); }

  /// The nodes' progress in model ms (real / time_scale) from the run
  /// actor's records: done nodes, nodes started (running), dispatched but not
  /// started (queued), the rest pending.
  std::vector<strategies::node_progress> progress(const std::vector<bool>& done,
                                                  const std::vector<bool>& dispatched,
                                                  const std::vector<float>& start_ms,
                                                  const std::vector<float>& finish_ms,
                                                  const std::vector<std::int16_t>& domain,
                                                  double time_scale) const;

 private:
  std::shared_ptr<const strategies::plan> plan_;
  std::atomic<std::uint32_t> version_{0};
  std::unique_ptr<std::atomic<float>[]> start_;   ///< < 0: not started
  std::unique_ptr<std::atomic<std::int32_t>[]> domain_;
  std::size_t n_;
  std::unique_ptr<run_replanner> replanner_;
};

}  // namespace causality::actors
