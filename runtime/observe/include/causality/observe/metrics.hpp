#pragma once
/// \file A thread-safe metric registry (counters, gauges, histograms with
/// labels) rendered in the Prometheus text exposition format 0.0.4.
/// Registration takes a lock; updates through the returned pointers are
/// lock-free atomics, so hot paths register once and keep the pointer.

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "causality/model/error.hpp"

namespace causality::observe {

/// Label name/value pairs of one series, in the family's label order.
using labels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing value (Prometheus counter).
class counter {
 public:
  /// Adds `v` (negative values are ignored: counters never go down).
  void inc(double v = 1.0) noexcept;
  /// The current total.
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A value that goes up and down (Prometheus gauge).
class gauge {
 public:
  /// Sets the value.
  void set(double v) noexcept { value_.store(v, std::memory_order_relaxed); }
  /// Adds `v` (may be negative).
  void add(double v) noexcept;
  /// The current value.
  double value() const noexcept { return value_.load(std::memory_order_relaxed); }

 private:
  std::atomic<double> value_{0.0};
};

/// A consistent-enough copy of a histogram: cumulative counts per bound.
struct histogram_snapshot {
  std::vector<double> bounds;               ///< upper bounds, +Inf excluded
  std::vector<std::uint64_t> cumulative;    ///< one per bound, then +Inf
  double sum = 0;
  std::uint64_t count = 0;                  ///< equals cumulative.back()
};

/// Observations counted into fixed buckets (Prometheus histogram).
class histogram {
 public:
  /// Bounds must be finite and strictly increasing (checked by the registry).
  explicit histogram(std::vector<double> bounds);
  /// Records one observation: one bucket, the sum and nothing else.
  void observe(double v) noexcept;
  /// Cumulative counts for rendering or tests.
  histogram_snapshot snapshot() const;

 private:
  std::vector<double> bounds_;
  std::unique_ptr<std::atomic<std::uint64_t>[]> buckets_;  // bounds_.size() + 1
  std::atomic<double> sum_{0.0};
};

/// Named families of series; one registry per process or per runtime.
class metric_registry {
 public:
  metric_registry();
  ~metric_registry();
  metric_registry(const metric_registry&) = delete;
  metric_registry& operator=(const metric_registry&) = delete;

  /// The counter series `name{labels}`, created on first use. Errors: invalid
  /// metric or label name, the name registered with another type, or label
  /// names differing from the family's first series.
  model::expected<counter*> get_counter(const std::string& name, const std::string& help,
                                        const labels& l = {});
  /// The gauge series `name{labels}`; errors as get_counter.
  model::expected<gauge*> get_gauge(const std::string& name, const std::string& help,
                                    const labels& l = {});
  /// The histogram series `name{labels}` with these bucket upper bounds
  /// (finite, strictly increasing, the same for every series of the family).
  model::expected<histogram*> get_histogram(const std::string& name, const std::string& help,
                                            const std::vector<double>& bounds,
                                            const labels& l = {});

  /// Every family, sorted by name, series sorted by label values, in the
  /// Prometheus text format (HELP and TYPE lines, escaped label values,
  /// histogram _bucket{le=...}, _sum, _count).
  std::string render_prometheus() const;

 private:
  struct family;
  model::expected<family*> find_or_add(const std::string& name, const std::string& help,
                                       int kind, const labels& l);
  mutable std::mutex mutex_;
  std::map<std::string, std::unique_ptr<family>> families_;
  mutable std::size_t last_render_size_ = 0;  // capacity hint for the next render
};

/// Formats a sample value as Prometheus expects: shortest round-trip decimal,
/// "+Inf", "-Inf" or "NaN".
std::string format_metric_value(double v);

/// Escapes a label value (backslash, double quote, newline).
std::string escape_label_value(const std::string& v);

}  // namespace causality::observe
