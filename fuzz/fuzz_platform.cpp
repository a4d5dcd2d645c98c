// libFuzzer target: JSON text -> platform_from_json -> round trip.
#include <cstddef>
#include <cstdint>

#include "fuzz_check.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace causality;
  auto j = fuzz::parsed(data, size);
  if (!j) return 0;
  auto p = fuzz::loaded(*j, model::platform_from_json);
  if (p) fuzz::round_trip(*p, model::platform_to_json, model::platform_from_json, "platform");
  return 0;
}
