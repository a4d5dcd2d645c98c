// Scenario 1 (placeholder until the actor runtime is wired): see issue 6.
#include "scenarios.hpp"

namespace bench_adaptive {
nlohmann::json slowdown(const options&) {
  row("slowdown", "status", "not implemented yet");
  return {{"scenario", "slowdown"}, {"error", "not implemented yet"}};
}
}  // namespace bench_adaptive
