#pragma once
/// \file The one trade-off formula (docs/planner.md "The trade-off"): the
/// effective weights of a (strategy, workflow priority) pair and the choice
/// among candidates measured by (time, cost, inefficiency). The planner
/// chooses a plan among its front with it, its linear tier a domain per node,
/// the balancer a domain at dispatch. Pure functions; every choice comes
/// with its reason in words.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "causality/model/types.hpp"

namespace causality::strategies {

/// Default longest makespan a choice accepts, as a multiple of the fastest
/// candidate's (the cost strategy's "stretch"; planner_context can set it).
inline constexpr double default_stretch = 3.0;
/// Weight ratio beyond which the smaller of latency and cost only breaks ties.
inline constexpr double one_sided_ratio = 4.0;
/// A strategy that weighs efficiency e above m = max(latency, cost) takes the
/// least idle candidate within a window of its trade-off point on both
/// normalised axes: |x - x_a|, |y - y_a| <= min(1, efficiency_window (e - m) / m).
inline constexpr double efficiency_window = 0.25;

/// Effective weights: the direction (latency, cost) sums to 1; efficiency
/// is active when the strategy weighs it above both.
struct tradeoff_weights {
  double latency = 1;   ///< share of the normalised slowdown, in [0, 1]
  double cost = 0;      ///< share of the normalised extra cost, 1 - latency
  bool efficiency = false;  ///< least inefficiency within `window`
  double window = 0;        ///< normalised half-width of the efficiency window
  double stretch = default_stretch;  ///< admissible: time <= stretch x fastest
};

/// (strategy, priority 0..100) -> weights. With u = max(0, 2 priority/100 - 1)
/// (0 up to priority 50, 1 at 100): l = L + u P, c = C, e = (1 - u) P. Ratio
/// r = c / l: r <= 1/4 -> (1, 0); r >= 4 -> (0, 1); otherwise cost share
/// (1 + ln r / ln 4) / 2. efficiency = e > m = max(l, c), window
/// min(1, efficiency_window (e - m) / m) (1 when m = 0).
tradeoff_weights effective_weights(const model::optimization_strategy& s, std::uint32_t priority,
                                   double stretch = default_stretch);

/// One candidate: a plan (makespan, cost, idle slot time) or a domain for
/// one node (completion, cost, 0). `inefficiency` is compared only.
struct tradeoff_point {
  double time = 0;
  double cost = 0;
  double inefficiency = 0;
};

/// The chosen candidate and why, in plain words.
struct tradeoff_pick {
  std::size_t index = 0;  ///< into the candidates; npos-like size() when none
  std::string reason;
  std::size_t front_points = 0;  ///< non-dominated admissible candidates
};

/// The choice (docs/planner.md): admissible = time <= stretch x fastest;
/// normalised x = (t - T*) / (T_c - T*), y = (c - C*) / (C_f - C*) with T* the
/// fastest time, C* the cheapest admissible cost, T_c the time of the
/// cheapest, C_f the cost of the fastest; score = max(latency x, cost y),
/// lowest wins, ties: lower x + y, then lower time, then lower cost, then
/// position. With efficiency: the least inefficiency among admissible
/// candidates within `window` of the scored winner on both
/// normalised axes (ties: the score). `what` names the candidates in the reason ("plan").
tradeoff_pick choose_tradeoff(const tradeoff_weights& w, const std::vector<tradeoff_point>& pts,
                              const char* what = "plan", bool with_reason = true);

/// The score of one candidate among `pts` (for tests and explanations):
/// max(latency x, cost y), +infinity when not admissible.
double tradeoff_score(const tradeoff_weights& w, const std::vector<tradeoff_point>& pts,
                      std::size_t i);

/// Same choice, allocation-free, for the per-node callers (linear tier,
/// balancer): `n` points; no reason text.
std::size_t choose_tradeoff_index(const tradeoff_weights& w, const tradeoff_point* pts,
                                  std::size_t n);

}  // namespace causality::strategies
