#include "causality/strategies/adaptive_policy.hpp"

#include <cstdio>
#include <utility>

namespace causality::strategies {

const char* to_string(load_regime r) {
  switch (r) {
    case load_regime::normal: return "normal";
    case load_regime::high: return "high";
    case load_regime::low: return "low";
    case load_regime::deadline: return "deadline";
    case load_regime::budget: return "budget";
  }
  return "normal";
}

adaptive_policy::adaptive_policy(std::string default_strategy, adaptive_config cfg)
    : cfg_(std::move(cfg)), default_(std::move(default_strategy)), current_(default_) {}

namespace {
template <class... Args>
std::string fmt(const char* f, Args... args) {
  char buf[160];
  std::snprintf(buf, sizeof buf, f, args...);
  return buf;
}
}  // namespace

load_regime adaptive_policy::next_regime(const load_signals& s, std::string& why) const {
  // Each regime is entered past its enter threshold and left only past its
  // (looser) exit threshold: a signal oscillating between the two never
  // changes the regime.
  auto in = [&](load_regime r) { return regime_ == r; };
  if (s.deadline_pressure > 0 &&
      (in(load_regime::deadline) ? s.deadline_pressure > cfg_.deadline_exit
                                 : s.deadline_pressure >= cfg_.deadline_enter)) {
    why = fmt("deadline pressure %.2f >= %.2f", s.deadline_pressure, cfg_.deadline_enter);
    return load_regime::deadline;
  }
  if (s.budget_burn > 0 && (in(load_regime::budget) ? s.budget_burn > cfg_.budget_exit
                                                     : s.budget_burn >= cfg_.budget_enter)) {
    why = fmt("budget burn %.2f >= %.2f", s.budget_burn, cfg_.budget_enter);
    return load_regime::budget;
  }
  bool growing = s.queue_growth_per_s >= cfg_.queue_growth_enter;
  bool high = in(load_regime::high) ? (s.load > cfg_.high_load_exit || growing)
                                    : (s.load >= cfg_.high_load_enter || growing);
  if (high) {
    why = growing ? fmt("queue growing %.2f/s per slot >= %.2f", s.queue_growth_per_s,
                        cfg_.queue_growth_enter)
                  : fmt("load %.2f >= %.2f", s.load, cfg_.high_load_enter);
    return load_regime::high;
  }
  bool low = in(load_regime::low) ? s.load < cfg_.low_load_exit : s.load <= cfg_.low_load_enter;
  if (low) {
    why = fmt("load %.2f <= %.2f", s.load, cfg_.low_load_enter);
    return load_regime::low;
  }
  why = fmt("load %.2f between %.2f and %.2f", s.load, cfg_.low_load_exit, cfg_.high_load_exit);
  return load_regime::normal;
}

const std::string& adaptive_policy::strategy_of(load_regime r) const {
  switch (r) {
    case load_regime::high:
    case load_regime::deadline: return cfg_.high_load_strategy;
    case load_regime::low:
    case load_regime::budget: return cfg_.low_load_strategy;
    case load_regime::normal: break;
  }
  return default_;
}

std::optional<strategy_switch> adaptive_policy::switch_to(const std::string& to,
                                                          std::string reason, double now_ms) {
  if (to == current_) return std::nullopt;
  strategy_switch s{now_ms, current_, to, std::move(reason)};
  current_ = to;
  last_switch_ms_ = now_ms;
  history_.push_back(s);
  return s;
}

std::optional<strategy_switch> adaptive_policy::update(const load_signals& s, double now_ms) {
  if (pinned_) return std::nullopt;
  std::string why;
  load_regime next = next_regime(s, why);
  if (next == regime_) return std::nullopt;
  const std::string& to = strategy_of(next);
  if (to != current_ && last_switch_ms_ && now_ms - *last_switch_ms_ < cfg_.min_dwell_ms)
    return std::nullopt;  // too soon: stay, judge again on the next update
  regime_ = next;
  return switch_to(to, std::string(to_string(next)) + " regime: " + why, now_ms);
}

std::optional<strategy_switch> adaptive_policy::pin(const std::string& strategy, double now_ms) {
  pinned_ = strategy;
  return switch_to(strategy, "pinned", now_ms);
}

void adaptive_policy::unpin() { pinned_.reset(); }

void adaptive_policy::set_default(const std::string& strategy) {
  default_ = strategy;
  if (!pinned_ && regime_ == load_regime::normal) current_ = default_;
}

}  // namespace causality::strategies
