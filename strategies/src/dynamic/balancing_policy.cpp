#include <cmath>
#include <algorithm>
#include <limits>
#include <memory>

#include "causality/strategies/balancing.hpp"

namespace causality::strategies {

std::size_t balancer_policy::plan_first_choice(const std::vector<domain_load>& c) {
  auto free_slot = [](const domain_load& d) { return d.running + d.queued < d.slots; };
  const auto p = planned(c);
  if (free_slot(c[p])) return p;
  const double sum = c[p].latency_weight + c[p].cost_weight;
  const double lw = sum > 0 ? c[p].latency_weight / sum : 1.0;
  const double cw = sum > 0 ? c[p].cost_weight / sum : 0.0;
  const double here = predicted_completion(c[p], 0.0);
  std::size_t best = p;
  double best_score = -0.05;  // a move must be clearly better than waiting
  for (std::size_t i = 0; i < c.size(); ++i) {
    if (i == p || !free_slot(c[i])) continue;
    double rc = c[i].relative_cost > 0 ? c[i].relative_cost : 1.0;
    double score = lw * std::log(predicted_completion(c[i], 0.0) / here) + cw * std::log(rc);
    if (score < best_score) best = i, best_score = score;
  }
  return best;
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
