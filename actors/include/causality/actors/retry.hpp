#pragma once
/// \file Retry policy of a node: pure arithmetic, no clock read.

#include <algorithm>
#include <cmath>
#include <cstdint>

namespace causality::actors {

/// How often a failing node is tried and how long to wait in between.
struct retry_policy {
  std::uint32_t max_attempts = 1;   ///< 1 = no retry
  double initial_backoff_ms = 100;  ///< wait before the 2nd attempt
  double multiplier = 2.0;          ///< growth per further attempt
  double max_backoff_ms = 30000;    ///< cap before jitter
  double jitter = 0.0;              ///< fraction added at random: delay * (1 + jitter * u)
};

/// Delay before attempt `next_attempt` (2 = first retry); `u` in [0, 1) is the
/// random draw for the jitter (injected so tests pick it).
inline double backoff_ms(const retry_policy& p, std::uint32_t next_attempt, double u) {
  double d = p.initial_backoff_ms *
             std::pow(p.multiplier, static_cast<double>(next_attempt < 2 ? 0 : next_attempt - 2));
  d = std::min(d, p.max_backoff_ms);
  return d * (1.0 + p.jitter * std::clamp(u, 0.0, 1.0));
}

}  // namespace causality::actors
