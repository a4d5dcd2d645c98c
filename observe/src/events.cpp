#include "causality/observe/events.hpp"

#include <algorithm>
#include <atomic>
#include <cstdio>

#include "causality/observe/log.hpp"

namespace causality::observe {

const char* to_string(placement p) {
  switch (p) {
    case placement::only_choice: return "only choice";
    case placement::as_planned: return "as planned";
    case placement::moved: return "moved";
  }
  return "?";
}

namespace {
std::string load_text(const domain_load_view& o) {
  if (!o.available) return "not available";
  char buf[160];
  // Completion relative to a free slot: (queued + running + 1) / slots / speed.
  double pc = (static_cast<double>(o.queued + o.running) + 1.0) / std::max(1u, o.slots) / (o.speed > 0 ? o.speed : 1.0);
  std::snprintf(buf, sizeof buf, "%u running, %u queued on %u slots; predicted completion %.2f", o.running, o.queued,
                o.slots, pc);
  return buf;
}
}  // namespace

std::string move_reason(std::string_view planned, std::string_view chosen, const move_detail& d) {
  return "moved off the planned domain '" + std::string(planned) + "' (" + load_text(d.planned) + ") to '" +
         std::string(chosen) + "' (" + load_text(d.chosen) + ") by " + std::string(d.policy);
}

std::string placement_reason(const node_placed& e) {
  if (e.detail) return move_reason(e.planned_domain, e.domain, *e.detail);
  return std::string(e.reason);
}

void observer_list::observer_threw() noexcept {
  static std::atomic<bool> said{false};
  if (said.exchange(true)) return;
  try {
    logger("runtime")->error("an observer threw; its events are skipped (observers must not throw)");
  } catch (...) {
  }
}

}  // namespace causality::observe
