#include "causality/strategies/balance_explain.hpp"

#include <algorithm>
#include <cstdio>

namespace causality::strategies {

namespace {

std::string load_text(const domain_occupancy& o, double speed) {
  char buf[160];
  // Completion relative to a free slot: (queued + running + 1) / slots / speed.
  double pc = (static_cast<double>(o.queued + o.running) + 1.0) / std::max(1, o.slots) / (speed > 0 ? speed : 1.0);
  std::snprintf(buf, sizeof buf, "%d running, %d queued on %d slots; predicted completion %.2f", o.running, o.queued,
                o.slots, pc);
  return buf;
}

}  // namespace

std::string describe_placement(const balance_choice& c, const std::vector<domain_occupancy>& eligible,
                               const model::platform& platform, const std::string& policy) {
  auto name = [&](std::size_t d) {
    return d < platform.domains.size() ? "'" + platform.domains[d].name + "'" : std::string("?");
  };
  auto find = [&](std::size_t d) -> const domain_occupancy* {
    for (auto& e : eligible)
      if (e.domain == d) return &e;
    return nullptr;
  };
  auto speed = [&](std::size_t d) { return d < platform.domains.size() ? platform.domains[d].speed : 1.0; };
  if (c.reason.kind != balance_reason::moved) return c.reason.text(platform, policy);
  std::string s = "moved off the planned domain " + name(c.reason.planned);
  if (auto* p = find(c.reason.planned)) s += " (" + load_text(*p, speed(c.reason.planned)) + ")";
  else s += " (not available)";
  s += " to " + name(c.domain);
  if (auto* q = find(c.domain)) s += " (" + load_text(*q, speed(c.domain)) + ")";
  return s + " by " + policy;
}

}  // namespace causality::strategies
