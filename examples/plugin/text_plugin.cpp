// A plugin: node types in a shared library, loaded by `causality run
// --node-types` and `causality-domain --node-types` without a new binary.
//
//   shout        a string (or the field "text" of an object), upper-cased, with "!" added
//   count_chars  the number of characters of a string input
//
// Build: see examples/plugin/CMakeLists.txt (a MODULE library; it links none
// of the causality libraries: their symbols come from the program loading it).
#include <cctype>
#include <stdexcept>
#include <string>

#include <causality/domains/plugin.hpp>

using causality::domains::node_context;
using causality::model::value;

namespace {
/// The input's text: a string, or an object's field "text".
std::string text_of(const value& in, const char* type) {
  if (in.is_string()) return in.as_string();
  if (in.is_object())
    if (auto t = in.as_object().find("text"); t != in.as_object().end() && t->second.is_string())
      return t->second.as_string();
  throw std::invalid_argument(std::string(type) + ": the input must be a string or an object with a string \"text\"");
}
}  // namespace

CAUSALITY_PLUGIN(reg) {
  reg.node_types["shout"] = [](const value& in, node_context&) {
    std::string s = text_of(in, "shout");
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return value(s + "!");
  };
  reg.node_types["count_chars"] = [](const value& in, node_context&) {
    return value(static_cast<std::int64_t>(text_of(in, "count_chars").size()));
  };
}
