#include "generate.hpp"

#include <cmath>
#include <algorithm>
#include <set>

namespace causality::bench {

/// A random DAG (edges from lower to higher index) for --generated.
model::dataflow_definition generated_workflow(std::mt19937& g, std::size_t n) {
  model::dataflow_definition def;
  def.name = "generated-" + std::to_string(n);
  for (std::size_t v = 0; v < n; ++v) {
    model::dataflow_node node;
    node.node_id = "g" + std::to_string(v);
    node.resources.cpu_time_ms = 500 + g() % 60000;
    def.nodes.push_back(node);
    const std::size_t parents = v == 0 ? 0 : 1 + g() % 3;
    for (std::size_t k = 0; k < parents; ++k) {
      model::dataflow_edge e;
      e.source_node = "g" + std::to_string(v - 1 - g() % std::min<std::size_t>(v, 12));
      e.target_node = node.node_id;
      e.edge_id = e.source_node + "-" + e.target_node + "-" + std::to_string(k);
      e.bytes = static_cast<std::uint64_t>(g() % 2000) << 20;
      def.edges.push_back(e);
    }
  }
  return def;
}

/// A random heterogeneous platform of 2..6 domains for --generated.
model::platform generated_platform(std::mt19937& g) {
  static const double speeds[] = {0.5, 1.0, 1.5, 2.0, 3.0, 4.0};
  model::platform p;
  p.name = "generated";
  const std::size_t D = 2 + g() % 5;
  for (std::size_t d = 0; d < D; ++d) {
    model::domain_spec s;
    s.name = "d" + std::to_string(d);
    s.kind = static_cast<model::domain_kind>(g() % 3);
    s.slots = 1 + g() % 8;
    s.speed = speeds[g() % 6];
    s.cost.base_cost = 50 + g() % 200;
    s.cost.domain_cost_factor = 0.5 + (g() % 16) * 0.5;
    p.domains.push_back(s);
  }
  p.network.cross_domain_multiplier = {{"verifiable->service", 2.0}, {"service->verifiable", 3.0},
                                       {"verifiable->verifiable", 1.5}, {"service->service", 1.2}};
  return p;
}

namespace {

model::dataflow_node task(const std::string& id, double ms) {
  model::dataflow_node n;
  n.node_id = n.name = id;
  n.resources.cpu_time_ms = ms;
  return n;
}

std::string tid(std::size_t t, std::size_t i) {
  return "t" + std::to_string(t) + "_" + std::to_string(i);
}

}  // namespace

model::dataflow_definition task_bench(std::mt19937& g, const std::string& pattern,
                                      std::size_t width, std::size_t steps) {
  model::dataflow_definition def;
  def.name = def.definition_id = "taskbench-" + pattern + "-" + std::to_string(width) + "x" +
                                 std::to_string(steps);
  std::uniform_real_distribution<double> dur(0.25, 12000.0);
  if (pattern == "random") {
    def = generated_workflow(g, width * steps);
    def.name = def.definition_id = "random-dag-" + std::to_string(width * steps);
    for (auto& n : def.nodes) n.resources.cpu_time_ms = dur(g);  // fractional
    return def;
  }
  const std::size_t W = pattern == "fft" ? std::size_t{1} << static_cast<int>(std::log2(width))
                                         : width;
  const std::size_t T = pattern == "fft" ? static_cast<std::size_t>(std::log2(W)) + 1 : steps;
  const std::uint64_t bytes = (1 + g() % 64) << 20;
  for (std::size_t t = 0; t < T; ++t)
    for (std::size_t i = 0; i < W; ++i) {
      // Tree: step t has W >> t live tasks (a reduction), the rest absent.
      if (pattern == "tree" && i >= std::max<std::size_t>(1, W >> t)) continue;
      def.nodes.push_back(task(tid(t, i), dur(g)));
      if (t == 0) continue;
      std::set<std::size_t> deps;
      if (pattern == "stencil") {
        for (long k = -1; k <= 1; ++k)
          if (long j = static_cast<long>(i) + k; j >= 0 && j < static_cast<long>(W)) deps.insert(j);
      } else if (pattern == "fft") {
        deps = {i, i ^ (std::size_t{1} << (t - 1))};
      } else if (pattern == "tree") {
        deps = {2 * i};
        if (2 * i + 1 < std::max<std::size_t>(1, W >> (t - 1))) deps.insert(2 * i + 1);
      } else if (pattern == "all-to-all") {
        for (std::size_t j = 0; j < W; ++j) deps.insert(j);
      } else if (pattern == "nearest" || pattern == "random-nearest") {
        for (long k = -2; k <= 2; ++k)
          if (long j = static_cast<long>(i) + k; j >= 0 && j < static_cast<long>(W))
            if (pattern == "nearest" || k == 0 || g() % 2) deps.insert(j);
      } else if (pattern == "spread") {
        for (std::size_t k = 0; k < 3; ++k) deps.insert((i + k * (W / 3 + 1) + t) % W);
      }
      for (std::size_t j : deps) {
        model::dataflow_edge e;
        e.source_node = tid(t - 1, j);
        e.target_node = tid(t, i);
        e.edge_id = e.source_node + "-" + e.target_node;
        e.bytes = bytes;
        def.edges.push_back(e);
      }
    }
  return def;
}

model::platform tiny_cheap_platform(std::mt19937& g) {
  model::platform p;
  p.name = "tiny-cheap";
  auto dom = [&](const std::string& name, std::uint32_t slots, double speed, double factor) {
    model::domain_spec s;
    s.name = name;
    s.slots = slots;
    s.speed = speed;
    s.cost.domain_cost_factor = factor;
    p.domains.push_back(s);
  };
  dom("cheap-small", 2, 0.7, 1.0);
  dom("bulk", 16, 1.0, 1.5);
  const std::size_t extra = g() % 3;
  for (std::size_t k = 0; k < extra; ++k)
    dom("fast-" + std::to_string(k), 2 + g() % 6, 2.0 + k, 4.0 + 2.0 * k + (g() % 4));
  return p;
}

}  // namespace causality::bench
