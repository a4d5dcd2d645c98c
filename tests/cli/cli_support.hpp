#pragma once
// What the CLI tests share: the workloads they run, a scratch directory per
// test case, and small text helpers.
#include <stdlib.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <catch2/catch.hpp>

namespace causality::testing {

inline const std::string workloads = std::string(CAUSALITY_SHARED_DIR) + "/workloads";
/// 10 tasks: quick runs.
inline const std::string forkjoin = workloads + "/wfcommons/helloworld-forkjoin-10-chameleon.json";
/// 58 tasks: runs that last.
inline const std::string montage = workloads + "/wfcommons/montage-chameleon-dss-05d-001.json";
inline const std::string hetero3 = workloads + "/platforms/hetero-3.json";

/// The whole file (empty when missing).
inline std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// Newlines in `s`.
inline std::size_t lines(const std::string& s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

/// A fresh scratch directory per test case (removed at the end).
struct scratch {
  std::string dir;
  scratch() {
    char tmpl[] = "/tmp/causality-cli-XXXXXX";
    REQUIRE(mkdtemp(tmpl) != nullptr);
    dir = tmpl;
  }
  ~scratch() { std::system(("rm -rf '" + dir + "'").c_str()); }
  std::string file(const std::string& name) const { return dir + "/" + name; }
  /// Writes `text` to file(name) and returns its path.
  std::string write(const std::string& name, const std::string& text) const {
    std::ofstream(file(name)) << text;
    return file(name);
  }
};

}  // namespace causality::testing
