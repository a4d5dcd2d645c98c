// libFuzzer target: JSON text -> hint_from_json (an initiation hint file,
// `--hint FILE`) -> round trip. Oracles: a refusal is one line naming the
// file; an accepted hint survives hint_to_json / hint_from_json unchanged.
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
  auto h = model::hint_from_json(*j, fuzz::k_file);
  if (!h) {
    fuzz::check_error(h.err());
    return 0;
  }
  auto back = model::hint_from_json(model::hint_to_json(*h), fuzz::k_file);
  if (!back) fuzz::fail("round trip rejected: " + back.err().message());
  if (!(*back == *h)) fuzz::fail("round trip changed the hint");
  return 0;
}
