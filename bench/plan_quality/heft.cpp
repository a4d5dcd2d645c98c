#include "heft.hpp"

#include <algorithm>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "causality/strategies/cost.hpp"

namespace causality::bench {
namespace {

struct graph {
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> succ, pred;  // (node, edge)
  std::vector<std::size_t> depth, topo;
};

graph build(const model::dataflow_definition& def) {
  graph g;
  const std::size_t V = def.nodes.size();
  std::map<std::string, std::size_t> idx;
  for (std::size_t v = 0; v < V; ++v) idx[def.nodes[v].node_id] = v;
  g.succ.resize(V);
  g.pred.resize(V);
  for (std::size_t e = 0; e < def.edges.size(); ++e) {
    std::size_t s = idx.at(def.edges[e].source_node), t = idx.at(def.edges[e].target_node);
    g.succ[s].push_back({t, e});
    g.pred[t].push_back({s, e});
  }
  std::vector<std::size_t> indeg(V);
  for (std::size_t v = 0; v < V; ++v) indeg[v] = g.pred[v].size();
  g.depth.assign(V, 0);
  for (std::size_t v = 0; v < V; ++v)
    if (!indeg[v]) g.topo.push_back(v);
  for (std::size_t h = 0; h < g.topo.size(); ++h)
    for (auto [s, e] : g.succ[g.topo[h]]) {
      g.depth[s] = std::max(g.depth[s], g.depth[g.topo[h]] + 1);
      if (--indeg[s] == 0) g.topo.push_back(s);
    }
  return g;
}

double exec(const model::dataflow_node& n, const model::domain_spec& d) {
  return static_cast<double>(n.resources.cpu_time_ms) / d.speed;
}

}  // namespace

baseline heft(const model::dataflow_definition& def, const model::platform& p) {
  const std::size_t V = def.nodes.size(), D = p.domains.size();
  graph g = build(def);
  std::vector<std::vector<bool>> able(V, std::vector<bool>(D));
  for (std::size_t v = 0; v < V; ++v)
    for (std::size_t d = 0; d < D; ++d)
      able[v][d] = strategies::placement_violation(def.nodes[v], p.domains[d], def).empty();
  // Average communication cost per byte-time unit: mean multiplier over
  // ordered pairs of distinct processors (slots), 0 inside a domain.
  double msum = 0, pairs = 0;
  for (std::size_t a = 0; a < D; ++a)
    for (std::size_t b = 0; b < D; ++b) {
      const double sa = p.domains[a].slots, sb = p.domains[b].slots;
      if (a == b) {
        pairs += sa * (sa - 1);
        continue;
      }
      msum += sa * sb * p.network.multiplier(p.domains[a].kind, p.domains[b].kind);
      pairs += sa * sb;
    }
  const double mbar = pairs > 0 ? msum / pairs : 0;
  auto base = [&](std::size_t e) {
    return p.network.latency_ms +
           1000.0 * static_cast<double>(def.edges[e].bytes) / p.network.bandwidth_bytes_per_s;
  };
  std::vector<double> wbar(V), rank(V);
  for (std::size_t v = 0; v < V; ++v) {
    double s = 0, w = 0;
    for (std::size_t d = 0; d < D; ++d)
      if (able[v][d]) {
        s += p.domains[d].slots * exec(def.nodes[v], p.domains[d]);
        w += p.domains[d].slots;
      }
    wbar[v] = w > 0 ? s / w : 0;
  }
  for (std::size_t i = V; i-- > 0;) {
    const std::size_t v = g.topo[i];
    double m = 0;
    for (auto [s, e] : g.succ[v]) m = std::max(m, base(e) * mbar + rank[s]);
    rank[v] = wbar[v] + m;
  }
  std::vector<std::size_t> order(V);
  for (std::size_t v = 0; v < V; ++v) order[v] = v;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    if (rank[a] != rank[b]) return rank[a] > rank[b];
    if (g.depth[a] != g.depth[b]) return g.depth[a] < g.depth[b];
    return a < b;
  });
  // Processors: every slot; each keeps its busy intervals sorted by start.
  struct proc {
    std::size_t domain;
    std::vector<std::pair<double, double>> busy;
  };
  std::vector<proc> procs;
  for (std::size_t d = 0; d < D; ++d)
    for (std::uint32_t k = 0; k < p.domains[d].slots; ++k) procs.push_back({d, {}});
  std::vector<double> aft(V, 0);
  std::vector<std::size_t> where(V, 0);
  baseline out;
  for (std::size_t v : order) {
    double best_f = std::numeric_limits<double>::infinity(), best_s = 0;
    std::size_t best_p = 0;
    for (std::size_t q = 0; q < procs.size(); ++q) {
      const std::size_t d = procs[q].domain;
      if (!able[v][d]) continue;
      double ready = 0;
      for (auto [s, e] : g.pred[v]) {
        double t = aft[s];
        if (procs[where[s]].domain != d)
          t += base(e) * p.network.multiplier(p.domains[procs[where[s]].domain].kind,
                                              p.domains[d].kind);
        ready = std::max(ready, t);
      }
      const double w = exec(def.nodes[v], p.domains[d]);
      double start = ready;
      if (w > 0)
        for (const auto& [bs, bf] : procs[q].busy) {
          if (bf <= start) continue;
          if (start + w <= bs) break;
          start = std::max(start, bf);
        }
      if (start + w < best_f) {
        best_f = start + w;
        best_s = start;
        best_p = q;
      }
    }
    auto& busy = procs[best_p].busy;
    if (best_f > best_s)
      busy.insert(std::upper_bound(busy.begin(), busy.end(), std::make_pair(best_s, best_f)),
                  {best_s, best_f});
    aft[v] = best_f;
    where[v] = best_p;
    out.makespan_ms = std::max(out.makespan_ms, best_f);
    out.cost += strategies::node_cost(def.nodes[v], p.domains[procs[best_p].domain]);
  }
  return out;
}

double lower_bound_ms(const model::dataflow_definition& def, const model::platform& p) {
  graph g = build(def);
  const std::size_t V = def.nodes.size();
  std::vector<double> fastest(V, std::numeric_limits<double>::infinity()), cp(V, 0);
  double work = 0, capacity = 0;
  for (const auto& d : p.domains) capacity += d.slots * d.speed;
  for (std::size_t v = 0; v < V; ++v) {
    for (const auto& d : p.domains)
      if (strategies::placement_violation(def.nodes[v], d, def).empty())
        fastest[v] = std::min(fastest[v], exec(def.nodes[v], d));
    work += static_cast<double>(def.nodes[v].resources.cpu_time_ms);
  }
  double best = 0;
  for (std::size_t v : g.topo) {
    double in = 0;
    for (auto [s, e] : g.pred[v]) in = std::max(in, cp[s]);
    cp[v] = in + fastest[v];
    best = std::max(best, cp[v]);
  }
  return std::max(best, capacity > 0 ? work / capacity : 0);
}

}  // namespace causality::bench
