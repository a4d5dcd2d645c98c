// Layout facts of a plan used by the Gantt writer: shape check, slot lanes,
// critical path.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <unordered_map>

#include "causality/observe/gantt.hpp"
#include "draw_util.hpp"

namespace causality::observe {

model::status check_plan_shape(const model::dataflow_definition& def, const model::platform& plat,
                               const strategies::plan& p) {
  auto bad = [](std::string path, std::string reason) {
    return model::error{"", std::move(path), std::move(reason)};
  };
  if (p.assignments.size() != def.nodes.size())
    return bad("/assignments", "plan has " + std::to_string(p.assignments.size()) +
                                   " assignments for " + std::to_string(def.nodes.size()) +
                                   " nodes");
  std::vector<bool> seen(def.nodes.size(), false);
  for (std::size_t i = 0; i < p.assignments.size(); ++i) {
    const auto& a = p.assignments[i];
    std::string at = "/assignments/" + std::to_string(i);
    if (a.node >= def.nodes.size()) return bad(at + "/node", "node index out of range");
    if (seen[a.node]) return bad(at + "/node", "node '" + def.nodes[a.node].node_id + "' assigned twice");
    seen[a.node] = true;
    if (a.domain >= plat.domains.size()) return bad(at + "/domain", "domain index out of range");
    if (!std::isfinite(a.start_ms) || !std::isfinite(a.finish_ms) || a.start_ms < 0 ||
        a.finish_ms < a.start_ms)
      return bad(at, "start_ms/finish_ms must be finite with 0 <= start <= finish");
  }
  return std::nullopt;
}

lane_layout assign_lanes(const model::platform& plat, const strategies::plan& p) {
  lane_layout out;
  std::size_t n = 0;
  for (const auto& a : p.assignments) n = std::max(n, a.node + 1);
  out.lane_of_node.assign(n, 0);
  out.lanes_of_domain.assign(plat.domains.size(), 0);
  std::vector<std::size_t> order(p.assignments.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) {
    const auto &a = p.assignments[x], &b = p.assignments[y];
    return a.start_ms != b.start_ms ? a.start_ms < b.start_ms : a.finish_ms < b.finish_ms;
  });
  const double eps = 1e-9 * std::max(1.0, detail::schedule_end(p));
  std::vector<std::vector<double>> lane_free(plat.domains.size());  // last finish per lane
  for (std::size_t k : order) {
    const auto& a = p.assignments[k];
    auto& lanes = lane_free[a.domain];
    std::size_t lane = 0;
    while (lane < lanes.size() && lanes[lane] > a.start_ms + eps) ++lane;
    if (lane == lanes.size()) lanes.push_back(0);
    lanes[lane] = a.finish_ms;
    out.lane_of_node[a.node] = lane;
  }
  for (std::size_t d = 0; d < plat.domains.size(); ++d)
    out.lanes_of_domain[d] = std::max<std::size_t>(plat.domains[d].slots, lane_free[d].size());
  return out;
}

std::vector<std::size_t> critical_path(const model::dataflow_definition& def,
                                       const model::platform& plat, const strategies::plan& p) {
  if (def.nodes.empty() || check_plan_shape(def, plat, p)) return {};
  auto a = detail::by_node(def, p);
  std::unordered_map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < def.nodes.size(); ++i) index.emplace(def.nodes[i].node_id, i);
  std::vector<std::vector<std::size_t>> preds(def.nodes.size());  // incoming edge indices
  for (std::size_t e = 0; e < def.edges.size(); ++e) {
    auto t = index.find(def.edges[e].target_node);
    if (t != index.end() && index.count(def.edges[e].source_node)) preds[t->second].push_back(e);
  }
  std::size_t v = 0;
  for (std::size_t i = 1; i < a.size(); ++i)
    if (a[i]->finish_ms > a[v]->finish_ms) v = i;
  const double eps = 1e-6 * std::max(1.0, detail::schedule_end(p));
  std::vector<bool> on(def.nodes.size(), false);
  std::vector<std::size_t> path{v};
  on[v] = true;
  for (;;) {
    std::optional<std::size_t> next;
    double best = -std::numeric_limits<double>::infinity();
    for (std::size_t e : preds[v]) {
      std::size_t u = index.at(def.edges[e].source_node);
      double arrival = a[u]->finish_ms;
      if (a[u]->domain != a[v]->domain)
        arrival += plat.network.transfer_ms(def.edges[e].bytes, plat.domains[a[u]->domain].kind,
                                            plat.domains[a[v]->domain].kind);
      if (arrival > best) best = arrival, next = u;
    }
    if (!next || best < a[v]->start_ms - eps) {
      // Not data-bound: it waited for a slot, freed by a node of the same
      // domain finishing as it started.
      next.reset();
      for (std::size_t w = 0; w < a.size(); ++w)
        if (!on[w] && a[w]->domain == a[v]->domain &&
            std::abs(a[w]->finish_ms - a[v]->start_ms) <= eps &&
            a[w]->start_ms < a[v]->start_ms)
          next = w;
    }
    if (!next || on[*next]) break;
    v = *next;
    on[v] = true;
    path.push_back(v);
  }
  std::reverse(path.begin(), path.end());
  return path;
}

}  // namespace causality::observe
