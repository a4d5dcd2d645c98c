// Scenario 2 (placeholder until the actor runtime is wired): see issue 6.
#include "scenarios.hpp"

namespace bench_adaptive {
nlohmann::json burst(const options&) {
  row("burst", "status", "not implemented yet");
  return {{"scenario", "burst"}, {"error", "not implemented yet"}};
}
}  // namespace bench_adaptive
