// libFuzzer target: JSON text -> workflow_from_json (project form or
// WfCommons, as `causality validate` loads it) -> summary and round trip.
#include <cstddef>
#include <cstdint>

#include "causality/model/graph.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality;
  auto j = fuzz::parsed(data, size);
  if (!j) return 0;
  auto d = fuzz::loaded(*j, model::workflow_from_json);
  if (!d) return 0;
  // A validated definition must be summarisable (graph code assumes validity)
  // and must come back unchanged from the project's form.
  (void)model::summarize(*d);
  fuzz::round_trip(*d, model::definition_to_json, model::definition_from_json, "definition");
  return 0;
}
