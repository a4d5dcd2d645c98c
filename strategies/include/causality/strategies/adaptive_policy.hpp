#pragma once
/// \file Adaptive strategy selection: maps monitored load, queue growth,
/// deadline pressure and budget burn to a strategy name, with hysteresis and
/// a minimum dwell time so it does not flap. Pure: time is a parameter.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "causality/strategies/monitor_state.hpp"

namespace causality::strategies {

/// One strategy switch: when, from what, to what, and why (in words).
struct strategy_switch {
  double time_ms = 0;
  std::string from;
  std::string to;
  std::string reason;
};

/// Thresholds of the adaptive policy; see docs/dynamic.md. Each regime has
/// an enter and a looser exit threshold (hysteresis).
struct adaptive_config {
  std::string high_load_strategy = "latency";
  std::string low_load_strategy = "cost-minimization";
  double high_load_enter = 1.0;    ///< load at or above: high regime
  double high_load_exit = 0.7;     ///< load at or below (and queue not growing): leave it
  double low_load_enter = 0.3;     ///< load at or below: low regime
  double low_load_exit = 0.5;      ///< load at or above: leave it
  double queue_growth_enter = 0.5; ///< queue growth per slot per second that also means high load
  double deadline_enter = 0.9;     ///< projected finish / deadline: go latency
  double deadline_exit = 0.75;
  double budget_enter = 1.2;       ///< budget burn: go cost-minimization
  double budget_exit = 1.0;
  double min_dwell_ms = 2000;      ///< no switch sooner than this after the previous one
};

/// Which regime the policy is in.
enum class load_regime { normal, high, low, deadline, budget };
/// "normal" / "high" / "low" / "deadline" / "budget".
const char* to_string(load_regime r);

/// The adaptive strategy selection policy. Priority: pinned strategy, then
/// deadline pressure (latency), budget burn (cost), high load (latency), low
/// load (cost), otherwise the default (the hint's preferred strategy).
class adaptive_policy {
 public:
  /// `default_strategy`: the hint's preferred strategy; the policy starts on it.
  explicit adaptive_policy(std::string default_strategy, adaptive_config cfg = {});

  /// Feeds the signals observed at now_ms; returns the switch if the
  /// strategy changes (recorded in history()).
  std::optional<strategy_switch> update(const load_signals& s, double now_ms);
  /// Pins a strategy: no adaptive switch until unpin(); the pin itself is a
  /// switch (if it changes the strategy) and ignores the dwell time.
  std::optional<strategy_switch> pin(const std::string& strategy, double now_ms);
  /// Releases the pin; the next update() decides again.
  void unpin();
  /// Changes the default (normal-regime) strategy, e.g. to the preference of
  /// the workflows now arriving. In the normal regime the strategy follows at
  /// once; that is a preference, not an adaptive decision, so no switch is recorded.
  void set_default(const std::string& strategy);
  /// The default (normal-regime) strategy.
  const std::string& default_strategy() const { return default_; }

  /// The strategy in force.
  const std::string& current() const { return current_; }
  /// The strategy for a workflow whose hint prefers `preferred`: the
  /// preference in the normal regime (when not pinned), else current().
  /// One policy thus serves workflows with different hints.
  const std::string& strategy_for(const std::string& preferred) const {
    return !pinned_ && regime_ == load_regime::normal ? preferred : current_;
  }
  /// The regime in force.
  load_regime regime() const { return regime_; }
  /// Whether a strategy is pinned.
  bool pinned() const { return pinned_.has_value(); }
  /// Every switch so far, oldest first.
  const std::vector<strategy_switch>& history() const { return history_; }
  /// Number of switches so far.
  std::size_t switches() const { return history_.size(); }
  /// The configuration in force.
  const adaptive_config& config() const { return cfg_; }

 private:
  load_regime next_regime(const load_signals& s, std::string& why) const;
  const std::string& strategy_of(load_regime r) const;
  std::optional<strategy_switch> switch_to(const std::string& to, std::string reason,
                                           double now_ms);

  adaptive_config cfg_;
  std::string default_;
  std::string current_;
  load_regime regime_ = load_regime::normal;
  std::optional<std::string> pinned_;
  std::optional<double> last_switch_ms_;
  std::vector<strategy_switch> history_;
};

}  // namespace causality::strategies
