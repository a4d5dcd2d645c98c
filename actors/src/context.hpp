#pragma once
// Internal to causality::actors: what each actor is given instead of the
// whole engine. The domain table (slots, domain actors, liveness) and one
// narrow context per kind of actor, each holding only what that actor reads.
// The engine (engine.cpp) builds them once; tests build them by hand to run
// an actor alone (tests/actors/test_protocol.cpp).

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "causality/domains/gate.hpp"
#include "causality/domains/slot_pool.hpp"
#include "annotated_actor.hpp"
#include "protocol.hpp"

namespace causality::actors {

class liveness;

/// One domain of the platform as the actors share it. Slot accounting
/// (domains::slot_pool) is shared by the balancer (fast path), the domain
/// actor (queue) and node actors (release). Liveness and the link to a
/// remote server have one writer: the domain's watcher (class liveness,
/// remote_link.cpp); everyone else reads.
class domain_entry {
 public:
  domain_entry(std::size_t i, const model::domain_spec* s)
      : index(i), spec(s), pool(static_cast<int>(std::max<std::uint32_t>(1, s->slots))) {}
  const std::size_t index;
  const model::domain_spec* const spec;
  domains::slot_pool pool;
  caf::actor actor;    ///< its domain actor (set before any message flows)
  caf::actor watcher;  ///< remote domains: its watcher (set before any message flows)
  /// Node types its remote server said it hosts (set at start-up; nullopt: a
  /// local domain, or a remote one not reached).
  std::optional<std::set<std::string>> hosted_types;
  /// Carries CAF's connections to the server's gate with the token (remote domains).
  std::unique_ptr<domains::connector> via;
  /// The server's actor and the guard of its current admission (node actors
  /// monitor both: the guard dies when the watcher declares the domain lost).
  struct link_t {
    caf::actor server, guard;
  };
  link_t link() const {
    std::lock_guard<std::mutex> g(link_mx_);
    return link_;
  }
  /// False while a remote domain is lost.
  bool available() const { return available_.load(std::memory_order_relaxed); }

 private:
  friend class liveness;
  std::atomic<bool> available_{true};
  mutable std::mutex link_mx_;
  link_t link_;  ///< empty for a local domain and for a remote one never reached
};

/// The one writer of a domain's liveness and link: its watcher
/// (remote_link.cpp), and the engine at start-up and shutdown.
class liveness {
 public:
  static void set(domain_entry& d, bool available) { d.available_.store(available); }
  static void link(domain_entry& d, domain_entry::link_t l) {
    std::lock_guard<std::mutex> g(d.link_mx_);
    d.link_ = std::move(l);
  }
  static void unlink(domain_entry& d) { link(d, {}); }
};

/// The platform's domains, in platform order.
class domain_table {
 public:
  explicit domain_table(const model::platform& p) {
    for (std::size_t d = 0; d < p.domains.size(); ++d)
      entries_.push_back(std::make_unique<domain_entry>(d, &p.domains[d]));
  }
  std::size_t size() const { return entries_.size(); }
  domain_entry& operator[](std::size_t d) { return *entries_[d]; }
  const domain_entry& operator[](std::size_t d) const { return *entries_[d]; }
  /// Bit d set: domain d may get nodes (remote domains drop out when lost).
  std::uint64_t live_mask() const {
    std::uint64_t m = 0;
    for (std::size_t d = 0; d < entries_.size() && d < 64; ++d)
      if (entries_[d]->available()) m |= std::uint64_t{1} << d;
    return m;
  }
  /// A slot of d is free again: wakes its domain actor when nodes wait.
  void release(domain_entry& d) {
    // Pairs with the domain actor's queued++ then try_acquire: one side sees the other.
    if (d.pool.release()) caf::anon_send(d.actor, wake_atom::value);
  }

 private:
  std::vector<std::unique_ptr<domain_entry>> entries_;
};

/// Milliseconds of the engine's clock.
inline double now_ms(const clock& c) { return std::chrono::duration<double, std::milli>(c.now()).count(); }
/// A clock duration of `ms` milliseconds.
inline clock::duration ms(double v) {
  return std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(v));
}

/// Node actors (one attempt each), local or remote.
struct attempt_context {
  domain_table* domains = nullptr;
  clock* clk = nullptr;
  double time_scale = 1;
  double heartbeat_ms = 250;  ///< how often a remote attempt checks for cancellation
  std::string token;          ///< presented to remote domain servers
  std::atomic<std::uint64_t>* next_remote_id = nullptr;
};

/// The balancer actor.
struct balancer_context {
  domain_table* domains = nullptr;
  const attempt_context* attempts = nullptr;
  clock* clk = nullptr;
  balancer_policy policy;
  /// Adaptive switching on: the strategy in force comes from the board.
  dynamic_board* board = nullptr;
  bool adaptive = false;
  strategies::forecast_config forecast;
  double forecast_horizon_ms = 0;
  std::atomic<std::uint64_t>* next_seq = nullptr;
};

/// A domain actor (one per domain).
struct domain_context {
  domain_entry* dom = nullptr;
  domain_table* domains = nullptr;
  const attempt_context* attempts = nullptr;
  clock* clk = nullptr;
  caf::actor balancer;  ///< where a lost domain's queue goes back
};

/// Run actors.
struct run_context {
  clock* clk = nullptr;
  caf::actor balancer, monitor;
  dynamic_board* board = nullptr;
  bool adaptive = false;  ///< re-plans take the strategy in force from the board
  double time_scale = 1;
  std::size_t max_inflight = 4096;
  std::uint64_t seed = 1;
  double metric_flush_ms = 100;
  std::size_t metric_flush_batch = 1024;
};

/// The planner actor.
struct planner_actor_context {
  const run_context* runs = nullptr;
  clock* clk = nullptr;
  dynamic_board* board = nullptr;
  const dynamic_config* dynamic = nullptr;
};

/// The monitor actor.
struct monitor_context {
  domain_table* domains = nullptr;
  clock* clk = nullptr;
  dynamic_monitor* dyn = nullptr;  ///< null: dynamic optimization off
  dynamic_board* board = nullptr;
  const observe::observer_list* events = nullptr;  ///< engine events
  double tick_ms = 500;
  double time_scale = 1;
};

/// A remote domain's watcher.
struct watcher_context {
  clock* clk = nullptr;
  double heartbeat_ms = 250, dead_after_ms = 1500, connect_timeout_ms = 3000;
  std::string token;
  const observe::observer_list* events = nullptr;  ///< engine events
};

// Publishing into a run's event stream (observe/events.hpp); nothing is built
// when the run has no observer.

/// A node attempt started on `dom` at engine time `at_ms`.
inline void publish_started(const run_core& rc, const task& t, const model::domain_spec& dom, double at_ms) {
  if (!rc.events.wants(observe::ev_started)) return;
  rc.events.publish(&observe::observer::on_node_started,
                    observe::node_started{rc.state->id(), rc.prog().def->nodes[t.node].node_id, t.node, t.attempt,
                                          dom.name, at_ms - rc.spawn_ms});
}

/// Where a node attempt goes and why (balancer, or a queued task following a re-plan).
void publish_placed(const model::platform& plat, double now, const task& t, observe::placement how,
                    std::string_view reason, const observe::move_detail* detail = nullptr);

// Entry points of the actor behaviours, one file each.

/// node_actor.cpp: spawns a node actor running one attempt of `t` on a slot already taken.
void start_node(caf::local_actor* self, task&& t, const attempt_context* ctx);
/// domain_actor.cpp: the queue of one domain while its slots are taken.
caf::actor spawn_domain_actor(caf::actor_system& sys, const domain_context* ctx);
/// balancer_actor.cpp: places each dispatched task on an eligible domain.
caf::actor spawn_balancer_actor(caf::actor_system& sys, const balancer_context* ctx);
/// monitor_actor.cpp: per-domain figures, adaptive tick, performance models.
caf::actor spawn_monitor_actor(caf::actor_system& sys, const monitor_context* ctx);
/// run_actor.cpp: one run, from its plan to its outcome.
caf::actor spawn_run_actor(caf::actor_system& sys, core_ptr rc, const run_context* ctx);
/// planner_actor.cpp: plans a run (unless it came with a plan), then spawns its run actor.
caf::actor spawn_planner_actor(caf::actor_system& sys, const planner_actor_context* ctx);
/// remote_link.cpp: connects to a domain server and checks the token, each
/// within its timeout (throws engine_error; with remote_optional a warning
/// and the domain starts lost).
void connect_remote(caf::actor_system& sys, const engine_settings& cfg, const std::string& token, domain_entry& d);
/// remote_link.cpp: watches a remote domain with heartbeat probes on the
/// engine's clock; declares it lost when its server goes away or stops
/// answering for dead_after_ms, and re-admits it when it answers again.
caf::actor spawn_watcher_actor(caf::actor_system& sys, domain_entry* d, const watcher_context* ctx);

}  // namespace causality::actors
