#pragma once
/// \file The balancer's reason in words, for the event stream and explain:
/// which loads it compared when it moved a node off the planned domain.

#include <string>
#include <vector>

#include "causality/model/types.hpp"
#include "causality/strategies/balance_choice.hpp"

namespace causality::strategies {

/// One line, e.g. "moved off the planned domain 'compute' (4 running, 6
/// queued on 4 slots; predicted completion 2.50) to 'gpu' (1 running, 0
/// queued on 2 slots; 1.00) by plan-first". `eligible` is what the choice saw.
std::string describe_placement(const balance_choice& c, const std::vector<domain_occupancy>& eligible,
                               const model::platform& platform, const std::string& policy);

}  // namespace causality::strategies
