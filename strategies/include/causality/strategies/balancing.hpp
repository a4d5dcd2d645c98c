#pragma once
/// \file The balancer's choice among eligible domains at dispatch: a small
/// value you can swap (like CAF's actor_pool policies). Pure: it sees the
/// loads it is given, nothing else. The balancer actor calls it.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "causality/model/error.hpp"

namespace causality::strategies {

/// Load of one eligible domain at the moment of dispatch.
struct domain_load {
  std::size_t domain = 0;  ///< index into the platform's domains
  int slots = 1;
  int running = 0;         ///< slots in use
  int queued = 0;          ///< nodes waiting in the domain's queue
  double speed = 1.0;
  bool planned = false;    ///< the plan put the node here
  double forecast_arrivals = 0;  ///< nodes expected here over the horizon (when the policy uses_forecast)
  /// The node's effect cost here over its cost on the planned domain.
  double relative_cost = 1.0;
  /// The run's effective weights (tradeoff.hpp effective_weights: time and
  /// cost shares, summing to 1; same for every candidate): plan-first
  /// trades time gained against cost added with them.
  double latency_weight = 1.0;
  double cost_weight = 0.0;
};

/// Expected completion of a node on `d`, in units of its run time on a
/// speed-1.0 domain: (1 + max(0, B - slots + 1) / slots) / speed with backlog
/// B = running + queued + forecast_weight * forecast_arrivals (queued and
/// forecast nodes assumed alike).
double predicted_completion(const domain_load& d, double forecast_weight);

/// Chooses one entry of `candidates` (never empty); returns its position.
struct balancer_policy {
  std::string name;
  std::function<std::size_t(const std::vector<domain_load>& candidates)> choose;
  /// The balancer fills domain_load::forecast_arrivals (demand_forecast).
  bool uses_forecast = false;

  /// The candidates in turn, ignoring load.
  static balancer_policy round_robin();
  /// Earliest predicted_completion: current queue plus forecast arrivals,
  /// weighed by slots and speed (docs/dynamic.md).
  static balancer_policy predictive(double forecast_weight = 1.0);
  /// The policy of that name: round-robin, least-loaded, predictive,
  /// planned-only, plan-first; an error names them.
  static model::expected<balancer_policy> by_name(const std::string& name);

  /// Lowest (running + queued) / slots; ties to the planned, then the faster domain.
  static balancer_policy least_loaded() { return {"least-loaded", least}; }
  /// Always the planned domain (the static plan, no balancing).
  static balancer_policy planned_only() { return {"planned-only", planned}; }
  /// Stays on the planned domain unless it is saturated; then the one
  /// trade-off (tradeoff.hpp, the planner's) chooses among the planned domain
  /// and the eligible domains with a free slot by (predicted_completion,
  /// relative_cost) with the run's effective weights: a latency run takes the
  /// earliest completion, a cost run the cheapest, a balanced run the knee
  /// (the plan-level stretch is lifted per node, as in the planner's linear
  /// tier); an exact tie keeps the plan. The default.
  static balancer_policy plan_first() { return {"plan-first", plan_first_choice}; }
  static std::size_t plan_first_choice(const std::vector<domain_load>& c);

  /// Position of the least loaded candidate.
  static std::size_t least(const std::vector<domain_load>& c) {
    auto score = [](const domain_load& d) {
      return static_cast<double>(d.running + d.queued) / static_cast<double>(d.slots > 0 ? d.slots : 1);
    };
    std::size_t best = 0;
    for (std::size_t i = 1; i < c.size(); ++i) {
      double a = score(c[i]), b = score(c[best]);
      if (a < b || (a == b && (c[i].planned > c[best].planned ||
                               (c[i].planned == c[best].planned && c[i].speed > c[best].speed))))
        best = i;
    }
    return best;
  }
  /// Position of the planned candidate (0 when none is).
  static std::size_t planned(const std::vector<domain_load>& c) {
    for (std::size_t i = 0; i < c.size(); ++i)
      if (c[i].planned) return i;
    return 0;
  }
};

}  // namespace causality::strategies
