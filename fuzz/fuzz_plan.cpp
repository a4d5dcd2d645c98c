// libFuzzer target: JSON text -> a plan file (`causality run --plan FILE`,
// as printed by `causality plan --format json`) read against one fixed
// workflow and platform (CAUSALITY_FUZZ_WORKFLOW / _PLATFORM). Oracles: a
// refusal is one line naming the file; an accepted plan assigns every node
// exactly once to a domain of the platform, never finishes a node before it
// starts, and its makespan is the latest finish.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "fuzz_check.hpp"
#include "plan_file.hpp"

namespace {

struct fixture {
  causality::model::dataflow_definition def;
  causality::model::platform plat;
};

const fixture& world() {
  static const fixture f = [] {
    using namespace causality;
    auto def = model::load_workflow_file(CAUSALITY_FUZZ_WORKFLOW);
    if (!def) fuzz::fail("fixture workflow: " + def.err().message());
    auto plat = model::load_platform_file(CAUSALITY_FUZZ_PLATFORM);
    if (!plat) fuzz::fail("fixture platform: " + plat.err().message());
    return fixture{*def, *plat};
  }();
  return f;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality;
  const auto& w = world();
  auto j = fuzz::parsed(data, size);
  if (!j) return 0;
  auto p = cli::plan_from_json(*j, fuzz::k_file, w.def, w.plat);
  if (!p) {
    fuzz::check_error(p.err());
    return 0;
  }
  if (p->assignments.size() != w.def.nodes.size()) fuzz::fail("accepted plan does not assign every node once");
  std::vector<bool> seen(w.def.nodes.size(), false);
  double latest = 0;
  for (const auto& a : p->assignments) {
    if (a.node >= seen.size() || seen[a.node]) fuzz::fail("accepted plan assigns a node twice or out of range");
    seen[a.node] = true;
    if (a.domain >= w.plat.domains.size()) fuzz::fail("accepted plan names a domain out of range");
    if (!(a.finish_ms >= a.start_ms) || !(a.start_ms >= 0)) fuzz::fail("accepted plan has a node ending before it starts");
    latest = std::max(latest, a.finish_ms);
  }
  if (p->makespan_ms != latest) fuzz::fail("accepted plan's makespan is not its latest finish");
  return 0;
}
