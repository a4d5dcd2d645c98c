#pragma once
/// \file The runtime's one event stream: what happened to every node, domain
/// and run, and why. The actors publish; observers (metrics, Gantt, progress,
/// log lines, the run summary, a user's own) subscribe through one interface,
/// modelled on Taskflow's ObserverInterface. docs/observability.md lists every
/// event with its fields.
///
/// Events name nodes and domains (`node`, `domain` are the definition's
/// node_id and the platform's domain name); `index` is the node's position in
/// the definition, for observers that keep arrays. Views are valid during the
/// callback only: copy what you keep. Times are ms by the runtime's clock since
/// the run was spawned (node and run events) or since the engine started
/// (engine events: switches, domains).
///
/// Callbacks run on actor threads, possibly several at once: an observer must
/// be thread-safe and cheap (never block; hand heavy work to a thread of your own).

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace causality::observe {

/// A node attempt placed on `domain` waits for one of its slots (after
/// node_placed, only when every slot was busy; node_started follows).
struct node_queued {
  std::uint64_t run = 0;
  std::string_view node;
  std::uint32_t index = 0, attempt = 1;
  std::string_view domain;
  double time_ms = 0;
};

/// How the balancer placed a node.
enum class placement : std::uint8_t {
  only_choice,  ///< one eligible domain
  as_planned,   ///< the plan's domain, kept
  moved,        ///< another domain than the plan's
};
const char* to_string(placement p);

/// One domain's load as the balancer saw it when it placed a node.
struct domain_load_view {
  std::uint32_t running = 0, queued = 0, slots = 1;
  double speed = 1;
  bool available = true;
};
/// What the balancer compared when it moved a node off its planned domain.
struct move_detail {
  domain_load_view planned, chosen;
  std::string_view policy;
};

/// The balancer chose a domain for a node attempt.
struct node_placed {
  std::uint64_t run = 0;
  std::string_view node;
  std::uint32_t index = 0, attempt = 1;
  std::string_view planned_domain;  ///< the plan's domain ("" without a plan)
  std::string_view domain;          ///< where it goes
  placement how = placement::as_planned;
  std::string_view reason;  ///< in words; empty for a balancer move: see detail and placement_reason()
  double time_ms = 0;
  const move_detail* detail = nullptr;  ///< a balancer move: the loads it compared (else null)
};

/// The reason of a placement in one line, e.g. "moved off the planned domain
/// 'compute' (4 running, 6 queued on 4 slots; predicted completion 2.75) to
/// 'gpu' (1 running, 0 queued on 2 slots; predicted completion 1.00) by plan-first".
std::string placement_reason(const node_placed& e);
std::string move_reason(std::string_view planned, std::string_view chosen, const move_detail& d);

/// A node attempt started on a slot of `domain`.
struct node_started {
  std::uint64_t run = 0;
  std::string_view node;
  std::uint32_t index = 0, attempt = 1;
  std::string_view domain;
  double time_ms = 0;
};

/// A node attempt succeeded.
struct node_finished {
  std::uint64_t run = 0;
  std::string_view node;
  std::uint32_t index = 0, attempt = 1;
  std::string_view domain;
  double start_ms = 0, time_ms = 0;  ///< time_ms: when it finished
  double duration_ms = 0;
  double cost = 0;               ///< effect cost where it ran (FORMATS.md model)
  std::size_t output_bytes = 0;  ///< size of its output as JSON text (estimate)
};

/// A node attempt failed (a retry may follow: node_retried).
struct node_failed {
  std::uint64_t run = 0;
  std::string_view node;
  std::uint32_t index = 0, attempt = 1;
  std::string_view domain;
  double start_ms = 0, time_ms = 0;
  std::string_view error;
  bool final = false;  ///< no attempt left: the node failed for good
};

/// A failed node gets another attempt after `delay_ms`.
struct node_retried {
  std::uint64_t run = 0;
  std::string_view node;
  std::uint32_t index = 0, attempt = 2;  ///< the attempt to come
  std::string_view why;                  ///< the previous attempt's error
  double delay_ms = 0, time_ms = 0;
};

/// A node's domain was lost while the node ran there; it runs again elsewhere
/// (nodes that only waited in its queue go back to the balancer: node_placed).
struct node_lost {
  std::uint64_t run = 0;
  std::string_view node;
  std::uint32_t index = 0, attempt = 1;
  std::string_view domain;
  double time_ms = 0;
};

/// A measured slowdown of one domain (measured / planned duration).
struct domain_slowdown {
  std::string domain;
  double factor = 1;
};

/// The run planned again what had not started.
struct replanned {
  std::uint64_t run = 0;
  std::size_t nodes_replanned = 0;  ///< not yet started, planned again
  std::size_t nodes_moved = 0;      ///< of those, now on another domain
  std::string_view reason;
  std::vector<domain_slowdown> slowdowns;  ///< by domain name
  double makespan_before_ms = 0, makespan_after_ms = 0;
  double time_ms = 0;
};

/// The adaptive policy switched the strategy in force (engine event).
struct strategy_switched {
  std::string_view from, to, reason;
  double load = 0;  ///< the load the policy read (busy and queued over slots)
  double time_ms = 0;
};

/// A remote domain was declared lost, or admitted again (engine event).
struct domain_changed {
  std::string_view domain;
  bool available = false;  ///< false: lost; true: re-admitted
  std::string_view why;
  double time_ms = 0;
};

/// The load of every domain now (engine event; published by the monitor as
/// node timings arrive and at each adaptive tick).
struct domain_sample {
  std::string_view domain;
  std::uint32_t slots = 1, running = 0, queued = 0;
};
struct domains_sampled {
  std::vector<domain_sample> domains;  ///< platform order
  double time_ms = 0;
};

/// A run ended.
struct run_ended {
  std::uint64_t run = 0;
  std::string_view workflow;
  std::string_view status;  ///< succeeded, failed, cancelled
  std::string_view error;
  double time_ms = 0;  ///< spawn to end
};

/// Kinds of events, as bits: an observer says which it wants (interests()),
/// and publishers build only the events someone wants.
enum event_bits : std::uint32_t {
  ev_queued = 1u << 0,
  ev_placed = 1u << 1,  ///< every placement
  ev_moved = 1u << 2,   ///< placements off the plan only (a subset of ev_placed)
  ev_started = 1u << 3,
  ev_finished = 1u << 4,
  ev_failed = 1u << 5,
  ev_retried = 1u << 6,
  ev_lost = 1u << 7,
  ev_replanned = 1u << 8,
  ev_switched = 1u << 9,
  ev_domain = 1u << 10,
  ev_sampled = 1u << 11,
  ev_ended = 1u << 12,
  ev_all = ~0u,
};

/// Subscribe to the stream by overriding what you need; every callback
/// defaults to nothing. See the file comment for threads and lifetimes.
class observer {
 public:
  virtual ~observer() = default;
  /// The events this observer wants (event_bits), asked once when a run
  /// starts (and for engine events when the engine starts); default: all.
  virtual std::uint32_t interests() const { return ev_all; }
  virtual void on_node_queued(const node_queued&) {}
  virtual void on_node_placed(const node_placed&) {}
  virtual void on_node_started(const node_started&) {}
  virtual void on_node_finished(const node_finished&) {}
  virtual void on_node_failed(const node_failed&) {}
  virtual void on_node_retried(const node_retried&) {}
  virtual void on_node_lost(const node_lost&) {}
  virtual void on_replanned(const replanned&) {}
  virtual void on_strategy_switched(const strategy_switched&) {}
  virtual void on_domain_changed(const domain_changed&) {}
  virtual void on_domains_sampled(const domains_sampled&) {}
  virtual void on_run_ended(const run_ended&) {}
};

using observer_ptr = std::shared_ptr<observer>;

/// The observers one publisher calls, fixed when built (no lock to publish).
class observer_list {
 public:
  observer_list() = default;
  explicit observer_list(std::vector<observer_ptr> obs) : obs_(std::move(obs)) {
    for (auto& o : obs_) wants_ |= o->interests();
  }
  bool empty() const noexcept { return obs_.empty(); }
  /// Whether some observer wants any of these events (event_bits).
  bool wants(std::uint32_t bits) const noexcept { return (wants_ & bits) != 0; }
  /// Calls `(observer.*fn)(event)` on each, in order; an observer that throws
  /// is logged once and skipped (an observer never breaks a run).
  template <class Event>
  void publish(void (observer::*fn)(const Event&), const Event& e) const {
    for (auto& o : obs_) call(*o, fn, e);
  }
  const std::vector<observer_ptr>& all() const noexcept { return obs_; }

 private:
  template <class Event>
  static void call(observer& o, void (observer::*fn)(const Event&), const Event& e) noexcept {
    try {
      (o.*fn)(e);
    } catch (...) {
      observer_threw();
    }
  }
  static void observer_threw() noexcept;
  std::vector<observer_ptr> obs_;
  std::uint32_t wants_ = 0;
};

}  // namespace causality::observe
