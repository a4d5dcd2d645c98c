#pragma once
/// \file Load-balancing policies choosing one of the eligible domains for a
/// node at dispatch. A policy is a small value you can swap (as CAF's
/// actor_pool policies): round robin, least loaded, and predictive (current
/// queue plus forecast arrivals, weighed by slots and speed). Pure.

#include <cstddef>
#include <cstdint>
#include <string>
#include <variant>
#include <vector>

#include "causality/model/error.hpp"

namespace causality::strategies {

/// What a balancer knows about one eligible domain at dispatch.
struct domain_load {
  std::size_t domain = 0;       ///< index into platform.domains (reported back)
  std::uint32_t slots = 1;
  std::uint32_t running = 0;
  std::uint32_t queued = 0;
  double speed = 1.0;           ///< relative speed (exec time = work / speed)
  double forecast_arrivals = 0; ///< nodes expected to arrive over the horizon (demand_forecast)
};

/// Cycles through the candidates, ignoring load.
struct round_robin_policy {
  std::size_t next = 0;
};
/// Fewest (running + queued) per slot; ignores speed and forecasts.
struct least_loaded_policy {};
/// Earliest expected completion: backlog (running + queued + forecast_weight
/// * forecast arrivals) per slot, in units of this node's time on that domain.
struct predictive_policy {
  double forecast_weight = 1.0;
};

/// A balancing policy: one of the three, by value.
using balancing_policy = std::variant<round_robin_policy, least_loaded_policy, predictive_policy>;

/// Chooses among `candidates` (non-empty) for a node of `work_ms` at speed
/// 1.0; returns the index into `candidates`. Ties go to the earlier candidate.
std::size_t choose_domain(balancing_policy& policy, const std::vector<domain_load>& candidates,
                          double work_ms);
/// Expected completion (ms) of a node of work_ms on `d` under the predictive model.
double predicted_completion_ms(const domain_load& d, double work_ms, double forecast_weight);
/// "round-robin" / "least-loaded" / "predictive".
const char* policy_name(const balancing_policy& policy);
/// The policy of that name (defaults for its parameters); an error names the
/// known policies.
model::expected<balancing_policy> make_balancing_policy(const std::string& name);

}  // namespace causality::strategies
