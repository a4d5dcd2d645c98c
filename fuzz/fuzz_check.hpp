#pragma once
/// \file Oracles shared by the fuzz targets: a loader may reject any input,
/// but only with one printable line naming the file; an accepted input must
/// survive a round trip through the project's JSON form unchanged.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "causality/model/error.hpp"
#include "causality/model/io.hpp"

namespace causality::fuzz {

/// The file name every target passes, so errors can be checked to name it.
inline const std::string k_file = "fuzz-input.json";

/// Aborts (a finding for libFuzzer) with `what` on stderr.
[[noreturn]] inline void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz oracle violated: %s\n", what.c_str());
  std::abort();
}

/// An error must be one non-empty line that starts with the file name.
inline void check_error(const model::error& e) {
  const std::string m = e.message();
  if (e.reason.empty()) fail("empty reason: " + m);
  if (m.rfind(k_file + ": ", 0) != 0) fail("error does not name the file: " + m);
  if (m.find('\n') != std::string::npos || m.find('\r') != std::string::npos)
    fail("error spans several lines: " + m);
}

/// The JSON document of the fuzzer's bytes, or nothing once its parse error
/// has passed check_error.
inline std::optional<nlohmann::json> parsed(const std::uint8_t* data, std::size_t size) {
  auto j = model::parse_json(std::string(reinterpret_cast<const char*>(data), size), k_file);
  if (!j) {
    check_error(j.err());
    return std::nullopt;
  }
  return std::move(*j);
}

/// `load(j, k_file)`'s value, or nothing once its error has passed check_error.
template <class Load>
auto loaded(const nlohmann::json& j, Load load) -> std::optional<std::decay_t<decltype(*load(j, k_file))>> {
  auto v = load(j, k_file);
  if (!v) {
    check_error(v.err());
    return std::nullopt;
  }
  return std::move(*v);
}

/// An accepted value must come back unchanged through the project's JSON
/// form: `load(to_json(v))` is accepted and equal to `v`.
template <class T, class ToJson, class Load>
void round_trip(const T& v, ToJson to_json, Load load, const char* what) {
  auto back = load(to_json(v), k_file);
  if (!back) fail(std::string("round trip rejected the ") + what + ": " + back.err().message());
  if (!(*back == v)) fail(std::string("round trip changed the ") + what);
}

}  // namespace causality::fuzz
