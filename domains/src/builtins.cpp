#include "causality/domains/builtins.hpp"

#include <chrono>
#include <stdexcept>

namespace causality::domains {

value noop(const value& in, node_context&) { return in; }

double work_ms(double cpu_time_ms, double speed, double time_scale) {
  return cpu_time_ms / std::max(1e-9, speed) * time_scale;
}

bool spin_for_ms(double ms, const cancel_token& token) {
  auto end = std::chrono::steady_clock::now() +
             std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                 std::chrono::duration<double, std::milli>(ms));
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
  static const std::map<std::string, node_fn> types{{"noop", noop}, {"work", work}};
  return types;
}

}  // namespace causality::domains
