#pragma once
// Runs the built `causality` CLI (path in CAUSALITY_CLI) as a user would and
// captures its exit code and output, for the CLI tests of every area.
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <string>

#include <catch2/catch.hpp>

namespace causality::testing {

struct run_result {
  int exit_code = -1;
  std::string output;  ///< stdout and stderr together
};

/// Runs `causality ARGS 2>&1` through the shell (ARGS quoted by the caller).
inline run_result run_cli(const std::string& args) {
  run_result r;
  std::string cmd = std::string("'") + CAUSALITY_CLI + "' " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  std::array<char, 4096> buf{};
  std::size_t got = 0;
  while ((got = fread(buf.data(), 1, buf.size(), pipe)) > 0) r.output.append(buf.data(), got);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace causality::testing
