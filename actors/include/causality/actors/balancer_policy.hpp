#pragma once
/// \file The balancer policy lives in strategies/ (pure); the actors use it.

#include "causality/strategies/balancing.hpp"

namespace causality::actors {
using strategies::balancer_policy;
using strategies::domain_load;
}  // namespace causality::actors
