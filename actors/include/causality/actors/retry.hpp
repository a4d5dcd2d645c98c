#pragma once
/// \file Retry policy of a node: pure arithmetic, no clock read.

#include <algorithm>
#include <cmath>
#include <cstdint>

#include "causality/model/types.hpp"

namespace causality::actors {

/// How often a failing node is tried and how long to wait in between: the
/// model's type, so a workflow file, a builder and a run share it.
using retry_policy = model::retry_policy;

/// Delay before attempt `next_attempt` (2 = first retry); `u` in [0, 1) is the
/// random draw for the jitter (injected so tests pick it).
inline double backoff_ms(const retry_policy& p, std::uint32_t next_attempt, double u) {
  double d = p.initial_backoff_ms *
             std::pow(p.multiplier, static_cast<double>(next_attempt < 2 ? 0 : next_attempt - 2));
  d = std::min(d, p.max_backoff_ms);
  return d * (1.0 + p.jitter * std::clamp(u, 0.0, 1.0));
}

}  // namespace causality::actors
