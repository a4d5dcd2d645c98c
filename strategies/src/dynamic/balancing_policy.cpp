#include <cmath>
#include <algorithm>
#include <limits>
#include <memory>

#include "causality/strategies/balancing.hpp"
#include "causality/strategies/tradeoff.hpp"

namespace causality::strategies {

std::size_t balancer_policy::plan_first_choice(const std::vector<domain_load>& c) {
  auto free_slot = [](const domain_load& d) { return d.running + d.queued < d.slots; };
  const auto p = planned(c);
  if (free_slot(c[p])) return p;
  // The planned domain is saturated: the one trade-off (tradeoff.hpp) over
  // the planned domain (first, so an exact tie keeps it) and the domains with
  // a free slot, by (predicted completion, relative cost).
  tradeoff_weights w;
  w.latency = c[p].latency_weight;
  w.cost = c[p].cost_weight;
  w.stretch = std::numeric_limits<double>::infinity();  // a plan-level bound, lifted per node
  thread_local std::vector<tradeoff_point> pts;
  thread_local std::vector<std::size_t> at;
  pts.clear();
  at.clear();
  auto add = [&](std::size_t i) {
    pts.push_back({predicted_completion(c[i], 0.0), c[i].relative_cost > 0 ? c[i].relative_cost : 1.0, 0.0});
    at.push_back(i);
  };
  add(p);
  for (std::size_t i = 0; i < c.size(); ++i)
    if (i != p && free_slot(c[i])) add(i);
  const std::size_t k = choose_tradeoff_index(w, pts.data(), pts.size());
  return k < at.size() ? at[k] : p;
}

double predicted_completion(const domain_load& d, double forecast_weight) {
  double slots = std::max(d.slots, 1);
  double speed = d.speed > 0 ? d.speed : 1.0;
  double backlog = std::max(0, d.running) + std::max(0, d.queued) +
                   forecast_weight * std::max(0.0, d.forecast_arrivals);
  return (1 + std::max(0.0, backlog - slots + 1) / slots) / speed;
}

balancer_policy balancer_policy::round_robin() {
  // The balancer actor is one thread: a plain counter shared by the copies.
  auto next = std::make_shared<std::size_t>(0);
  return {"round-robin", [next](const std::vector<domain_load>& c) { return (*next)++ % c.size(); }};
}

balancer_policy balancer_policy::predictive(double forecast_weight) {
  balancer_policy p{"predictive", [forecast_weight](const std::vector<domain_load>& c) {
                      std::size_t best = 0;
                      double best_score = std::numeric_limits<double>::infinity();
                      for (std::size_t i = 0; i < c.size(); ++i) {
                        double s = predicted_completion(c[i], forecast_weight);
                        if (s < best_score - 1e-12) {
                          best = i;
                          best_score = s;
                        }
                      }
                      return best;
                    }};
  p.uses_forecast = true;
  return p;
}

model::expected<balancer_policy> balancer_policy::by_name(const std::string& name) {
  if (name == "round-robin") return round_robin();
  if (name == "least-loaded") return least_loaded();
  if (name == "predictive") return predictive();
  if (name == "planned-only") return planned_only();
  if (name == "plan-first") return plan_first();
  return model::error{"", "", "unknown balancer policy '" + name +
                                  "' (known: round-robin, least-loaded, predictive, planned-only, "
                                  "plan-first)"};
}

}  // namespace causality::strategies
