#pragma once
/// \file The balancer's decision for one node, pure: the candidates' loads
/// with the run's weights and the node's cost per domain, the policy's
/// choice, and why. The balancer actor only gathers the loads and sends.

#include <cstddef>
#include <string>
#include <vector>

#include "causality/model/types.hpp"
#include "causality/strategies/balancing.hpp"

namespace causality::strategies {

/// What the balancer sees of one eligible domain at dispatch.
struct domain_occupancy {
  std::size_t domain = 0;  ///< index into the platform's domains
  int slots = 1;
  int running = 0;
  int queued = 0;
  double forecast_arrivals = 0;  ///< when the policy uses_forecast
};

/// Why a node went where it did.
struct balance_reason {
  enum kind_t { only_choice, kept_plan, moved } kind = only_choice;
  std::size_t planned = 0;  ///< the plan's domain
  /// One line, e.g. "moved off the planned domain 'compute' by plan-first".
  std::string text(const model::platform& p, const std::string& policy) const;
};

/// A domain and why.
struct balance_choice {
  std::size_t domain = 0;
  balance_reason reason;
};

/// Chooses the domain of `node` among `eligible` (never empty) with
/// `policy`: builds each candidate's domain_load (slots, use, speed, planned,
/// cost relative to the planned domain, the run's effective time and cost
/// shares from effective_weights(strategy, priority))
/// in `scratch` and returns the policy's pick with its reason.
balance_choice choose_domain(const balancer_policy& policy, const model::dataflow_node& node,
                             const model::platform& platform, std::size_t planned, double latency_weight,
                             double cost_weight, const std::vector<domain_occupancy>& eligible,
                             std::vector<domain_load>& scratch);

}  // namespace causality::strategies
