#include <algorithm>
#include <limits>
#include <memory>

#include "causality/strategies/balancing.hpp"

namespace causality::strategies {

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
