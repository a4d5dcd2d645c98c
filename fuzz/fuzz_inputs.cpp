// libFuzzer target: JSON text -> a workflow's inputs file (`causality run
// --inputs FILE`), read once against a fixed input_schema and once without
// one. Oracles: a refusal is one line naming the file; an accepted file is a
// JSON object, and under the schema every key is in it with a value of its
// type.
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>

#include "fuzz_check.hpp"
#include "run_inputs.hpp"

namespace {

using schema_map = std::map<std::string, std::string>;

void check(const std::string& text, const schema_map& schema) {
  using namespace causality;
  auto v = cli::inputs_from_text(text, fuzz::k_file, schema);
  if (!v) {
    fuzz::check_error(v.err());
    return;
  }
  if (!v->is_object()) fuzz::fail("accepted inputs are not an object");
  if (schema.empty()) return;
  for (const auto& [key, item] : v->as_object()) {
    auto it = schema.find(key);
    if (it == schema.end()) fuzz::fail("accepted an input not in the schema: " + key);
    if (!item.matches(it->second)) fuzz::fail("accepted input '" + key + "' not of type " + it->second);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const schema_map schema = {{"count", "int"},    {"name", "string"},   {"ratio", "number"},
                                    {"flag", "bool"},    {"items", "array"},   {"options", "object"},
                                    {"anything", "any"}};
  const std::string text(reinterpret_cast<const char*>(data), size);
  check(text, schema);
  check(text, {});
  return 0;
}
