// libFuzzer target: JSON text -> platform_from_json -> round trip.
#include <cstddef>
#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

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
  auto p = model::platform_from_json(*j, fuzz::k_file);
  if (!p) {
    fuzz::check_error(p.err());
    return 0;
  }
  auto back = model::platform_from_json(model::platform_to_json(*p), fuzz::k_file);
  if (!back) fuzz::fail("round trip rejected: " + back.err().message());
  if (!(*back == *p)) fuzz::fail("round trip changed the platform");
  return 0;
}
