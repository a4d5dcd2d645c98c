#pragma once
/// \file The default local platform, used when a runtime is given none.

#include "causality/model/types.hpp"

namespace causality::domains {

/// "compute" (a slot per core, deterministic), "service" (4 slots,
/// external-api), "verifiable" (1 slot, security 3, zk + deterministic,
/// cost factor 8).
model::platform local_platform();

}  // namespace causality::domains
