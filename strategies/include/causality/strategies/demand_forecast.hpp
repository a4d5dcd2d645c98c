#pragma once
/// \file Short-term forecast of node arrivals per domain: arrivals are
/// counted in fixed buckets and each bucket's rate feeds Holt's double
/// exponential smoothing (level + trend; trend weight 0 gives a plain EWMA).
/// Pure: time is a parameter.

#include <cstddef>
#include <vector>

namespace causality::strategies {

/// Holt's linear (double exponential) smoothing of one series.
class holt_smoother {
 public:
  /// alpha: level weight, beta: trend weight, both in [0, 1]; beta 0 = EWMA.
  holt_smoother(double alpha = 0.5, double beta = 0.3) : alpha_(alpha), beta_(beta) {}
  /// Adds the next observation of the series.
  void add(double x);
  /// Forecast `steps` observations ahead (steps = 0: the level).
  double forecast(double steps) const { return level_ + trend_ * steps; }
  /// Smoothed level.
  double level() const { return level_; }
  /// Smoothed change per step.
  double trend() const { return trend_; }
  /// Observations seen.
  std::size_t count() const { return count_; }

 private:
  double alpha_;
  double beta_;
  double level_ = 0;
  double trend_ = 0;
  std::size_t count_ = 0;
};

/// Tuning of the demand forecast; see docs/dynamic.md.
struct forecast_config {
  double bucket_ms = 500;   ///< arrivals are counted per bucket of this length
  double alpha = 0.5;       ///< Holt level weight
  double beta = 0.3;        ///< Holt trend weight (0: EWMA of the rate)
  std::size_t max_catch_up = 10000;  ///< idle buckets replayed at most after a gap
};

/// Arrival-rate forecast per domain.
class demand_forecast {
 public:
  /// `domains` series, time starting at start_ms.
  explicit demand_forecast(std::size_t domains, forecast_config cfg = {}, double start_ms = 0);
  /// `count` nodes arrived for `domain` at now_ms (times before the current
  /// bucket count in the current bucket).
  void record_arrival(std::size_t domain, double now_ms, double count = 1);
  /// Closes every bucket that ended by now_ms (idle buckets are rate 0).
  void advance(double now_ms);
  /// Smoothed arrival rate of `domain` (per second) as of the last closed bucket.
  double rate_per_s(std::size_t domain) const;
  /// Forecast arrival rate (per second, >= 0) horizon_ms after the last closed bucket.
  double forecast_rate_per_s(std::size_t domain, double horizon_ms) const;
  /// Expected arrivals over the next horizon_ms (the forecast rate integrated, >= 0).
  double expected_arrivals(std::size_t domain, double horizon_ms) const;
  /// Number of domains.
  std::size_t size() const { return series_.size(); }

 private:
  struct series {
    holt_smoother holt;
    double pending = 0;  ///< arrivals in the open bucket
  };
  forecast_config cfg_;
  std::vector<series> series_;
  double bucket_start_ms_;
};

}  // namespace causality::strategies
