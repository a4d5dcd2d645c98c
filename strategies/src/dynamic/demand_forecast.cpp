#include "causality/strategies/demand_forecast.hpp"

#include <algorithm>
#include <cmath>

namespace causality::strategies {

void holt_smoother::add(double x) {
  if (count_ == 0) {
    level_ = x;
    trend_ = 0;
  } else {
    double prev = level_;
    level_ = alpha_ * x + (1 - alpha_) * (level_ + trend_);
    trend_ = beta_ * (level_ - prev) + (1 - beta_) * trend_;
  }
  ++count_;
}

demand_forecast::demand_forecast(std::size_t domains, forecast_config cfg, double start_ms)
    : cfg_(cfg), bucket_start_ms_(start_ms) {
  if (!(cfg_.bucket_ms > 0)) cfg_.bucket_ms = 500;
  series_.assign(domains, series{holt_smoother(cfg_.alpha, cfg_.beta), 0});
}

void demand_forecast::advance(double now_ms) {
  double closed = std::floor((now_ms - bucket_start_ms_) / cfg_.bucket_ms);
  if (!(closed >= 1)) return;
  // A long idle gap: replay at most max_catch_up empty buckets (enough to
  // decay the level to zero), then jump.
  auto replay = static_cast<std::size_t>(std::min(closed, static_cast<double>(cfg_.max_catch_up)));
  double per_s = 1000.0 / cfg_.bucket_ms;
  for (auto& s : series_) {
    s.holt.add(s.pending * per_s);
    s.pending = 0;
    for (std::size_t i = 1; i < replay; ++i) s.holt.add(0);
  }
  bucket_start_ms_ += closed * cfg_.bucket_ms;
}

void demand_forecast::record_arrival(std::size_t domain, double now_ms, double count) {
  advance(now_ms);
  series_.at(domain).pending += count;
}

double demand_forecast::rate_per_s(std::size_t domain) const {
  return std::max(0.0, series_.at(domain).holt.level());
}

double demand_forecast::forecast_rate_per_s(std::size_t domain, double horizon_ms) const {
  return std::max(0.0, series_.at(domain).holt.forecast(horizon_ms / cfg_.bucket_ms));
}

double demand_forecast::expected_arrivals(std::size_t domain, double horizon_ms) const {
  if (!(horizon_ms > 0)) return 0;
  // The forecast is linear in time: integrate it, clamping negative rates at
  // zero (a falling trend cannot make arrivals negative).
  const auto& h = series_.at(domain).holt;
  double steps = horizon_ms / cfg_.bucket_ms;
  double a = h.level(), b = h.trend();
  double end = a + b * steps;
  double area_steps;
  if (a >= 0 && end >= 0) area_steps = (a + end) / 2 * steps;
  else if (a <= 0 && end <= 0) area_steps = 0;
  else {
    double zero = -a / b;  // where the line crosses zero
    area_steps = a > 0 ? a * zero / 2 : end * (steps - zero) / 2;
  }
  return area_steps * cfg_.bucket_ms / 1000.0;
}

}  // namespace causality::strategies
