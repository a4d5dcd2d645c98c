#pragma once
/// \file The runtime's standard metrics as a small typed facade, so actors
/// update them without knowing metric names. Names (all per domain unless
/// noted), in Prometheus' base units: causality_nodes_started_total,
/// causality_nodes_finished_total, causality_nodes_failed_total,
/// causality_queue_depth, causality_domain_utilisation_ratio,
/// causality_cost_accrued_total, causality_node_latency_seconds (histogram),
/// causality_strategy_switches_total (no labels).

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "causality/observe/metrics.hpp"

namespace causality::observe {

/// Metric names, one place for code, docs and tests.
namespace metric_names {
inline constexpr const char* nodes_started = "causality_nodes_started_total";
inline constexpr const char* nodes_finished = "causality_nodes_finished_total";
inline constexpr const char* nodes_failed = "causality_nodes_failed_total";
inline constexpr const char* queue_depth = "causality_queue_depth";
inline constexpr const char* utilisation = "causality_domain_utilisation_ratio";
inline constexpr const char* strategy_switches = "causality_strategy_switches_total";
inline constexpr const char* cost_accrued = "causality_cost_accrued_total";
inline constexpr const char* node_latency = "causality_node_latency_seconds";
}  // namespace metric_names

/// Upper bounds (seconds) of the node latency histogram: 1 ms to 10 min.
const std::vector<double>& node_latency_buckets_seconds();

/// The series of one domain; lock-free updates. Obtained once per domain
/// actor from runtime_metrics::domain and kept.
class domain_metrics {
 public:
  /// A node started on a slot of this domain (counted when it starts).
  void node_started() noexcept { started_->inc(); }
  /// A node finished successfully after `latency_ms` (start to finish);
  /// observed in seconds.
  void node_finished(double latency_ms) noexcept {
    finished_->inc();
    latency_->observe(latency_ms / 1000.0);
  }
  /// A node failed (its error is reported elsewhere).
  void node_failed() noexcept { failed_->inc(); }
  /// Nodes waiting for a slot of this domain now.
  void set_queue_depth(double n) noexcept { queue_->set(n); }
  /// Busy slots / slots, 0..1.
  void set_utilisation(double u) noexcept { util_->set(u); }
  /// Effect cost charged by this domain.
  void cost_accrued(double c) noexcept { cost_->inc(c); }

 private:
  friend class runtime_metrics;
  counter* started_ = nullptr;
  counter* finished_ = nullptr;
  counter* failed_ = nullptr;
  gauge* queue_ = nullptr;
  gauge* util_ = nullptr;
  counter* cost_ = nullptr;
  histogram* latency_ = nullptr;
};

/// The facade over a registry the caller owns (it must outlive this).
class runtime_metrics {
 public:
  /// Registers the unlabelled series at once, so a scrape shows them at 0.
  explicit runtime_metrics(metric_registry& registry);

  /// The series of that domain, created on first use; the reference stays
  /// valid for the life of this object. Takes a lock: call once, keep it.
  domain_metrics& domain(const std::string& name);

  /// The adaptive policy switched the running strategy.
  void strategy_switched() noexcept { switches_->inc(); }

  /// The registry the series live in (for rendering).
  metric_registry& registry() { return registry_; }

 private:
  metric_registry& registry_;
  counter* switches_ = nullptr;
  std::mutex mutex_;
  std::map<std::string, std::unique_ptr<domain_metrics>> domains_;
};

}  // namespace causality::observe
