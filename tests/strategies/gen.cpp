#include "gen.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <random>
#include <string>

namespace causality::test {
namespace {

/// Small portable PRNG helpers (std distributions differ across libraries).
struct rng {
  std::mt19937 g;
  explicit rng(std::uint32_t s) : g(s) {}
  std::uint32_t below(std::uint32_t n) { return static_cast<std::uint32_t>(g() % n); }
  double unit() { return static_cast<double>(g()) / 4294967296.0; }
};

bool can_host(const model::dataflow_node& n, const model::domain_spec& d) {
  if (!d.available || n.resources.memory_bytes > d.memory_bytes ||
      n.security_level > d.security_level)
    return false;
  if (n.domain && *n.domain != d.name) return false;
  if (n.required_kind && *n.required_kind != d.kind) return false;
  for (const auto& c : n.capabilities)
    if (std::find(d.capabilities.begin(), d.capabilities.end(), c) == d.capabilities.end())
      return false;
  return true;
}

/// Greedy non-insertion list schedule in index order with a given placement.
double greedy(const model::dataflow_definition& def, const model::platform& p,
              const std::vector<std::size_t>& where) {
  std::map<std::string, std::size_t> idx;
  for (std::size_t v = 0; v < def.nodes.size(); ++v) idx[def.nodes[v].node_id] = v;
  std::vector<std::vector<double>> slot_free(p.domains.size());
  for (std::size_t d = 0; d < p.domains.size(); ++d) slot_free[d].assign(p.domains[d].slots, 0.0);
  std::vector<double> fin(def.nodes.size(), 0.0);
  double ms = 0;
  for (std::size_t v = 0; v < def.nodes.size(); ++v) {  // index order is topological here
    const std::size_t d = where[v];
    double ready = 0;
    for (const auto& e : def.edges)
      if (idx[e.target_node] == v) {
        std::size_t s = idx[e.source_node];
        double t = fin[s];
        if (where[s] != d)
          t += p.network.transfer_ms(e.bytes, p.domains[where[s]].kind, p.domains[d].kind);
        ready = std::max(ready, t);
      }
    auto it = std::min_element(slot_free[d].begin(), slot_free[d].end());
    double start = std::max(ready, *it);
    fin[v] = start + static_cast<double>(def.nodes[v].resources.cpu_time_ms) / p.domains[d].speed;
    *it = fin[v];
    ms = std::max(ms, fin[v]);
  }
  return ms;
}

}  // namespace

model::dataflow_definition random_workflow(std::uint32_t seed, std::size_t n) {
  rng r(seed * 7919u + 17u);
  model::dataflow_definition def;
  def.definition_id = "gen-" + std::to_string(seed);
  def.name = def.definition_id;
  for (std::size_t v = 0; v < n; ++v) {
    model::dataflow_node node;
    node.node_id = "n" + std::to_string(v);
    node.name = node.node_id;
    node.resources.cpu_time_ms = r.below(5) == 0 ? r.below(300) : 200 + r.below(20000);
    node.resources.memory_bytes = (1ull << 20) * (1 + r.below(4096));
    node.complexity = 0.5 + r.below(4) * 0.5;
    if (r.below(10) == 0) node.security_level = 3;  // only secure domains
    if (r.below(12) == 0) node.capabilities.push_back("zk");
    def.nodes.push_back(node);
    // Edges from earlier nodes: 0..3 parents, most recent ones more likely.
    if (v == 0) continue;
    std::uint32_t k = r.below(4);
    for (std::uint32_t i = 0; i < k; ++i) {
      std::size_t s = v - 1 - r.below(static_cast<std::uint32_t>(std::min<std::size_t>(v, 8)));
      bool dup = false;
      for (const auto& e : def.edges)
        dup = dup || (e.source_node == def.nodes[s].node_id && e.target_node == node.node_id);
      if (dup) continue;
      model::dataflow_edge e;
      e.edge_id = "e" + std::to_string(def.edges.size());
      e.source_node = def.nodes[s].node_id;
      e.target_node = node.node_id;
      e.bytes = r.below(3) == 0 ? 0 : static_cast<std::uint64_t>(r.below(400)) << 20;
      def.edges.push_back(e);
    }
  }
  return def;
}

model::platform random_platform(std::uint32_t seed) {
  rng r(seed * 104729u + 3u);
  model::platform p;
  p.name = "gen-" + std::to_string(seed);
  const std::uint32_t D = 1 + r.below(6);
  static const double speeds[] = {0.5, 1.0, 1.0, 2.0, 3.0, 6.0};
  for (std::uint32_t d = 0; d < D; ++d) {
    model::domain_spec s;
    s.name = "d" + std::to_string(d);
    s.kind = static_cast<model::domain_kind>(r.below(3));
    s.slots = 1 + r.below(4);
    s.speed = speeds[r.below(6)];
    s.cost.base_cost = 50 + r.below(200);
    s.cost.resource_cost_per_unit = 5 + r.below(20);
    s.cost.domain_cost_factor = 0.5 + r.below(16) * 0.5;
    s.security_level = 1 + r.below(3);
    if (r.below(2)) s.capabilities.push_back("zk");
    s.memory_bytes = (1ull << 30) * (2 + r.below(8));
    p.domains.push_back(s);
  }
  // The first domain hosts everything so every workflow is placeable.
  p.domains[0].security_level = 3;
  p.domains[0].memory_bytes = 16ull << 30;
  if (!p.domains[0].has_capability("zk")) p.domains[0].capabilities.push_back("zk");
  p.network.bandwidth_bytes_per_s = r.below(2) ? 125e6 : 1.25e9;
  p.network.latency_ms = 0.5 + r.below(5);
  p.network.cross_domain_multiplier = {{"verifiable->service", 2.0},
                                       {"service->verifiable", 3.0},
                                       {"verifiable->verifiable", 1.5},
                                       {"service->service", 1.2}};
  return p;
}

double all_on_fastest_makespan(const model::dataflow_definition& def, const model::platform& p) {
  double best_speed = -1;
  std::size_t best = 0;
  for (std::size_t d = 0; d < p.domains.size(); ++d) {
    bool all = std::all_of(def.nodes.begin(), def.nodes.end(),
                           [&](const model::dataflow_node& n) { return can_host(n, p.domains[d]); });
    if (all && p.domains[d].speed > best_speed) {
      best_speed = p.domains[d].speed;
      best = d;
    }
  }
  if (best_speed < 0) return -1;
  return greedy(def, p, std::vector<std::size_t>(def.nodes.size(), best));
}

double round_robin_makespan(const model::dataflow_definition& def, const model::platform& p) {
  std::vector<std::size_t> where(def.nodes.size());
  std::size_t next = 0;
  for (std::size_t v = 0; v < def.nodes.size(); ++v) {
    for (std::size_t k = 0; k < p.domains.size(); ++k) {
      std::size_t d = (next + k) % p.domains.size();
      if (can_host(def.nodes[v], p.domains[d])) {
        where[v] = d;
        next = d + 1;
        break;
      }
    }
  }
  return greedy(def, p, where);
}

}  // namespace causality::test
