#pragma once
// Internal to causality::actors (not installed): every message and atom the
// actors exchange, the engine's shared state (engine::impl), and the entry
// point of each actor behaviour (one .cpp per actor). Hot path per node: run
// actor -> balancer (batched) -> node actor spawned on a free slot (or queued
// in the domain actor) -> run actor.

#include <algorithm>
#include <deque>
#include <mutex>
#include <queue>
#include <random>
#include <thread>

#include <caf/all.hpp>
#include <caf/io/all.hpp>

#include "causality/actors/dataflow_rules.hpp"
#include "causality/actors/engine.hpp"
#include "causality/domains/gate.hpp"
#include "causality/domains/remote.hpp"
#include "causality/domains/slot_pool.hpp"
#include "causality/observe/log.hpp"
#include "causality/observe/events.hpp"
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

/// Slot accounting shared by the balancer, the domain actor and node actors:
/// the fast path takes a free slot without a message; the domain actor owns
/// the queue when slots are contended.
struct domain_rt {
  domain_rt(std::size_t i, const model::domain_spec* s)
      : index(i), spec(s), pool(static_cast<int>(std::max<std::uint32_t>(1, s->slots))) {}
  std::size_t index = 0;
  const model::domain_spec* spec = nullptr;
  domains::slot_pool pool;           ///< slots and queued count (domains/slot_pool.hpp)
  caf::actor actor;
  std::atomic<bool> available{true};  ///< false while a remote domain is lost
  /// Node types its remote server said it hosts (set before the actors start;
  /// nullopt: a local domain, or a remote one not reached at start-up).
  std::optional<std::set<std::string>> hosted_types;
  /// Carries CAF's connections to the server's gate with the token (remote domains).
  std::unique_ptr<domains::connector> via;
  /// The server's actor and the guard of its current admission (node actors
  /// monitor both: the guard dies when the watcher declares the domain lost).
  struct link_t {
    caf::actor server, guard;
  };
  link_t link() const {
    std::lock_guard<std::mutex> g(link_mx);
    return link_;
  }
  void set_link(link_t l) {
    std::lock_guard<std::mutex> g(link_mx);
    link_ = std::move(l);
  }

 private:
  mutable std::mutex link_mx;
  link_t link_;  ///< empty for a local domain and for a remote one never reached
};

/// What every actor of one run shares.
struct run_core {
  std::shared_ptr<run_state> state;
  std::shared_ptr<const program> prog;
  std::shared_ptr<const strategies::plan> plan;
  std::optional<strategies::plan> given_plan;
  strategies::strategy_registry strategies;
  model::initiation_hint hint;
  value inputs;
  retry_policy retry;
  std::optional<double> node_timeout_ms;
  bool continue_on_failure = false;
  bool keep_outputs = true;
  double spawn_ms = 0;
  caf::actor run_actor;
  std::unique_ptr<run_dynamic> dyn;  ///< re-planning on: the plan in force and node starts
  /// The engine's observers, the run's own and its recorder (fixed at start).
  observe::observer_list events;
  /// The balancer's weights of the plan's strategy (written by the balancer actor only).
  struct {
    bool known = false;
    std::string strategy;
    double latency = 1.0, cost = 0.0;
  } weights;
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
  enum kind_t : std::uint8_t { ok, failed, not_started, lost } kind = ok;  // lost: its remote domain died
  std::uint32_t node = 0, attempt = 0;
  std::int16_t domain = -1;
  double start_ms = 0, finish_ms = 0;
  value out;
  std::string error;
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
using program_ptr = std::shared_ptr<const program>;

}  // namespace causality::actors::detail

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::core_ptr)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::task_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::completion)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::metric_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::snapshot_list)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(causality::actors::detail::program_ptr)

namespace causality::actors {

using namespace detail;

/// Wakes a domain actor: a slot was released or its domain was lost; drain the queue.
using wake_atom = caf::atom_constant<caf::atom("wake")>;
/// Tells a run actor to start the next attempt of a node (after its backoff).
using retry_atom = caf::atom_constant<caf::atom("retry")>;
/// Tells a run actor that a node attempt exceeded its timeout.
using timeout_atom = caf::atom_constant<caf::atom("timeout")>;
/// Tells a run actor that its run was cancelled by the caller.
using cancel_atom = caf::atom_constant<caf::atom("cancel")>;
/// Tells a run actor that the run's max_latency_ms deadline passed.
using deadline_atom = caf::atom_constant<caf::atom("deadline")>;
/// Asks the monitor actor for its per-domain snapshot.
using snap_atom = caf::atom_constant<caf::atom("snap")>;
/// The monitor actor's periodic tick (adaptive strategy, performance models).
using tick_atom = caf::atom_constant<caf::atom("tick")>;

struct engine::impl {
  engine_config cfg;
  unsigned threads = 0;
  caf::actor_system_config sys_cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::vector<std::unique_ptr<domain_rt>> domains;
  caf::actor planner, balancer, monitor;
  std::atomic<std::uint64_t> next_run{1};
  std::atomic<std::uint64_t> next_seq{0};
  /// Request ids towards domain servers: unique per attempt (random base, so
  /// two runtimes on one server do not collide in practice).
  std::atomic<std::uint64_t> next_remote_id{std::random_device{}() * 0x100000000ull};
  std::mutex runs_mx;
  std::vector<std::weak_ptr<run_state>> runs;
  dynamic_board board;                    ///< what the monitor publishes
  std::string token;                      ///< presented to remote domains
  std::vector<caf::actor> watchers;       ///< one per remote domain: marks it lost on down
  std::unique_ptr<dynamic_monitor> dyn;   ///< owned by the monitor actor once running
  /// The engine's observers (cfg.observers and the history), for engine events.
  observe::observer_list events;
  std::shared_ptr<observe::engine_history> history = std::make_shared<observe::engine_history>();
  std::shared_ptr<observe::log_observer> log = std::make_shared<observe::log_observer>();

  double now_ms() const { return std::chrono::duration<double, std::milli>(cfg.clock->now()).count(); }
  /// Bit d set: domain d may get nodes (remote domains drop out when lost).
  std::uint64_t live_mask() const {
    std::uint64_t m = 0;
    for (std::size_t d = 0; d < domains.size() && d < 64; ++d)
      if (domains[d]->available.load(std::memory_order_relaxed)) m |= std::uint64_t{1} << d;
    return m;
  }
  void release(domain_rt& d) {
    // Pairs with the domain actor's queued++ then try_acquire: one side sees the other.
    if (d.pool.release()) caf::anon_send(d.actor, wake_atom::value);
  }
};

using impl = engine::impl;

// Publishing into a run's event stream (observe/events.hpp); nothing is built
// when the run has no observer.

/// A node attempt started on `dom` at engine time `at_ms`.
inline void publish_started(const run_core& rc, const task& t, const model::domain_spec& dom, double at_ms) {
  if (rc.events.empty()) return;
  rc.events.publish(&observe::observer::on_node_started,
                    observe::node_started{rc.state->id(), rc.prog->def->nodes[t.node].node_id, t.node, t.attempt,
                                          dom.name, at_ms - rc.spawn_ms});
}

/// Where a node attempt goes and why (balancer, or a queued task following a re-plan).
void publish_placed(const impl& eng, const task& t, observe::placement how, const std::string& reason);

// Entry points of the actor behaviours, one file each.

/// node_actor.cpp: spawns a node actor running one attempt of `t` on a slot already taken.
void start_node(caf::local_actor* self, task&& t, impl* eng);
/// domain_actor.cpp: the queue of domain `d` while its slots are taken.
caf::actor spawn_domain_actor(caf::actor_system& sys, domain_rt* d, impl* eng);
/// balancer_actor.cpp: places each dispatched task on an eligible domain.
caf::actor spawn_balancer_actor(caf::actor_system& sys, impl* eng);
/// monitor_actor.cpp: per-domain figures, adaptive tick, performance models, metrics.
caf::actor spawn_monitor_actor(caf::actor_system& sys, impl* eng);
/// run_actor.cpp: one run, from its plan to its outcome.
caf::actor spawn_run_actor(caf::local_actor* self, core_ptr rc, impl* eng);
/// planner_actor.cpp: plans a run (unless it came with a plan), then spawns its run actor.
caf::behavior planner_actor(caf::event_based_actor* self, impl* eng);
/// remote_link.cpp: connects to a domain server and checks the token, each
/// within its timeout (throws engine_error; with remote_optional a warning
/// and the domain starts lost).
void connect_remote(impl& m, domain_rt& d);
/// remote_link.cpp: watches a remote domain with heartbeat probes on the
/// engine's clock; declares it lost when its server goes away or stops
/// answering for dead_after_ms, and re-admits it when it answers again.
caf::actor spawn_watcher_actor(caf::actor_system& sys, domain_rt* d, impl* eng);

}  // namespace causality::actors
