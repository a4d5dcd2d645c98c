#pragma once
/// \file The state one run shares between its actors and the user's handle:
/// status, progress counters, outcome, per-node results, the plan used.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "causality/actors/program.hpp"
#include "causality/actors/value.hpp"
#include "causality/observe/run_summary.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::actors {

/// Where a run is.
enum class run_status { running, succeeded, failed, cancelled };
/// Where a node is. A run ends with every node in one of the final states:
/// succeeded; failed (its last attempt failed); timed_out (its last attempt
/// exceeded its timeout: a failure too); skipped (no input edge fired, or an
/// upstream node failed); cancelled (it was running, waiting for a slot or
/// never started when the run ended without success).
enum class node_status : std::uint8_t {
  pending,
  running,
  succeeded,
  failed,
  skipped,
  cancelled,
  timed_out,
  done = succeeded,  ///< the former name of succeeded
};
/// "running", "succeeded", ... for printing.
const char* to_string(run_status s);
const char* to_string(node_status s);

/// Counts of nodes by state; pending includes queued and waiting for inputs.
struct progress {
  std::size_t total = 0, done = 0, running = 0, pending = 0, failed = 0, skipped = 0;
};

/// How a run ended.
struct run_outcome {
  run_status status = run_status::running;
  /// Object: sink node id -> output, for every sink that produced one.
  value outputs;
  std::string error;        ///< why it failed or was cancelled; empty on success
  std::string failed_node;  ///< node id that caused it, when one did
};

/// One node's result and timing (ms since the run started, by the runtime's clock).
struct node_result {
  std::string node_id;
  node_status status = node_status::pending;
  value output;
  std::string error;                ///< its last attempt's error (empty: it succeeded or never ran)
  std::vector<std::string> errors;  ///< every failed attempt's error, in attempt order
  std::string stderr_tail;          ///< it succeeded: the end of what its command wrote to stderr
  std::uint32_t attempts = 0;
  int domain = -1;  ///< index into the platform; -1 if it never ran
  double start_ms = 0, finish_ms = 0;
};

/// Per-node data recorded by the run actor, compact on purpose (memory per node).
struct node_records {
  std::vector<value> output;
  std::vector<float> start_ms, finish_ms;
  std::vector<std::int16_t> domain;
  std::vector<std::uint8_t> attempts;
  std::vector<node_status> status;
  /// Each failed attempt's error, in order, by node (only nodes with one).
  std::unordered_map<std::uint32_t, std::vector<std::string>> errors;
  /// The stderr tail of each node that succeeded and wrote to stderr.
  std::unordered_map<std::uint32_t, std::string> stderr_tail;
};

/// Shared state of one run.
class run_state {
 public:
  run_state(std::shared_ptr<const program> prog, std::uint64_t id);
  run_state(const run_state&) = delete;
  run_state& operator=(const run_state&) = delete;

  std::uint64_t id() const { return id_; }
  const program& prog() const { return *prog_; }
  const std::shared_ptr<const program>& prog_ptr() const { return prog_; }
  run_status status() const;
  /// Counters right now.
  progress current_progress() const;
  /// Blocks until the run ended.
  void wait() const;
  /// Waits at most d; true when the run ended.
  bool wait_for(std::chrono::nanoseconds d) const;
  /// The outcome; blocks until the run ended.
  const run_outcome& outcome() const;
  /// A future of the outcome.
  std::shared_future<run_outcome> future() const { return future_; }
  /// The plan the run follows (nullptr until planned or when planning failed).
  std::shared_ptr<const strategies::plan> plan() const;
  /// Per-node results (blocks until the run ended).
  std::vector<node_result> results() const;
  /// Asks the run to stop: pending nodes never start, running ones see their token.
  void cancel();
  /// Wall time from spawn to end (ms), by the runtime's clock.
  double elapsed_ms() const;

  /// The plan the run started with (before any re-plan); nullptr as plan().
  std::shared_ptr<const strategies::plan> first_plan() const;
  /// What the run did: planned and actual makespan and cost, per-node records
  /// (planned and actual domain, attempts, times, output), moves, re-plans,
  /// strategy timeline, lost domains (blocks until the run ended).
  observe::run_summary summary() const;
  /// Why `node_id` ran where it ran, from what happened (blocks until the run
  /// ended); nullopt for an unknown node id.
  std::optional<std::string> explain(const std::string& node_id) const;

  /// The workflow state (state_schema) as it is now.
  value::object state() const { return wstate ? wstate->read() : value::object{}; }

  // ---- used by the actors ----
  std::shared_ptr<workflow_state> wstate;
  std::atomic<bool> cancel_flag{false};
  std::atomic<std::size_t> n_done{0}, n_running{0}, n_failed{0}, n_skipped{0};
  /// Installs what cancel() calls to tell the run actor.
  void set_cancel_hook(std::function<void()> hook);
  std::function<void(const progress&)> on_progress;
  std::function<void()> on_end;       ///< admission control release
  void set_plan(std::shared_ptr<const strategies::plan> p);
  void set_times(double spawn_ms) { spawn_ms_ = spawn_ms; }
  /// The spawn time by the engine's clock (ms).
  double spawn_ms() const { return spawn_ms_; }
  /// Set by the engine when the run starts (what summary() and explain() read).
  struct context {
    std::shared_ptr<observe::run_recorder> recorder;
    std::shared_ptr<const observe::engine_history> history;
    double time_scale = 1;
    std::string initial_strategy;
    /// The planner's reasoning for the run's inputs (explain_plan), on demand.
    std::function<model::expected<strategies::explained_plan>()> explain_plan;
  } ctx;
  /// Ends the run once (later calls are ignored); returns whether it ended it.
  bool finish(run_outcome o, node_records rec, double end_ms);

 private:
  std::shared_ptr<const program> prog_;
  std::uint64_t id_;
  mutable std::mutex mx_;
  mutable std::condition_variable cv_;
  bool ended_ = false;
  run_outcome outcome_;
  node_records rec_;
  std::shared_ptr<const strategies::plan> plan_, first_plan_;
  /// The planner's reasoning for the first plan, computed by the first explain() only.
  mutable std::once_flag explained_once_;
  mutable std::optional<strategies::explained_plan> explained_;
  std::function<void()> cancel_hook_;
  std::promise<run_outcome> promise_;
  std::shared_future<run_outcome> future_;
  double spawn_ms_ = 0, end_ms_ = 0;
};

}  // namespace causality::actors
