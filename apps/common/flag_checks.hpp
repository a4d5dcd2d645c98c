#pragma once
/// \file Range checks of numeric flags, shared by `causality` and
/// `causality-domain`: a value is refused unless it is finite and within the
/// flag's documented bounds, in one line naming the flag, the range and the
/// value as given ("--budget: must be a whole number from 0 to 1e+18, got
/// '-5'"), a usage error (exit 2). CLI11's own range checks let NaN through
/// and print a 309-digit bound for an unbounded one.

#include <cstdint>
#include <string>

#include <CLI/CLI.hpp>

#include "causality/model/limits.hpp"

namespace causality::cli {

/// A finite number in [lo, hi] (in (lo, hi] when lo_open).
CLI::Validator number_in(double lo, double hi, bool lo_open = false);

/// A whole number in [lo, hi]: decimal digits only (no sign, no exponent).
CLI::Validator whole_in(std::uint64_t lo, std::uint64_t hi);

/// Why `text` is not a number in [lo, hi] (in (lo, hi] when lo_open), or "".
std::string number_violation(const std::string& text, double lo, double hi, bool lo_open = false);

/// A bound as printed in messages: 100, 65535, 1e+18, 0.001.
std::string show_bound(double v);

/// Flag bounds of `causality` (docs/model.md "Limits" lists them with the
/// file fields they match).
namespace flag_limits {
inline constexpr std::uint64_t max_priority = 100;                     ///< as a hint's priority
inline constexpr std::uint64_t max_budget = 1000000000000000000ull;    ///< 1e18, as a hint's cost_budget
inline constexpr std::uint64_t max_latency_ms = 1000000000000ull;      ///< 1e12 ms, as a hint's max_latency_ms
inline constexpr double max_weight = 100;                              ///< each of --weights, as a strategy's
inline constexpr double max_time_scale = 1e9;
inline constexpr double min_stretch = model::limits::min_makespan_stretch;  ///< as a hint's
inline constexpr double max_stretch = model::limits::max_makespan_stretch;  ///< makespan_stretch
inline constexpr std::uint64_t max_threads = 256;
}  // namespace flag_limits

}  // namespace causality::cli
