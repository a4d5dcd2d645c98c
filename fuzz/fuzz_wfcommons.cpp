// libFuzzer target: JSON text -> wfcommons_from_json directly, so inputs
// without a "workflow" key still reach the WfCommons mapping.
#include <cstddef>
#include <cstdint>

#include "causality/model/graph.hpp"
#include "causality/model/validate.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality;
  auto j = fuzz::parsed(data, size);
  if (!j) return 0;
  auto d = fuzz::loaded(*j, model::wfcommons_from_json);
  if (!d) return 0;
  if (auto bad = model::validate_definition(*d, fuzz::k_file)) {
    fuzz::check_error(*bad);
    return 0;
  }
  (void)model::summarize(*d);
  fuzz::round_trip(*d, model::definition_to_json, model::definition_from_json, "definition");
  return 0;
}
