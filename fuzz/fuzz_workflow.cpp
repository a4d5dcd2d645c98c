// libFuzzer target: JSON text -> workflow_from_json (project form or
// WfCommons, as `causality validate` loads it) -> summary and round trip.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "causality/model/graph.hpp"
#include "causality/model/io.hpp"
#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto j = model::parse_json(text, fuzz::k_file);
  if (!j) {
    fuzz::check_error(j.err());
    return 0;
  }
  auto d = model::workflow_from_json(*j, fuzz::k_file);
  if (!d) {
    fuzz::check_error(d.err());
    return 0;
  }
  // A validated definition must be summarisable (graph code assumes validity)
  // and must come back unchanged from the project's form.
  (void)model::summarize(*d);
  auto back = model::definition_from_json(model::definition_to_json(*d), fuzz::k_file);
  if (!back) fuzz::fail("round trip rejected: " + back.err().message());
  if (!(*back == *d)) fuzz::fail("round trip changed the definition");
  return 0;
}
