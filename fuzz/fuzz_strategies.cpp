// libFuzzer target: JSON text -> a strategies file (`--strategies FILE`:
// one strategy, a list, or {"strategies": [...]}) added to the registry of
// the four built-ins. Oracles: a refusal is one line naming the file and
// leaves the built-ins as they were; every accepted strategy can be found by
// name afterwards, survives strategy_to_json / strategy_from_json unchanged,
// and never replaces a built-in.
#include <cstddef>
#include <cstdint>
#include <string>

#include "causality/strategies/planner.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality;
  auto j = fuzz::parsed(data, size);
  if (!j) return 0;
  strategies::strategy_registry reg;
  const auto builtins = model::builtin_strategies();
  auto bad = strategies::add_strategies_from_json(reg, *j, fuzz::k_file);
  if (bad) fuzz::check_error(*bad);
  for (const auto& b : builtins) {
    auto found = reg.find(b.name);
    if (!found || !(*found == b)) fuzz::fail("built-in strategy '" + b.name + "' changed");
  }
  if (bad) return 0;
  for (const auto& name : reg.names()) {
    auto s = reg.find(name);
    if (!s) fuzz::fail("listed strategy '" + name + "' cannot be found");
    fuzz::round_trip(*s, model::strategy_to_json, model::strategy_from_json, "strategy");
  }
  return 0;
}
