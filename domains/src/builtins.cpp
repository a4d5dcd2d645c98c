#include "causality/domains/builtins.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>

namespace causality::domains {

value noop(const value& in, node_context&) { return in; }

double work_ms(double cpu_time_ms, double speed, double time_scale) {
  return cpu_time_ms / std::max(1e-9, speed) * time_scale;
}

namespace {

/// now + ms, saturated at the clock's end: a duration beyond what
/// steady_clock holds (2^63 ms, 1e300) spins until cancelled instead of
/// overflowing into the past and returning at once. NaN or <= 0: now.
std::chrono::steady_clock::time_point deadline_after_ms(double ms) {
  using clock = std::chrono::steady_clock;
  const auto now = clock::now();
  if (!(ms > 0)) return now;
  const double left_ms =
      std::chrono::duration<double, std::milli>(clock::time_point::max() - now).count();
  if (!(ms < left_ms)) return clock::time_point::max();
  return now + std::chrono::duration_cast<clock::duration>(std::chrono::duration<double, std::milli>(ms));
}

}  // namespace

bool spin_for_ms(double ms, const cancel_token& token) {
  const auto end = deadline_after_ms(ms);
  volatile std::uint64_t spin = 0;
  while (std::chrono::steady_clock::now() < end) {
    for (int i = 0; i < 256; ++i) spin = spin + 1;
    if (token.cancelled()) return false;
  }
  return true;
}

value work(const value& in, node_context& ctx) {
  double ms = work_ms(static_cast<double>(ctx.spec.resources.cpu_time_ms), ctx.domain.speed, ctx.time_scale);
  if (!spin_for_ms(ms, ctx.token)) throw std::runtime_error("cancelled");
  return in;
}

const std::map<std::string, node_fn>& builtin_node_types() {
  static const std::map<std::string, node_fn> types{{"noop", noop}, {"work", work}, {"exec", exec}};
  return types;
}

}  // namespace causality::domains
