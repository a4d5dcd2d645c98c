#pragma once
// Internal to causality::actors (not installed): the protocol between the
// actors, in one place. Hot path per node:
//
//   run actor --task_list--> balancer --(free slot)--> node actor --completion--> run actor
//                                      \--task_list--> domain actor (queue) --> node actor
//
// | message            | from -> to                          | meaning |
// |--------------------|-------------------------------------|---------|
// | core_ptr           | engine -> planner                   | a run to plan (or with its plan given) |
// | task_list          | run -> balancer                     | node attempts ready to place |
// | task_list          | balancer -> domain; domain -> domain | attempts waiting for a slot of that domain (re-planned ones move) |
// | task_list          | domain -> balancer                  | the queue of a lost domain, to place again |
// | completion         | node -> run; balancer -> run        | one attempt's result (ok, failed, not started, lost, timed out) |
// | program_ptr, metric_list | run -> monitor                | node timings, batched |
// | wake_atom          | slot release / watcher -> domain    | a slot is free or the domain was lost: drain |
// | retry_atom         | clock timer -> run                  | the backoff of a node's next attempt passed |
// | deadline_atom      | clock timer -> run                  | the run's max_latency_ms passed |
// | cancel_atom        | run_state::cancel -> run            | the caller cancelled the run |
// | tick_atom          | clock timer -> monitor              | the adaptive tick |
// | snap_atom, snapshot_promise | engine -> monitor            | per-domain snapshot, set into the promise |
// | suspect_atom       | node -> watcher                     | a remote attempt saw its server or guard go down |
//
// Every timer is a timer of the engine's clock (clock.hpp); CAF's delayed
// sends are not used, so a manual clock drives every timed behaviour.

#include <algorithm>
#include <deque>
#include <future>
#include <memory>
#include <mutex>
#include <queue>
#include <random>
#include <thread>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "causality/actors/dataflow_rules.hpp"
#include "causality/actors/engine.hpp"
#include "causality/domains/remote.hpp"
#include "causality/observe/events.hpp"
#include "causality/observe/log.hpp"
#include "causality/observe/observers.hpp"
#include "causality/strategies/cost.hpp"

namespace causality::actors::detail {

namespace remote = domains::remote;

/// A CAF timespan of `ms` milliseconds (the settings' intervals are in ms).
inline caf::timespan span_ms(double ms) {
  return std::chrono::duration_cast<caf::timespan>(std::chrono::duration<double, std::milli>(ms));
}

struct run_core;
using core_ptr = std::shared_ptr<run_core>;

/// What every actor of one run shares: the request as the caller made it
/// (declared once: run_request), and what the run adds to it. Written by
/// the planner actor before the run actor exists, read-only afterwards
/// (except dyn, which is thread-safe).
struct run_core {
  std::shared_ptr<run_state> state;
  run_request req;  ///< program, hint, inputs, strategies, retry, timeouts, observers
  std::shared_ptr<const strategies::plan> plan;  ///< set by the planner actor
  double spawn_ms = 0;                           ///< engine clock
  caf::actor run_actor;
  std::unique_ptr<run_dynamic> dyn;  ///< re-planning on: the plan in force and node starts
  /// The engine's observers, the run's own and its recorder (fixed at start).
  observe::observer_list events;
  const program& prog() const { return *req.prog; }
};

/// One node attempt on its way to a slot.
struct task {
  core_ptr run;
  std::uint32_t node = 0;
  std::uint32_t attempt = 1;
  std::uint32_t domain = 0;
  std::uint32_t priority = 0;
  std::uint64_t seq = 0;
  std::uint32_t plan_version = 0;  ///< of run_dynamic when dispatched
  value input;
};

/// Result of one attempt, sent by the node actor to the run actor.
struct completion {
  // lost: its remote domain died; timed_out: it ran past its timeout (a
  // failure; the run actor judges it from start_ms and finish_ms).
  enum kind_t : std::uint8_t { ok, failed, not_started, lost, timed_out } kind = ok;
  std::uint32_t node = 0, attempt = 0;
  std::int16_t domain = -1;
  double start_ms = 0, finish_ms = 0;
  value out;
  std::string error;
  std::string stderr_tail;  ///< ok: what the command wrote to stderr (its end)
};

/// One metric for the monitor actor.
struct metric {
  enum kind_t : std::uint8_t { started, finished, failed } kind;
  std::int16_t domain;
  float exec_ms;
  std::uint32_t node = 0;
};

using task_list = std::vector<task>;
using metric_list = std::vector<metric>;
using snapshot_list = std::vector<domain_snapshot>;
/// The engine's caller thread waits on its future: a std::future hand-off is
/// visible to ThreadSanitizer, a CAF reply into a scoped_actor is not.
using snapshot_promise = std::shared_ptr<std::promise<snapshot_list>>;
using program_ptr = std::shared_ptr<const program>;

}  // namespace causality::actors::detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::core_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::task_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::completion)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::metric_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::snapshot_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::snapshot_promise)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::program_ptr)

namespace causality::actors {

using namespace detail;

/// Wakes a domain actor: a slot was released or its domain was lost; drain the queue.
using wake_atom = caf::atom_constant<caf::atom("wake")>;
/// Tells a run actor to start the next attempt of a node (after its backoff).
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// Tells a run actor that its run was cancelled by the caller.
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
/// Tells a run actor that the run's max_latency_ms deadline passed.
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
/// Asks the monitor actor for its per-domain snapshot.
using snap_atom = caf::atom_constant<caf::atom("snap")>;
/// The monitor actor's periodic tick (adaptive strategy, performance models).
using tick_atom = caf::atom_constant<caf::atom("tick")>;

/// Tells a watcher that a remote attempt saw its server or its admission guard go down.
using suspect_atom = caf::atom_constant<caf::atom("suspect")>;

}  // namespace causality::actors
