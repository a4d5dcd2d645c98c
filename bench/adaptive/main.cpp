// bench_adaptive: the dynamic-optimization scenarios of issue 6 with real
// execution. A table goes to stdout, or with --json one JSON object per
// scenario goes to stdout and the table to stderr.
//   bench_adaptive [--json] [--quick] [--time-scale X] [--scenario slowdown|burst|outliers|balancing]

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <string>

#include "scenarios.hpp"

namespace bench_adaptive {
namespace {
FILE* table = stdout;
}
void row(const std::string& scenario, const std::string& what, const std::string& value) {
  std::fprintf(table, "%-10s %-38s %s\n", scenario.c_str(), what.c_str(), value.c_str());
  std::fflush(table);
}
}  // namespace bench_adaptive

int main(int argc, char** argv) {
  using namespace bench_adaptive;
  options o;
  bool json = false;
  std::string only;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--json") json = true;
    else if (a == "--quick") o.quick = true;
    else if (a == "--time-scale" && i + 1 < argc) {
      char* end = nullptr;
      o.time_scale = std::strtod(argv[++i], &end);
      if (!end || *end || !(o.time_scale > 0)) {
        std::fprintf(stderr, "bench_adaptive: --time-scale: must be a positive number\n");
        return 2;
      }
    } else if (a == "--scenario" && i + 1 < argc) only = argv[++i];
    else {
      std::fprintf(stderr,
                   "usage: bench_adaptive [--json] [--quick] [--time-scale X] "
                   "[--scenario slowdown|burst|outliers|balancing]\n");
      return 2;
    }
  }
  if (!only.empty() && only != "slowdown" && only != "burst" && only != "outliers" &&
      only != "balancing") {
    std::fprintf(stderr, "bench_adaptive: --scenario: unknown scenario '%s'\n", only.c_str());
    return 2;
  }
  if (json) table = stderr;
  std::fprintf(table, "%-10s %-38s %s\n", "scenario", "figure", "value");
  auto emit = [&](const nlohmann::json& j) {
    if (json) std::cout << j.dump() << std::endl;
  };
  if (only.empty() || only == "slowdown") emit(slowdown(o));
  if (only.empty() || only == "burst") emit(burst(o));
  if (only.empty() || only == "outliers") emit(outliers(o));
  if (only.empty() || only == "balancing") emit(balancing(o));
  return 0;
}
