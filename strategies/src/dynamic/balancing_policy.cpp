#include "causality/strategies/balancing_policy.hpp"

#include <algorithm>
#include <limits>

namespace causality::strategies {

double predicted_completion_ms(const domain_load& d, double work_ms, double forecast_weight) {
  double slots = std::max<std::uint32_t>(d.slots, 1);
  double speed = d.speed > 0 ? d.speed : 1.0;
  // Unit: this node's time on d; queued and forecast nodes are assumed alike.
  double unit = (work_ms > 0 ? work_ms : 1.0) / speed;
  double backlog = d.running + d.queued + forecast_weight * std::max(0.0, d.forecast_arrivals);
  double wait_units = std::max(0.0, backlog - slots + 1) / slots;
  return unit * (1 + wait_units);
}

namespace {
template <class Score>
std::size_t argmin(const std::vector<domain_load>& c, Score score) {
  std::size_t best = 0;
  double best_score = std::numeric_limits<double>::infinity();
  for (std::size_t i = 0; i < c.size(); ++i) {
    double s = score(c[i]);
    if (s < best_score - 1e-12) {
      best = i;
      best_score = s;
    }
  }
  return best;
}
}  // namespace

std::size_t choose_domain(balancing_policy& policy, const std::vector<domain_load>& candidates,
                          double work_ms) {
  if (candidates.size() <= 1) return 0;
  struct visitor {
    const std::vector<domain_load>& c;
    double work_ms;
    std::size_t operator()(round_robin_policy& p) const { return p.next++ % c.size(); }
    std::size_t operator()(least_loaded_policy&) const {
      return argmin(c, [](const domain_load& d) {
        return static_cast<double>(d.running + d.queued) / std::max<std::uint32_t>(d.slots, 1);
      });
    }
    std::size_t operator()(predictive_policy& p) const {
      return argmin(c, [&](const domain_load& d) {
        return predicted_completion_ms(d, work_ms, p.forecast_weight);
      });
    }
  };
  return std::visit(visitor{candidates, work_ms}, policy);
}

const char* policy_name(const balancing_policy& policy) {
  switch (policy.index()) {
    case 0: return "round-robin";
    case 1: return "least-loaded";
    default: return "predictive";
  }
}

model::expected<balancing_policy> make_balancing_policy(const std::string& name) {
  if (name == "round-robin") return balancing_policy{round_robin_policy{}};
  if (name == "least-loaded") return balancing_policy{least_loaded_policy{}};
  if (name == "predictive") return balancing_policy{predictive_policy{}};
  return model::error{"", "", "unknown balancing policy \"" + name +
                                  "\" (known: round-robin, least-loaded, predictive)"};
}

}  // namespace causality::strategies
