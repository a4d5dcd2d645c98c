#include "causality/strategies/monitor_state.hpp"

#include <algorithm>
#include <cmath>

namespace causality::strategies {

void ewma::add(double x) {
  value_ = count_ == 0 ? x : value_ + alpha_ * (x - value_);
  ++count_;
}

void time_average::set(double level, double now_ms) {
  avg_ = value(now_ms);
  if (!started_ || now_ms > last_ms_) last_ms_ = now_ms;
  started_ = true;
  level_ = level;
}

double time_average::value(double now_ms) const {
  if (!started_) return level_;
  double dt = std::max(0.0, now_ms - last_ms_);
  // Exact decay for a constant level over dt: the average moves toward it.
  double keep = std::exp(-dt / tau_ms_);
  return avg_ * keep + level_ * (1 - keep);
}

void event_window::add(double now_ms, double value) {
  events_.emplace_back(now_ms, value);
  prune(now_ms);
}

double event_window::sum(double now_ms) const {
  double s = 0;
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    if (it->first <= now_ms - window_ms_) break;
    if (it->first <= now_ms) s += it->second;
  }
  return s;
}

std::size_t event_window::count(double now_ms) const {
  std::size_t n = 0;
  for (auto it = events_.rbegin(); it != events_.rend(); ++it) {
    if (it->first <= now_ms - window_ms_) break;
    if (it->first <= now_ms) ++n;
  }
  return n;
}

void event_window::prune(double now_ms) {
  while (!events_.empty() && events_.front().first <= now_ms - window_ms_) events_.pop_front();
}

double deadline_pressure(double elapsed_ms, double remaining_ms, double deadline_ms) {
  if (!(deadline_ms > 0)) return 0;
  return std::max(0.0, elapsed_ms + std::max(0.0, remaining_ms)) / deadline_ms;
}

double budget_burn(double cost_accrued, double budget, double done_fraction) {
  if (!(budget > 0)) return 0;
  return (cost_accrued / budget) / std::max(done_fraction, 0.01);
}

monitor_state::monitor_state(const std::vector<std::uint32_t>& slots, monitor_config cfg)
    : cfg_(cfg) {
  domains_.reserve(slots.size());
  for (auto s : slots) {
    domain_state d{std::max<std::uint32_t>(1, s), 0, 0, ewma(cfg.latency_alpha),
                   ewma(cfg.error_alpha), time_average(cfg.tau_ms), time_average(cfg.tau_ms),
                   time_average(cfg.tau_ms), event_window(cfg.window_ms)};
    total_slots_ += d.slots;
    domains_.push_back(std::move(d));
  }
}

void monitor_state::changed(domain_state& d, double now_ms) {
  d.busy.set(static_cast<double>(d.running) / d.slots, now_ms);
  d.demand.set(static_cast<double>(d.running + d.queued), now_ms);
  d.queue.set(static_cast<double>(d.queued), now_ms);
  double total = 0;
  for (const auto& x : domains_) total += x.queued;
  queue_history_.emplace_back(now_ms, total);
  // Keep one sample at or before the window start so growth spans the window.
  while (queue_history_.size() > 2 && queue_history_[1].first <= now_ms - cfg_.window_ms)
    queue_history_.pop_front();
}

void monitor_state::on_queued(std::size_t domain, double now_ms) {
  auto& d = domains_.at(domain);
  ++d.queued;
  changed(d, now_ms);
}

void monitor_state::on_withdrawn(std::size_t domain, double now_ms) {
  auto& d = domains_.at(domain);
  if (d.queued) --d.queued;
  changed(d, now_ms);
}

void monitor_state::on_start(std::size_t domain, double now_ms) {
  auto& d = domains_.at(domain);
  if (d.queued) --d.queued;
  ++d.running;
  changed(d, now_ms);
}

void monitor_state::record_finish(std::size_t domain, double now_ms, double exec_ms,
                                  double estimate_ms, double cost) {
  auto& d = domains_.at(domain);
  if (estimate_ms > 0 && exec_ms >= 0) d.latency.add(exec_ms / estimate_ms);
  d.errors.add(0);
  d.finishes.add(now_ms);
  d.cost += cost;
  ++d.finished;
}

void monitor_state::record_fail(std::size_t domain, double) {
  auto& d = domains_.at(domain);
  d.errors.add(1);
  ++d.failed;
}

void monitor_state::on_finish(std::size_t domain, double now_ms, double exec_ms,
                              double estimate_ms, double cost) {
  record_finish(domain, now_ms, exec_ms, estimate_ms, cost);
  auto& d = domains_.at(domain);
  if (d.running) --d.running;
  changed(d, now_ms);
}

void monitor_state::on_fail(std::size_t domain, double now_ms) {
  record_fail(domain, now_ms);
  auto& d = domains_.at(domain);
  if (d.running) --d.running;
  changed(d, now_ms);
}

void monitor_state::set_levels(std::size_t domain, std::uint32_t running, std::uint32_t queued,
                               double now_ms) {
  auto& d = domains_.at(domain);
  if (d.running == running && d.queued == queued) return;
  d.running = running;
  d.queued = queued;
  changed(d, now_ms);
}

domain_metrics monitor_state::metrics(std::size_t domain, double now_ms) const {
  const auto& d = domains_.at(domain);
  domain_metrics m;
  m.latency_ratio = d.latency.value(1.0);
  m.latency_samples = d.latency.count();
  m.throughput_per_s = d.finishes.rate_per_s(now_ms);
  m.queued = d.queued;
  m.running = d.running;
  m.slots = d.slots;
  m.utilisation = std::clamp(d.busy.value(now_ms), 0.0, 1.0);
  m.avg_queue = d.queue.value(now_ms);
  m.error_rate = d.errors.value(0);
  m.cost_accrued = d.cost;
  m.finished = d.finished;
  m.failed = d.failed;
  return m;
}

load_signals monitor_state::signals(double now_ms) const {
  load_signals s;
  if (total_slots_ == 0) return s;
  // The load now (running + queued over slots), not a time average: an
  // average starting at 0 read "idle" while every slot was busy. Hysteresis
  // and the dwell time of the policy keep it from flapping.
  double demand = 0, avg = 0;
  for (const auto& d : domains_) {
    demand += d.demand.level();
    avg += d.demand.value(now_ms);
  }
  s.load = demand / total_slots_;
  s.avg_load = avg / total_slots_;
  if (queue_history_.size() >= 2) {
    const auto& first = queue_history_.front();
    double span = std::max(now_ms - first.first, 1.0);
    double growth = queue_history_.back().second - first.second;
    s.queue_growth_per_s = growth * 1000.0 / span / total_slots_;
  }
  return s;
}

}  // namespace causality::strategies
