#pragma once
/// \file The metric registry: counters, gauges and histograms with labels,
/// kept by the prometheus-cpp library (Debian's prometheus-cpp-dev) and
/// rendered by its text serializer (exposition format 0.0.4). This facade
/// keeps prometheus-cpp out of the public headers and turns its exceptions
/// into error values. Registration takes a lock; updates through the
/// returned pointers do not.

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "causality/model/error.hpp"

namespace prometheus {
class Registry;
class Counter;
class Gauge;
class Histogram;
}  // namespace prometheus

namespace causality::observe {

/// Label name/value pairs of one series, in the family's label order.
using labels = std::vector<std::pair<std::string, std::string>>;

/// A monotonically increasing value (Prometheus counter).
class counter {
 public:
  explicit counter(prometheus::Counter& c) : c_(&c) {}
  /// Adds `v` (negative values are ignored: counters never go down).
  void inc(double v = 1.0) noexcept;
  /// The current total.
  double value() const noexcept;

 private:
  prometheus::Counter* c_;
};

/// A value that goes up and down (Prometheus gauge).
class gauge {
 public:
  explicit gauge(prometheus::Gauge& g) : g_(&g) {}
  /// Sets the value.
  void set(double v) noexcept;
  /// Adds `v` (may be negative).
  void add(double v) noexcept;
  /// The current value.
  double value() const noexcept;

 private:
  prometheus::Gauge* g_;
};

/// A consistent copy of a histogram: cumulative counts per bound.
struct histogram_snapshot {
  std::vector<double> bounds;               ///< upper bounds, +Inf excluded
  std::vector<std::uint64_t> cumulative;    ///< one per bound, then +Inf
  double sum = 0;
  std::uint64_t count = 0;                  ///< equals cumulative.back()
};

/// Observations counted into fixed buckets (Prometheus histogram).
class histogram {
 public:
  explicit histogram(prometheus::Histogram& h) : h_(&h) {}
  /// Records one observation (NaN is ignored: it would poison _sum).
  void observe(double v) noexcept;
  /// Cumulative counts for tests.
  histogram_snapshot snapshot() const;

 private:
  prometheus::Histogram* h_;
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

  /// Every family in the Prometheus text format, by prometheus-cpp's
  /// serializer (HELP and TYPE lines, escaped label values, histogram
  /// _count, _sum and cumulative _bucket{le=...} with plain decimal bounds).
  std::string render_prometheus() const;

 private:
  struct family;
  model::expected<family*> find_or_add(const std::string& name, const std::string& help,
                                       int kind, const labels& l);
  mutable std::mutex mutex_;
  std::unique_ptr<prometheus::Registry> registry_;
  std::map<std::string, std::unique_ptr<family>> families_;
};

/// Formats a sample value as Prometheus expects: shortest round-trip decimal,
/// "+Inf", "-Inf" or "NaN".
std::string format_metric_value(double v);

/// Escapes a label value (backslash, double quote, newline).
std::string escape_label_value(const std::string& v);

}  // namespace causality::observe
