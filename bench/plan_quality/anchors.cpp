// Reference budget/deadline heuristics (anchors.hpp); independent of the
// planner's scheduling code by design.
#include "anchors.hpp"

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <map>
#include <string>
#include <vector>

#include "causality/strategies/cost.hpp"

namespace causality::bench {
namespace {

constexpr double inf = std::numeric_limits<double>::infinity();

struct inst {
  const model::dataflow_definition* def;
  const model::platform* plat;
  std::size_t V = 0, D = 0;
  std::vector<std::vector<std::pair<std::size_t, std::size_t>>> succ, pred;  // (node, edge)
  std::vector<std::size_t> order;  // HEFT upward rank, highest first
  std::vector<std::vector<double>> ex, cost;
  std::vector<std::vector<bool>> able;
  std::vector<double> mean_cost, min_cost;
  double mbar = 0;  // mean multiplier over ordered pairs of distinct domains
  double base(std::size_t e) const {
    return plat->network.latency_ms +
           1000.0 * static_cast<double>(def->edges[e].bytes) / plat->network.bandwidth_bytes_per_s;
  }
  double mult(std::size_t a, std::size_t b) const {
    return a == b ? 0 : plat->network.multiplier(plat->domains[a].kind, plat->domains[b].kind);
  }
};

inst make(const model::dataflow_definition& def, const model::platform& p) {
  inst I;
  I.def = &def;
  I.plat = &p;
  I.V = def.nodes.size();
  I.D = p.domains.size();
  std::map<std::string, std::size_t> idx;
  for (std::size_t v = 0; v < I.V; ++v) idx[def.nodes[v].node_id] = v;
  I.succ.resize(I.V);
  I.pred.resize(I.V);
  for (std::size_t e = 0; e < def.edges.size(); ++e) {
    std::size_t s = idx.at(def.edges[e].source_node), t = idx.at(def.edges[e].target_node);
    I.succ[s].push_back({t, e});
    I.pred[t].push_back({s, e});
  }
  I.ex.assign(I.V, std::vector<double>(I.D));
  I.cost = I.ex;
  I.able.assign(I.V, std::vector<bool>(I.D));
  I.mean_cost.assign(I.V, 0);
  I.min_cost.assign(I.V, inf);
  std::vector<double> wbar(I.V, 0);
  for (std::size_t v = 0; v < I.V; ++v) {
    double n = 0, w = 0;
    for (std::size_t d = 0; d < I.D; ++d) {
      I.ex[v][d] = def.nodes[v].resources.cpu_time_ms / p.domains[d].speed;
      I.cost[v][d] = strategies::node_cost(def.nodes[v], p.domains[d]);
      I.able[v][d] = strategies::placement_violation(def.nodes[v], p.domains[d], def).empty();
      if (!I.able[v][d]) continue;
      n += 1;
      I.mean_cost[v] += I.cost[v][d];
      I.min_cost[v] = std::min(I.min_cost[v], I.cost[v][d]);
      wbar[v] += p.domains[d].slots * I.ex[v][d];
      w += p.domains[d].slots;
    }
    I.mean_cost[v] /= std::max(1.0, n);
    wbar[v] /= std::max(1.0, w);
  }
  double ms = 0, pairs = 0;
  for (std::size_t a = 0; a < I.D; ++a)
    for (std::size_t b = 0; b < I.D; ++b)
      if (a != b) ms += I.mult(a, b), pairs += 1;
  I.mbar = pairs > 0 ? ms / pairs : 0;
  // Topological order (Kahn), then upward rank.
  std::vector<std::size_t> indeg(I.V), topo;
  for (std::size_t v = 0; v < I.V; ++v) indeg[v] = I.pred[v].size();
  for (std::size_t v = 0; v < I.V; ++v)
    if (!indeg[v]) topo.push_back(v);
  for (std::size_t h = 0; h < topo.size(); ++h)
    for (auto [s, e] : I.succ[topo[h]])
      if (--indeg[s] == 0) topo.push_back(s);
  std::vector<double> rank(I.V, 0);
  for (std::size_t i = topo.size(); i-- > 0;) {
    const std::size_t v = topo[i];
    double m = 0;
    for (auto [s, e] : I.succ[v]) m = std::max(m, I.base(e) * I.mbar + rank[s]);
    rank[v] = wbar[v] + m;
  }
  I.order = topo;
  std::stable_sort(I.order.begin(), I.order.end(),
                   [&](std::size_t a, std::size_t b) { return rank[a] > rank[b]; });
  return I;
}

/// Where node v could run on each domain: earliest start and finish on the
/// domain's best slot (insertion), its cost.
struct option {
  bool able = false;
  double start = 0, finish = inf, cost = 0;
  std::size_t slot = 0;
};

/// List schedule in rank order; `choose(v, options)` returns the domain.
anchor_result schedule(const inst& I,
                       const std::function<std::size_t(std::size_t,
                                                       const std::vector<option>&)>& choose,
                       std::vector<std::size_t>* dom_out = nullptr) {
  std::vector<std::vector<std::vector<std::pair<double, double>>>> busy(I.D);
  for (std::size_t d = 0; d < I.D; ++d) busy[d].resize(I.plat->domains[d].slots);
  std::vector<double> aft(I.V, 0);
  std::vector<std::size_t> dom(I.V, 0);
  anchor_result out;
  std::vector<option> opts(I.D);
  for (std::size_t v : I.order) {
    for (std::size_t d = 0; d < I.D; ++d) {
      option o;
      o.able = I.able[v][d];
      o.cost = I.cost[v][d];
      if (o.able) {
        double ready = 0;
        for (auto [s, e] : I.pred[v])
          ready = std::max(ready, aft[s] + (dom[s] == d ? 0 : I.base(e) * I.mult(dom[s], d)));
        const double w = I.ex[v][d];
        for (std::size_t k = 0; k < busy[d].size(); ++k) {
          double start = ready;
          if (w > 0)
            for (const auto& [bs, bf] : busy[d][k]) {
              if (bf <= start) continue;
              if (start + w <= bs) break;
              start = std::max(start, bf);
            }
          if (start + w < o.finish) o.start = start, o.finish = start + w, o.slot = k;
        }
      }
      opts[d] = o;
    }
    const std::size_t d = choose(v, opts);
    const option& o = opts[d];
    auto& b = busy[d][o.slot];
    if (o.finish > o.start)
      b.insert(std::upper_bound(b.begin(), b.end(), std::make_pair(o.start, o.finish)),
               {o.start, o.finish});
    aft[v] = o.finish;
    dom[v] = d;
    out.makespan_ms = std::max(out.makespan_ms, o.finish);
    out.cost += o.cost;
  }
  if (dom_out) *dom_out = dom;
  return out;
}

std::size_t earliest(const std::vector<option>& o, const std::vector<bool>* mask = nullptr) {
  std::size_t best = 0;
  double f = inf;
  for (std::size_t d = 0; d < o.size(); ++d)
    if (o[d].able && (!mask || (*mask)[d]) && o[d].finish < f) f = o[d].finish, best = d;
  return best;
}

std::size_t cheapest(const std::vector<option>& o) {
  std::size_t best = 0;
  double c = inf, f = inf;
  for (std::size_t d = 0; d < o.size(); ++d)
    if (o[d].able && (o[d].cost < c || (o[d].cost == c && o[d].finish < f)))
      c = o[d].cost, f = o[d].finish, best = d;
  return best;
}

std::optional<anchor_result> within(const anchor_result& r, double budget) {
  if (r.cost <= budget * (1 + 1e-12) + 1e-9) return r;
  return std::nullopt;
}

}  // namespace

double cheapest_cost(const model::dataflow_definition& def, const model::platform& p) {
  inst I = make(def, p);
  double c = 0;
  for (std::size_t v = 0; v < I.V; ++v) c += I.min_cost[v];
  return c;
}

std::optional<anchor_result> bheft(const model::dataflow_definition& def,
                                   const model::platform& p, double budget) {
  inst I = make(def, p);
  double spent = 0, rest = 0;
  for (std::size_t v = 0; v < I.V; ++v) rest += I.mean_cost[v];
  auto r = schedule(I, [&](std::size_t v, const std::vector<option>& o) {
    // Spare budget over the average cost of the unscheduled nodes; this
    // node's share is proportional to its average cost.
    const double sab = budget - spent - rest;
    double ctb = I.mean_cost[v];
    if (sab >= 0 && rest > 0) ctb += sab * I.mean_cost[v] / rest;
    std::size_t best = o.size();
    for (std::size_t d = 0; d < o.size(); ++d)
      if (o[d].able && o[d].cost <= ctb && (best == o.size() || o[d].finish < o[best].finish))
        best = d;
    if (best == o.size()) best = cheapest(o);
    spent += o[best].cost;
    rest -= I.mean_cost[v];
    return best;
  });
  return within(r, budget);
}

std::optional<anchor_result> hbcs(const model::dataflow_definition& def,
                                  const model::platform& p, double budget) {
  inst I = make(def, p);
  double spent = 0, rest_min = 0;
  for (std::size_t v = 0; v < I.V; ++v) rest_min += I.min_cost[v];
  auto r = schedule(I, [&](std::size_t v, const std::vector<option>& o) {
    rest_min -= I.min_cost[v];
    // Heterogeneous Budget Constrained Scheduling: the node may spend what
    // leaves the cheapest cost for the rest; worth mixes relative time and
    // cost by the cost coefficient of the remaining budget.
    double cbest = inf, cworst = 0, tbest = inf, tworst = 0;
    for (const auto& x : o)
      if (x.able) {
        cbest = std::min(cbest, x.cost), cworst = std::max(cworst, x.cost);
        tbest = std::min(tbest, x.finish), tworst = std::max(tworst, x.finish);
      }
    const double limit = budget - spent - rest_min;
    const double k = cworst > cbest ? std::clamp((limit - cbest) / (cworst - cbest), 0.0, 1.0) : 1.0;
    std::size_t best = o.size();
    double wbest = -inf;
    for (std::size_t d = 0; d < o.size(); ++d) {
      if (!o[d].able || o[d].cost > limit + 1e-9) continue;
      const double tr = tworst > tbest ? (tworst - o[d].finish) / (tworst - tbest) : 1;
      const double cr = cworst > cbest ? (cworst - o[d].cost) / (cworst - cbest) : 1;
      const double worth = tr * k + cr * (1 - k);
      if (worth > wbest) wbest = worth, best = d;
    }
    if (best == o.size()) best = cheapest(o);
    spent += o[best].cost;
    return best;
  });
  return within(r, budget);
}

std::optional<anchor_result> loss(const model::dataflow_definition& def,
                                  const model::platform& p, double budget) {
  inst I = make(def, p);
  std::vector<std::size_t> a;
  auto h = schedule(I, [](std::size_t, const std::vector<option>& o) { return earliest(o); }, &a);
  double cost = h.cost;
  // LOSS: from HEFT, reassign the node with the smallest time loss per
  // cost saved until the budget holds.
  while (cost > budget * (1 + 1e-12) + 1e-9) {
    double best = inf;
    std::size_t bv = I.V, bd = 0;
    for (std::size_t v = 0; v < I.V; ++v)
      for (std::size_t d = 0; d < I.D; ++d) {
        if (!I.able[v][d] || !(I.cost[v][d] < I.cost[v][a[v]])) continue;
        const double w = (I.ex[v][d] - I.ex[v][a[v]]) / (I.cost[v][a[v]] - I.cost[v][d]);
        if (w < best) best = w, bv = v, bd = d;
      }
    if (bv == I.V) return std::nullopt;
    cost += I.cost[bv][bd] - I.cost[bv][a[bv]];
    a[bv] = bd;
  }
  auto r = schedule(I, [&](std::size_t v, const std::vector<option>&) { return a[v]; });
  return within(r, budget);
}

std::optional<anchor_result> subset_heft(const model::dataflow_definition& def,
                                         const model::platform& p, double budget) {
  inst I = make(def, p);
  if (I.D > 12) return std::nullopt;
  std::optional<anchor_result> best;
  for (std::uint32_t m = 1; m < (1u << I.D); ++m) {
    std::vector<bool> mask(I.D);
    for (std::size_t d = 0; d < I.D; ++d) mask[d] = (m >> d) & 1;
    bool hosts = true;
    for (std::size_t v = 0; v < I.V && hosts; ++v) {
      bool any = false;
      for (std::size_t d = 0; d < I.D; ++d) any = any || (mask[d] && I.able[v][d]);
      hosts = any;
    }
    if (!hosts) continue;
    auto r = schedule(I, [&](std::size_t, const std::vector<option>& o) {
      return earliest(o, &mask);
    });
    if (r.cost <= budget * (1 + 1e-12) + 1e-9 && (!best || r.makespan_ms < best->makespan_ms))
      best = r;
  }
  return best;
}

std::optional<anchor_result> ic_pcp(const model::dataflow_definition& def,
                                    const model::platform& p, double deadline) {
  inst I = make(def, p);
  const std::size_t V = I.V, X = V;  // X: virtual exit node
  std::vector<long> dom(V + 1, -1);
  dom[X] = -2;
  std::vector<double> fast(V + 1, 0), est(V + 1, 0), lft(V + 1, deadline);
  for (std::size_t v = 0; v < V; ++v) {
    fast[v] = inf;
    for (std::size_t d = 0; d < I.D; ++d)
      if (I.able[v][d]) fast[v] = std::min(fast[v], I.ex[v][d]);
  }
  auto pred = I.pred, succ = I.succ;
  pred.emplace_back();
  succ.emplace_back();
  for (std::size_t v = 0; v < V; ++v)
    if (I.succ[v].empty()) pred[X].push_back({v, def.edges.size()}), succ[v].push_back({X, def.edges.size()});
  auto time = [&](std::size_t v) { return v == X ? 0.0 : dom[v] >= 0 ? I.ex[v][dom[v]] : fast[v]; };
  auto tr = [&](std::size_t a, std::size_t b, std::size_t e) {
    if (b == X || e >= def.edges.size()) return 0.0;
    if (dom[a] >= 0 && dom[b] >= 0)
      return dom[a] == dom[b] ? 0.0 : I.base(e) * I.mult(dom[a], dom[b]);
    return I.base(e) * I.mbar;
  };
  std::vector<std::size_t> topo = I.order;  // rank order is topological
  topo.push_back(X);
  auto update = [&]() {
    for (std::size_t v : topo) {
      est[v] = 0;
      for (auto [q, e] : pred[v]) est[v] = std::max(est[v], est[q] + time(q) + tr(q, v, e));
    }
    for (std::size_t i = topo.size(); i-- > 0;) {
      const std::size_t v = topo[i];
      lft[v] = v == X ? deadline : inf;
      for (auto [s, e] : succ[v]) lft[v] = std::min(lft[v], lft[s] - time(s) - tr(v, s, e));
    }
  };
  update();
  // Assign a partial critical path to the cheapest domain that finishes
  // each of its nodes by its latest finish time (else the fastest).
  auto assign_path = [&](const std::vector<std::size_t>& path) {
    long best = -1, fastest = -1;
    double bc = inf, bf = inf;
    for (std::size_t d = 0; d < I.D; ++d) {
      bool able = true;
      for (std::size_t v : path) able = able && I.able[v][d];
      if (!able) continue;
      double t = 0, c = 0;
      bool meets = true;
      for (std::size_t i = 0; i < path.size(); ++i) {
        const std::size_t v = path[i];
        double start = i ? t : 0;
        for (auto [q, e] : pred[v]) {
          if (i && q == path[i - 1]) continue;
          const double x = dom[q] >= 0 ? (static_cast<std::size_t>(dom[q]) == d ? 0 : I.base(e) * I.mult(dom[q], d))
                                       : I.base(e) * I.mbar;
          start = std::max(start, est[q] + time(q) + x);
        }
        t = start + I.ex[v][d];
        c += I.cost[v][d];
        meets = meets && t <= lft[v] + 1e-9;
      }
      if (meets && c < bc) bc = c, best = static_cast<long>(d);
      if (t < bf) bf = t, fastest = static_cast<long>(d);
    }
    for (std::size_t v : path) dom[v] = best >= 0 ? best : fastest;
    update();
  };
  std::function<void(std::size_t)> assign_parents = [&](std::size_t v) {
    for (;;) {
      std::vector<std::size_t> path;
      std::size_t u = v;
      for (;;) {
        std::size_t cp = V + 1;
        double key = -inf;
        for (auto [q, e] : pred[u])
          if (dom[q] == -1 && est[q] + time(q) + tr(q, u, e) > key)
            key = est[q] + time(q) + tr(q, u, e), cp = q;
        if (cp == V + 1) break;
        path.insert(path.begin(), cp);
        u = cp;
      }
      if (path.empty()) return;
      assign_path(path);
      for (std::size_t i = path.size(); i-- > 0;) assign_parents(path[i]);
    }
  };
  assign_parents(X);
  auto r = schedule(I, [&](std::size_t v, const std::vector<option>& o) {
    return dom[v] >= 0 ? static_cast<std::size_t>(dom[v]) : earliest(o);
  });
  if (r.makespan_ms > deadline * (1 + 1e-12) + 1e-9) return std::nullopt;
  return r;
}

}  // namespace causality::bench
