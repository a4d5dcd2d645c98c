#pragma once
/// \file Monitored state per execution domain: latency against the model,
/// throughput, queue depth, slot utilisation, error rate and cost, kept as
/// sliding windows and exponential averages. Pure: every event carries its
/// time (ms on the caller's clock), nothing reads a clock.

#include <cstddef>
#include <cstdint>
#include <deque>
#include <utility>
#include <vector>

namespace causality::strategies {

/// Exponentially weighted moving average of discrete samples.
class ewma {
 public:
  /// alpha in (0, 1]: weight of the newest sample.
  explicit ewma(double alpha = 0.2) : alpha_(alpha) {}
  /// Adds one sample; the first sample is taken as is.
  void add(double x);
  /// The average, or `fallback` before any sample.
  double value(double fallback = 0) const { return count_ ? value_ : fallback; }
  /// Number of samples seen.
  std::size_t count() const { return count_; }

 private:
  double alpha_;
  double value_ = 0;
  std::size_t count_ = 0;
};

/// Continuous-time average of a piecewise-constant signal (busy slots, queue
/// length): each level weighs by how long it held, older time decaying with
/// time constant tau_ms, so bursts between samples are not missed.
class time_average {
 public:
  /// tau_ms > 0: after tau_ms a step has moved the average 63 % of the way.
  explicit time_average(double tau_ms = 5000) : tau_ms_(tau_ms) {}
  /// The signal takes `level` from `now_ms` on (earlier times are clamped).
  void set(double level, double now_ms);
  /// The average at now_ms.
  double value(double now_ms) const;
  /// The current level.
  double level() const { return level_; }

 private:
  double tau_ms_;
  double level_ = 0;
  double avg_ = 0;
  double last_ms_ = 0;
  bool started_ = false;
};

/// Values stamped with their time, kept for window_ms (throughput, queue
/// growth): what happened recently, not since the start.
class event_window {
 public:
  /// window_ms > 0.
  explicit event_window(double window_ms = 10000) : window_ms_(window_ms) {}
  /// Records `value` at now_ms.
  void add(double now_ms, double value = 1);
  /// Sum of the values stamped in (now_ms - window_ms, now_ms].
  double sum(double now_ms) const;
  /// Number of values stamped in that interval.
  std::size_t count(double now_ms) const;
  /// sum(now_ms) per second of window.
  double rate_per_s(double now_ms) const { return sum(now_ms) * 1000.0 / window_ms_; }
  /// Drops values older than the window (call now and then to bound memory).
  void prune(double now_ms);

 private:
  double window_ms_;
  std::deque<std::pair<double, double>> events_;
};

/// Tuning of the monitor; see docs/dynamic.md.
struct monitor_config {
  double window_ms = 10000;      ///< throughput and queue-growth window
  double tau_ms = 5000;          ///< time constant of utilisation and load averages
  double latency_alpha = 0.2;    ///< EWMA weight of latency ratio samples
  double error_alpha = 0.1;      ///< EWMA weight of the failure indicator
};

/// One domain's monitored figures at a point in time.
struct domain_metrics {
  double latency_ratio = 1;      ///< EWMA of observed / estimated exec time; 1 = as modelled
  std::size_t latency_samples = 0;
  double throughput_per_s = 0;   ///< nodes finished per second over the window
  std::uint32_t queued = 0;      ///< nodes waiting for a slot now
  std::uint32_t running = 0;     ///< slots busy now
  std::uint32_t slots = 1;
  double utilisation = 0;        ///< time-averaged busy slots / slots, in [0, 1]
  double avg_queue = 0;          ///< time-averaged queue length
  double error_rate = 0;         ///< EWMA of failures per finished-or-failed attempt
  double cost_accrued = 0;       ///< effect cost of nodes finished here
  std::uint64_t finished = 0;
  std::uint64_t failed = 0;
};

/// What the adaptive strategy policy looks at; every figure is explained in
/// docs/dynamic.md.
struct load_signals {
  double load = 0;               ///< (running + queued) / slots over all domains, now
  double avg_load = 0;           ///< the same, time-averaged (reported, not decided on)
  double queue_growth_per_s = 0; ///< change of total queue per second per slot, over the window
  double deadline_pressure = 0;  ///< projected finish / deadline; 0 = no deadline
  double budget_burn = 0;        ///< budget fraction spent / work fraction done; 0 = no budget
};

/// Projected finish over deadline: (elapsed + remaining) / deadline, 0 when
/// there is no deadline (deadline_ms <= 0).
double deadline_pressure(double elapsed_ms, double remaining_ms, double deadline_ms);
/// Spend rate against progress: (cost / budget) / max(done_fraction, 0.01),
/// 0 without a budget. Above 1 the budget runs out before the work does.
double budget_burn(double cost_accrued, double budget, double done_fraction);

/// Per-domain monitored state fed with node events.
class monitor_state {
 public:
  /// One entry per domain: its slot count (0 is taken as 1).
  explicit monitor_state(const std::vector<std::uint32_t>& slots, monitor_config cfg = {});

  /// A node was dispatched to `domain` and waits for a slot.
  void on_queued(std::size_t domain, double now_ms);
  /// A queued node was taken back (re-planned elsewhere) without starting.
  void on_withdrawn(std::size_t domain, double now_ms);
  /// A node took a slot (it leaves the queue if it was queued).
  void on_start(std::size_t domain, double now_ms);
  /// A node finished after exec_ms where the model said estimate_ms.
  void on_finish(std::size_t domain, double now_ms, double exec_ms, double estimate_ms,
                 double cost);
  /// A node failed (or its domain lost it); it frees its slot.
  void on_fail(std::size_t domain, double now_ms);
  /// Sampled feeding: the domain has `running` busy slots and `queued`
  /// waiting nodes at now_ms (for callers that read live counters instead of
  /// sending queue and start events).
  void set_levels(std::size_t domain, std::uint32_t running, std::uint32_t queued, double now_ms);
  /// A node finished after exec_ms where the model said estimate_ms, without
  /// touching the slot counts (sampled feeding, with set_levels).
  void record_finish(std::size_t domain, double now_ms, double exec_ms, double estimate_ms,
                     double cost);
  /// A node failed, without touching the slot counts (sampled feeding).
  void record_fail(std::size_t domain, double now_ms);

  /// The figures of one domain at now_ms.
  domain_metrics metrics(std::size_t domain, double now_ms) const;
  /// Load and queue growth over all domains at now_ms (deadline and budget
  /// are per workflow: fill them in with deadline_pressure / budget_burn).
  load_signals signals(double now_ms) const;
  /// Number of domains.
  std::size_t size() const { return domains_.size(); }

 private:
  struct domain_state {
    std::uint32_t slots = 1;
    std::uint32_t queued = 0;
    std::uint32_t running = 0;
    ewma latency;
    ewma errors;
    time_average busy;
    time_average demand;
    time_average queue;
    event_window finishes;
    double cost = 0;
    std::uint64_t finished = 0;
    std::uint64_t failed = 0;
  };
  void changed(domain_state& d, double now_ms);

  monitor_config cfg_;
  std::vector<domain_state> domains_;
  std::uint32_t total_slots_ = 0;
  std::deque<std::pair<double, double>> queue_history_;  ///< (time, total queued)
};

}  // namespace causality::strategies
