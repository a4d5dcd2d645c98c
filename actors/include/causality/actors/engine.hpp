#pragma once
/// \file The actor system behind the runtime facade: planner, balancer,
/// domain and monitor actors, a run actor per run and an actor per node.
/// No CAF type appears here (pimpl) so users' translation units stay light.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "causality/actors/balancer_policy.hpp"
#include "causality/actors/clock.hpp"
#include "causality/actors/dynamic.hpp"
#include "causality/actors/program.hpp"
#include "causality/actors/run_state.hpp"
#include "causality/model/error.hpp"
#include "causality/observe/events.hpp"
#include "causality/observe/run_summary.hpp"
#include "causality/strategies/planner.hpp"


namespace causality::actors {

/// Per-domain figures from the monitor actor plus live slot use.
struct domain_snapshot {
  std::string name;
  model::domain_kind kind = model::domain_kind::compute;
  int slots = 0, running = 0, queued = 0;
  std::uint64_t started = 0, finished = 0, failed = 0;
  double busy_ms = 0;          ///< sum of node execution times
  double mean_latency_ms = 0;  ///< mean node execution time
};

/// The scheduler's thread count when `scheduler_threads` is 0: the core
/// count plus every slot of the platform (at most 64), because node bodies
/// run on CAF workers and may block.
unsigned default_scheduler_threads(const model::platform& p);

/// The engine's settings that a runtime_config carries as they are (it
/// derives from this struct: one set of fields, no copy by hand). Every
/// field is documented with its default in docs/runtime.md.
struct engine_settings {
  /// CAF scheduler.max-threads; 0: default_scheduler_threads() (cores + slots, at most 64).
  unsigned scheduler_threads = 0;
  /// Multiplies the `work` node type's duration.
  double time_scale = 1.0;
  /// Time source and timers (retries, timeouts, deadlines); none: real time.
  std::shared_ptr<actors::clock> clock;
  /// Choice among eligible domains at dispatch.
  balancer_policy balancer = balancer_policy::plan_first();
  /// Observers of every run's events and of the engine's (strategy switches,
  /// domains lost and re-admitted); on actor threads, thread-safe and cheap
  /// (observe/events.hpp). Metrics: add an observe::metrics_observer.
  std::vector<observe::observer_ptr> observers;
  /// Nodes of one run handed to the balancer at once (bounds domain queues).
  std::size_t max_inflight_per_run = 4096;
  /// Seed of the retry jitter.
  std::uint64_t seed = 1;
  /// Dynamic optimization (adaptive strategy, calibrated models, re-planning,
  /// predictive balancing); all off by default. See docs/dynamic.md.
  dynamic_config dynamic;
  /// Shared secret presented to remote domain servers (platform domains with
  /// an `endpoint`); empty: the environment variable CAUSALITY_TOKEN.
  std::string cluster_token;
  /// CAF middleman heartbeat towards remote domain servers, ms (how soon a
  /// silent connection is noticed).
  double remote_heartbeat_ms = 500;
  /// How long the handshake with a remote domain server may take, ms.
  double remote_handshake_timeout_ms = 10'000;
  /// Heartbeat probe towards each remote domain server, ms (on the engine's clock).
  double heartbeat_ms = 250;
  /// A remote domain whose server has not answered a probe for this long is
  /// declared lost: its running and queued nodes run elsewhere, ms.
  double dead_after_ms = 1500;
  /// How long connecting to a remote domain server may take, ms (start-up
  /// and each reconnection attempt after a loss).
  double connect_timeout_ms = 3000;
  /// A remote domain unreachable at start-up: false, the engine does not
  /// start (errc::remote_unreachable); true, a warning, the run uses the
  /// other domains and the watcher admits the server when it answers.
  bool remote_optional = false;
  /// A remote domain whose server reports another speed, slot count or kind
  /// than the platform file: false, a warning naming both values; true, the
  /// engine does not start (errc::remote_refused).
  bool strict_platform = false;
  /// A run actor flushes its batched node timings to the monitor at the first
  /// completion after the last flush is this old (engine clock), ms ...
  double metric_flush_ms = 100;
  /// ... or as soon as this many are batched.
  std::size_t metric_flush_batch = 1024;
};

/// Settings fixed when the engine starts: the platform plus the settings.
struct engine_config : engine_settings {
  std::shared_ptr<const model::platform> platform;
};

/// A failure to start the engine, with its kind (a remote domain down is
/// errc::remote_unreachable, a refused token errc::remote_refused).
struct engine_error : std::invalid_argument {
  engine_error(model::errc c, const std::string& what) : std::invalid_argument(what), code(c) {}
  model::errc code;
};

/// What a caller may set for one run, whether it comes through the facade's
/// spawn_options or straight to the engine (declared once here).
struct run_options {
  /// Workflow inputs (an object when input_schema is set); given to every source node.
  value inputs;
  /// Initial workflow state.
  value::object initial_state;
  /// Use this plan instead of asking the planner actor.
  std::optional<strategies::plan> plan;
  /// Called after every node completion (on an actor thread; keep it cheap).
  std::function<void(const progress&)> on_progress;
  /// Keep every node's output for results() (off: only sinks' outputs).
  bool keep_outputs = true;
  /// Observers of this run's events only (besides the engine's).
  std::vector<observe::observer_ptr> observers;
};

/// What to run: the caller's options plus what the facade resolved.
struct run_request : run_options {
  std::shared_ptr<const program> prog;
  model::initiation_hint hint;
  strategies::strategy_registry strategies;
  retry_policy retry;                     ///< default for nodes without their own
  std::optional<double> node_timeout_ms;  ///< default per-node timeout
  bool continue_on_failure = false;       ///< independent branches go on after a failure
  std::function<void()> on_end;           ///< admission control release
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
  /// Per platform domain: the node types its remote server said it hosts at
  /// start-up; nullopt for a local domain and a remote one not reached.
  std::vector<std::optional<std::set<std::string>>> hosted_types() const;
  /// Every adaptive strategy switch so far (time, from, to, reason).
  std::vector<strategies::strategy_switch> strategy_switches() const;
  /// Re-plans done by runs so far.
  std::size_t replans() const;
  /// Strategy switches and domain losses so far (the summaries' engine events).
  const observe::engine_history& history() const;
  /// The calibrated performance models as of the monitor's last tick.
  std::shared_ptr<const strategies::perf_model> perf_models() const;

  struct impl;

 private:
  std::unique_ptr<impl> impl_;
};

}  // namespace causality::actors
