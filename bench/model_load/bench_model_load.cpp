// Loader speed on synthetic WfCommons instances of growing size: JSON parse,
// WfCommons mapping, structural validation and summary, each timed alone.
// Target: 10k tasks well under a second end to end.
//   bench_model_load [--json] [--sizes 1000,10000,100000]
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/model/graph.hpp"
#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"

using namespace causality::model;
using nlohmann::json;

namespace {

/// A layered DAG of about sqrt(n) levels; each task has up to three parents
/// in the level above and reads their output files. Fixed seed: reproducible.
std::string synthetic_instance(std::size_t n) {
  std::mt19937_64 rng(42);
  const std::size_t width = std::max<std::size_t>(1, static_cast<std::size_t>(std::sqrt(n)));
  json tasks = json::array(), files = json::array(), exec = json::array();
  auto id = [](std::size_t i) { return "task_" + std::to_string(i); };
  std::vector<std::vector<std::size_t>> children(n);
  std::vector<std::vector<std::size_t>> parents(n);
  for (std::size_t i = width; i < n; ++i) {
    std::size_t lo = (i / width - 1) * width;
    for (int k = 0; k < 3; ++k) {
      std::size_t p = lo + rng() % width;
      if (std::find(parents[i].begin(), parents[i].end(), p) == parents[i].end()) {
        parents[i].push_back(p);
        children[p].push_back(i);
      }
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    json in = json::array(), par = json::array(), ch = json::array();
    for (auto p : parents[i]) {
      par.push_back(id(p));
      in.push_back("f_" + std::to_string(p));
    }
    for (auto c : children[i]) ch.push_back(id(c));
    tasks.push_back({{"name", id(i)}, {"id", id(i)}, {"parents", par}, {"children", ch},
                     {"inputFiles", in}, {"outputFiles", {"f_" + std::to_string(i)}}});
    files.push_back({{"id", "f_" + std::to_string(i)}, {"sizeInBytes", rng() % 1000000}});
    exec.push_back({{"id", id(i)}, {"runtimeInSeconds", static_cast<double>(rng() % 10000) / 1000.0},
                    {"memoryInBytes", rng() % 1000000000}});
  }
  json j{{"name", "synthetic"},
         {"schemaVersion", "1.5"},
         {"workflow",
          {{"specification", {{"tasks", tasks}, {"files", files}}},
           {"execution", {{"makespanInSeconds", 1}, {"tasks", exec}}}}}};
  return j.dump();
}

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

struct row {
  std::size_t tasks, edges, mbytes;
  double parse_ms, map_ms, validate_ms, summarize_ms;
  double total() const { return parse_ms + map_ms + validate_ms + summarize_ms; }
};

}  // namespace

int main(int argc, char** argv) {
  bool as_json = false;
  std::vector<std::size_t> sizes = {1000, 10000, 100000};
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json")) as_json = true;
    else if (!std::strcmp(argv[i], "--sizes") && i + 1 < argc) {
      sizes.clear();
      for (char* tok = std::strtok(argv[++i], ","); tok; tok = std::strtok(nullptr, ","))
        sizes.push_back(std::stoul(tok));
    }
  }
  std::vector<row> rows;
  for (auto n : sizes) {
    std::string text = synthetic_instance(n);
    auto t0 = std::chrono::steady_clock::now();
    auto j = parse_json(text, "synthetic");
    double parse_ms = ms_since(t0);
    t0 = std::chrono::steady_clock::now();
    auto d = wfcommons_from_json(*j, "synthetic");
    double map_ms = ms_since(t0);
    if (!d) {
      std::fprintf(stderr, "bench_model_load: %s\n", d.err().message().c_str());
      return 1;
    }
    t0 = std::chrono::steady_clock::now();
    auto bad = validate_definition(*d, "synthetic");
    double validate_ms = ms_since(t0);
    if (bad) {
      std::fprintf(stderr, "bench_model_load: %s\n", bad->message().c_str());
      return 1;
    }
    t0 = std::chrono::steady_clock::now();
    auto s = summarize(*d);
    double summarize_ms = ms_since(t0);
    rows.push_back({s.nodes, s.edges, text.size() >> 20, parse_ms, map_ms, validate_ms,
                    summarize_ms});
  }
  if (as_json) {
    json out = json::array();
    for (const auto& r : rows)
      out.push_back({{"tasks", r.tasks}, {"edges", r.edges}, {"json_mib", r.mbytes},
                     {"parse_ms", r.parse_ms}, {"map_ms", r.map_ms},
                     {"validate_ms", r.validate_ms}, {"summarize_ms", r.summarize_ms},
                     {"total_ms", r.total()}});
    std::printf("%s\n", json{{"bench", "model_load"}, {"results", out}}.dump(2).c_str());
    return 0;
  }
  std::printf("%8s %8s %6s %9s %9s %11s %12s %9s\n", "tasks", "edges", "MiB", "parse_ms",
              "map_ms", "validate_ms", "summarize_ms", "total_ms");
  for (const auto& r : rows)
    std::printf("%8zu %8zu %6zu %9.1f %9.1f %11.1f %12.1f %9.1f\n", r.tasks, r.edges, r.mbytes,
                r.parse_ms, r.map_ms, r.validate_ms, r.summarize_ms, r.total());
  return 0;
}
