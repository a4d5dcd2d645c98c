#pragma once
/// \file Oracles shared by the fuzz targets: a loader may reject any input,
/// but only with one printable line naming the file; an accepted input must
/// survive a round trip through the project's JSON form unchanged.

#include <cstdio>
#include <cstdlib>
#include <string>

#include "causality/model/error.hpp"

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

}  // namespace causality::fuzz
