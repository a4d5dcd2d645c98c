// libFuzzer target: JSON text -> hint_from_json (an initiation hint file,
// `--hint FILE`) -> round trip. Oracles: a refusal is one line naming the
// file; an accepted hint survives hint_to_json / hint_from_json unchanged.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality;
  auto j = fuzz::parsed(data, size);
  if (!j) return 0;
  auto h = fuzz::loaded(*j, model::hint_from_json);
  if (h) fuzz::round_trip(*h, model::hint_to_json, model::hint_from_json, "hint");
  return 0;
}
