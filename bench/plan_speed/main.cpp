// bench_plan_speed: how long make_plan takes on generated layered DAGs
// (about 3 edges per node) of 1k, 10k and 100k nodes on 8 and 32 domains.
// Target: 10k nodes x 32 domains in <= 100 ms (Release); 1e5-1e6 nodes at
// <= 2 us per node x domain (column us/nd: median wall time / (nodes x domains)).
// --nodes N[,N...] --domains D[,D...] --strategy S (repeatable) narrow the run.
#include <algorithm>
#include <cmath>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/strategies/planner.hpp"

using namespace causality;

namespace {

model::dataflow_definition layered_dag(std::size_t n, std::uint32_t seed) {
  std::mt19937 g(seed);
  model::dataflow_definition def;
  def.name = "layered-" + std::to_string(n);
  const std::size_t width = std::max<std::size_t>(8, static_cast<std::size_t>(std::sqrt(n) * 1.0));
  def.nodes.reserve(n);
  for (std::size_t v = 0; v < n; ++v) {
    model::dataflow_node node;
    node.node_id = "t" + std::to_string(v);
    node.resources.cpu_time_ms = 100 + g() % 20000;
    def.nodes.push_back(std::move(node));
  }
  def.edges.reserve(3 * n);
  for (std::size_t v = width; v < n; ++v) {
    const std::size_t layer_start = (v / width - 1) * width;
    for (int k = 0; k < 3; ++k) {
      std::size_t s = layer_start + g() % width;
      model::dataflow_edge e;
      e.edge_id = "e" + std::to_string(def.edges.size());
      e.source_node = def.nodes[s].node_id;
      e.target_node = def.nodes[v].node_id;
      e.bytes = (g() % 64) << 20;
      def.edges.push_back(std::move(e));
    }
  }
  return def;
}

model::platform platform_of(std::size_t domains, std::uint32_t seed) {
  std::mt19937 g(seed);
  static const double speeds[] = {0.5, 1.0, 2.0, 3.0};
  model::platform p;
  p.name = "gen-" + std::to_string(domains);
  for (std::size_t d = 0; d < domains; ++d) {
    model::domain_spec s;
    s.name = "d" + std::to_string(d);
    s.kind = static_cast<model::domain_kind>(g() % 3);
    s.slots = 2 + g() % 7;
    s.speed = speeds[g() % 4];
    s.cost.domain_cost_factor = 0.5 + (g() % 16) * 0.5;
    p.domains.push_back(s);
  }
  p.network.cross_domain_multiplier = {{"verifiable->service", 2.0}, {"service->verifiable", 3.0}};
  return p;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false;
  std::vector<std::size_t> sizes = {1000, 10000, 100000}, domain_counts = {8, 32};
  std::vector<std::string> strats;
  auto list = [](const char* a) {
    std::vector<std::size_t> v;
    for (const char* p = a; *p;) {
      char* end = nullptr;
      v.push_back(static_cast<std::size_t>(std::strtoull(p, &end, 10)));
      p = *end == ',' ? end + 1 : end;
      if (end == p && *p) break;
    }
    return v;
  };
  for (int i = 1; i < argc; ++i) {
    json = json || std::strcmp(argv[i], "--json") == 0;
    if (std::strcmp(argv[i], "--nodes") == 0 && i + 1 < argc)
      sizes = list(argv[++i]);
    else if (std::strcmp(argv[i], "--domains") == 0 && i + 1 < argc)
      domain_counts = list(argv[++i]);
    else if (std::strcmp(argv[i], "--strategy") == 0 && i + 1 < argc)
      strats.push_back(argv[++i]);
  }
  if (strats.empty()) strats = {"balanced", "latency", "cost-minimization"};
  strategies::strategy_registry reg;
  nlohmann::json rows = nlohmann::json::array();
  if (!json)
    std::cout << "nodes    edges   domains  strategy            best ms  median ms  cpu ms  us/nd  makespan_ms\n";
  for (std::size_t n : sizes) {
    const auto def = layered_dag(n, 42);
    for (std::size_t d : domain_counts) {
      const auto plat = platform_of(d, 7);
      for (const auto& sn : strats) {
        const char* s = sn.c_str();
        model::initiation_hint h;
        h.preferred_strategy_id = s;
        const int reps = n >= 1000000 ? 1 : n >= 100000 ? 3 : 7;
        std::vector<double> t, cpu;
        double makespan = 0;
        for (int r = 0; r < reps; ++r) {
          auto t0 = std::chrono::steady_clock::now();
          std::clock_t c0 = std::clock();
          auto p = strategies::make_plan(def, plat, h, reg);
          std::clock_t c1 = std::clock();
          auto t1 = std::chrono::steady_clock::now();
          cpu.push_back(1000.0 * static_cast<double>(c1 - c0) / CLOCKS_PER_SEC);
          if (!p) {
            std::cerr << p.err().message() << "\n";
            return 1;
          }
          makespan = p->makespan_ms;
          t.push_back(std::chrono::duration<double, std::milli>(t1 - t0).count());
        }
        std::sort(t.begin(), t.end());
        std::sort(cpu.begin(), cpu.end());
        rows.push_back({{"nodes", n}, {"edges", def.edges.size()}, {"domains", d},
                        {"strategy", s}, {"best_ms", t.front()}, {"median_ms", t[t.size() / 2]}, {"median_cpu_ms", cpu[cpu.size() / 2]},
                        {"us_per_node_domain", 1000.0 * t[t.size() / 2] / (static_cast<double>(n) * static_cast<double>(d))},
                        {"makespan_ms", makespan}});
        if (!json) {
          char buf[160];
          std::snprintf(buf, sizeof buf, "%-8zu %-7zu %-8zu %-18s %8.1f %10.1f %7.1f %6.3f %12.0f\n", n,
                        def.edges.size(), d, s, t.front(), t[t.size() / 2], cpu[cpu.size() / 2],
                        1000.0 * t[t.size() / 2] / (static_cast<double>(n) * static_cast<double>(d)), makespan);
          std::cout << buf;
        }
      }
    }
  }
  if (json) std::cout << nlohmann::json{{"bench", "plan_speed"}, {"rows", rows}}.dump(2) << "\n";
  return 0;
}
