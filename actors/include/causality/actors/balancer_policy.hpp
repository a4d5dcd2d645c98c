#pragma once
/// \file The balancer's choice among eligible domains: a small value you can
/// swap (like CAF's actor_pool policies). Called only by the balancer actor.

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace causality::actors {

/// Load of one eligible domain at the moment of dispatch.
struct domain_load {
  std::size_t domain = 0;  ///< index into the platform's domains
  int slots = 1;
  int running = 0;         ///< slots in use
  int queued = 0;          ///< nodes waiting in the domain's queue
  double speed = 1.0;
  bool planned = false;    ///< the plan put the node here
};

/// Chooses one entry of `candidates` (never empty); returns its position.
struct balancer_policy {
  std::string name;
  std::function<std::size_t(const std::vector<domain_load>& candidates)> choose;

  /// Stays on the planned domain unless it is saturated while another
  /// eligible domain has a free slot (then least loaded). The default.
  static balancer_policy plan_first();
  /// Lowest (running + queued) / slots, ties to the planned then the faster domain.
  static balancer_policy least_loaded();
  /// Always the planned domain (the static plan, no balancing).
  static balancer_policy planned_only();
};

}  // namespace causality::actors
