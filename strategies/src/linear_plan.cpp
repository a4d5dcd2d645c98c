// The planner's tier for large workflows: one pass over the nodes in
// topological order, each placed on the domain with the best weighted
// log-ratio of its finish time and its cost. Time and memory are linear in
// nodes x domains (plus log(slots) per placement); no candidate schedules,
// no local search, no per-node-domain strings. planner.cpp calls it when
// nodes x domains exceeds linear_tier_limit and nothing asks for more.

#include <cmath>
#include <functional>
#include <limits>
#include <queue>
#include <string_view>
#include <unordered_map>

#include "causality/strategies/cost.hpp"
#include "linear_plan.hpp"
#include "schedule.hpp"

namespace causality::strategies::detail {

bool linear_tier_applies(const model::dataflow_definition& def, const model::platform& plat,
                         const model::initiation_hint& hint, const planner_context& ctx) {
  const double work = static_cast<double>(def.nodes.size()) * static_cast<double>(plat.domains.size());
  // One domain: every plan costs the same and there is no front to search,
  // so beyond a small size the linear pass is the plan (the full planner cost
  // ~200 us per node on a 5000-node DAG on the default local platform).
  const bool one_domain_large = plat.domains.size() == 1 && def.nodes.size() > 1000;
  if (!one_domain_large && (work <= linear_tier_limit || def.nodes.size() <= linear_tier_min_nodes))
    return false;
  // Anything the full planner checks across the schedule keeps the full planner.
  const auto& lim = hint.resource_constraints;
  if (hint.cost_budget || hint.max_latency_ms || lim.completion_time_ms || lim.cpu_time_ms ||
      lim.network_bytes || lim.memory_bytes || lim.storage_bytes)
    return false;
  if (!hint.domain_preference_order.empty()) return false;
  if (ctx.exec_time_ms || !ctx.fixed.empty() || !ctx.unavailable.empty() || ctx.now_ms != 0) return false;
  return true;
}

model::expected<plan> linear_plan(const model::dataflow_definition& def, const model::platform& plat,
                                  tradeoff_weights w) {
  w.stretch = std::numeric_limits<double>::infinity();
  const std::size_t V = def.nodes.size(), D = plat.domains.size();
  if (D == 0) return model::error{"", "/domains", "platform has no domains"};
  std::unordered_map<std::string_view, std::uint32_t> index;
  index.reserve(V);
  for (std::uint32_t v = 0; v < V; ++v) index.emplace(def.nodes[v].node_id, v);
  // CSR predecessors (with the edge, for its bytes) and successors.
  const std::size_t E = def.edges.size();
  std::vector<std::uint32_t> pred_off(V + 1, 0), succ_off(V + 1, 0), src(E), dst(E);
  for (std::size_t e = 0; e < E; ++e) {
    auto s = index.find(def.edges[e].source_node), t = index.find(def.edges[e].target_node);
    if (s == index.end() || t == index.end())
      return model::error{"", "/edges/" + std::to_string(e),
                          "edge names unknown node '" +
                              (s == index.end() ? def.edges[e].source_node : def.edges[e].target_node) + "'"};
    src[e] = s->second;
    dst[e] = t->second;
    ++pred_off[dst[e] + 1];
    ++succ_off[src[e] + 1];
  }
  for (std::size_t v = 0; v < V; ++v) {
    pred_off[v + 1] += pred_off[v];
    succ_off[v + 1] += succ_off[v];
  }
  std::vector<std::uint32_t> pred_edge(E), succ_node(E);
  {
    std::vector<std::uint32_t> pi(pred_off.begin(), pred_off.end() - 1), si(succ_off.begin(), succ_off.end() - 1);
    for (std::uint32_t e = 0; e < E; ++e) {
      pred_edge[pi[dst[e]]++] = e;
      succ_node[si[src[e]]++] = dst[e];
    }
  }
  // Kahn's order; a leftover node means a cycle.
  std::vector<std::uint32_t> order, left(V);
  order.reserve(V);
  for (std::uint32_t v = 0; v < V; ++v) {
    left[v] = pred_off[v + 1] - pred_off[v];
    if (!left[v]) order.push_back(v);
  }
  for (std::size_t h = 0; h < order.size(); ++h)
    for (auto k = succ_off[order[h]]; k < succ_off[order[h] + 1]; ++k)
      if (--left[succ_node[k]] == 0) order.push_back(succ_node[k]);
  if (order.size() != V)
    for (std::uint32_t v = 0; v < V; ++v)
      if (left[v])
        return model::error{"", "/edges", "the workflow has a cycle through node '" + def.nodes[v].node_id + "'"};

  // Per domain: the free time of each slot (a min-heap), kinds, multipliers.
  using heap = std::priority_queue<double, std::vector<double>, std::greater<double>>;
  std::vector<heap> free_at(D);
  std::vector<int> kind(D);
  for (std::size_t d = 0; d < D; ++d) {
    kind[d] = static_cast<int>(plat.domains[d].kind);
    for (std::uint32_t s = 0; s < std::max<std::uint32_t>(1, plat.domains[d].slots); ++s) free_at[d].push(0.0);
  }
  double mult[3][3];
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      mult[a][b] = plat.network.multiplier(static_cast<model::domain_kind>(a), static_cast<model::domain_kind>(b));
  const auto& net = plat.network;
  const double inf = std::numeric_limits<double>::infinity();

  plan p;
  p.assignments.resize(V);
  std::vector<double> start(D), finish(D), cost(D);
  std::vector<unsigned char> ok(D);
  std::vector<tradeoff_point> pts(D);
  std::vector<std::size_t> at(D);
  std::vector<std::uint64_t> cross(D, 0);
  std::vector<double> busy(D, 0.0);
  std::uint64_t cross_total = 0;
  double cpu = 0;
  for (auto v : order) {
    const auto& node = def.nodes[v];
    double fmin = inf;
    std::string why_first;
    for (std::size_t d = 0; d < D; ++d) {
      const auto& dom = plat.domains[d];
      auto why = placement_violation(node, dom, def);
      const double e = exec_ms(node, dom);
      if (why.empty() && !(e >= 0 && e < 1e300)) why = "execution time is not finite";
      ok[d] = why.empty();
      if (!ok[d]) {
        if (why_first.empty()) why_first = dom.name + ": " + why;
        continue;
      }
      double ready = 0;
      std::uint64_t xb = 0;
      for (auto k = pred_off[v]; k < pred_off[v + 1]; ++k) {
        auto edge = pred_edge[k];
        const auto& a = p.assignments[src[edge]];
        double t = a.finish_ms;
        if (a.domain != d) {
          const auto bytes = def.edges[edge].bytes;
          t += (net.latency_ms + 1000.0 * static_cast<double>(bytes) / net.bandwidth_bytes_per_s) *
               mult[kind[a.domain]][kind[d]];
          xb += bytes;
        }
        ready = std::max(ready, t);
      }
      start[d] = std::max(ready, free_at[d].top());
      finish[d] = start[d] + e;
      cost[d] = node_cost(node, dom);
      cross[d] = xb;
      fmin = std::min(fmin, finish[d]);
    }
    if (fmin == inf)
      return model::error{"", "/nodes/" + std::to_string(v),
                          "node '" + node.node_id + "' cannot run on any domain (" + why_first + ")"};
    std::size_t n = 0;
    for (std::size_t d = 0; d < D; ++d)
      if (ok[d]) pts[n] = {finish[d], cost[d], 0.0}, at[n++] = d;
    const std::size_t win = at[choose_tradeoff_index(w, pts.data(), n)];
    free_at[win].pop();
    free_at[win].push(finish[win]);
    auto& a = p.assignments[v];
    a.node = v;
    a.domain = win;
    a.start_ms = start[win];
    a.finish_ms = finish[win];
    a.cost = cost[win];
    p.makespan_ms = std::max(p.makespan_ms, a.finish_ms);
    p.total_cost += a.cost;
    busy[win] += a.finish_ms - a.start_ms;
    cpu += a.finish_ms - a.start_ms;
    cross_total += cross[win];
  }
  double used_slots = 0, busy_sum = 0;
  for (std::size_t d = 0; d < D; ++d)
    if (busy[d] > 0) {
      used_slots += std::max<std::uint32_t>(1, plat.domains[d].slots);
      busy_sum += busy[d];
    }
  p.utilisation = p.makespan_ms > 0 && used_slots > 0 ? busy_sum / (used_slots * p.makespan_ms) : 0;
  p.workflow = def.name.empty() ? def.definition_id : def.name;
  p.platform = plat.name;
  p.method = "linear pass: each node in topological order on the domain the trade-off chooses (nodes x domains above " +
             std::to_string(static_cast<long long>(linear_tier_limit)) + ")";
  std::uint64_t node_net = 0;
  p.totals.storage_bytes = 0;  // the estimate's defaults are not zero
  for (const auto& n : def.nodes) {
    p.totals.storage_bytes += n.resources.storage_bytes;
    node_net += n.resources.network_bytes;
  }
  p.totals.cpu_time_ms = static_cast<std::uint64_t>(std::ceil(cpu));
  p.totals.memory_bytes = peak_memory(def, p.assignments);
  p.totals.network_bytes = node_net + cross_total;
  p.totals.estimated_completion_time_ms = p.makespan_ms;
  return p;
}

}  // namespace causality::strategies::detail
