#include <algorithm>
#include <map>
#include <cmath>
#include <limits>
#include <sstream>
#include <unordered_map>

#include "causality/strategies/cost.hpp"
#include "schedule.hpp"

namespace causality::strategies::detail {

std::string num_text(double x) {
  std::ostringstream o;
  o.precision(x >= 1e6 ? 10 : 6);
  o << x;
  return o.str();
}

std::uint64_t peak_memory(const model::dataflow_definition& def,
                          const std::vector<assignment>& a) {
  std::vector<std::pair<double, std::int64_t>> ev;
  ev.reserve(2 * a.size());
  for (const auto& x : a)
    if (x.finish_ms > x.start_ms) {
      const auto m = static_cast<std::int64_t>(def.nodes[x.node].resources.memory_bytes);
      ev.emplace_back(x.start_ms, m);
      ev.emplace_back(x.finish_ms, -m);
    }
  std::sort(ev.begin(), ev.end());  // releases sort before starts at equal times
  std::int64_t cur = 0, peak = 0;
  for (const auto& e : ev) peak = std::max(peak, cur += e.second);
  return static_cast<std::uint64_t>(peak);
}

std::string pass_params::label() const {
  // Plain words (docs/planner.md "Candidate schedules"): how this schedule was built.
  static const std::map<std::string, std::string> tags = {
      {"cheapest", "every node on its cheapest domain"},
      {"loss path", "from the fastest plan, nodes moved one at a time to cheaper domains (least time lost per cost saved)"},
      {"gain path", "from the cheapest plan, nodes moved one at a time to faster domains (most time saved per cost added)"},
      {"gain to budget", "from the cheapest plan, nodes moved to faster domains while the cost budget allows"},
      {"loss to deadline", "from the fastest plan, nodes moved to cheaper domains while the deadline holds"},
      {"gain to deadline", "from the cheapest plan, nodes moved to faster domains until the deadline holds"}};
  if (!tag.empty()) {
    auto t = tags.find(tag);
    return t == tags.end() ? tag : t->second;
  }
  static const char* ranks[] = {"upward rank", "upward rank over domains", "optimistic rank",
                                "upward plus downward rank", "PEFT rank"};
  std::string order = std::string(", nodes by ") + ranks[static_cast<int>(rank)];
  if (noise > 0) order += " perturbed by up to " + std::to_string(static_cast<int>(noise * 50)) + " % (try " +
                          std::to_string(seed) + ")";
  if (allowed) order += ", on a subset of the domains";
  if (budget >= 0)
    return "each node on the earliest-finishing domain it can afford from a spend of at most " + num_text(budget) +
           (budget_worth ? " (time and cost ranked together)" : budget_share ? " (spare split by cost range)"
                                                                             : " (spare spent greedily)") +
           order;
  if (deadline >= 0)
    return "each node on the cheapest domain finishing within its share of a " + num_text(deadline) +
           " ms target makespan" + order;
  if (heft)
    return std::string(lookahead ? "earliest finish looking one step ahead (HEFT lookahead)"
                       : peft    ? "earliest finish plus the remaining optimistic path (PEFT)"
                                 : "earliest finish time (HEFT)") +
           order;
  std::string s = "per node, time and cost weighed";
  if (alpha >= 0) {
    char buf[48];
    std::snprintf(buf, sizeof buf, " %.2f : %.2f", 1 - alpha, alpha);
    s += buf;
  }
  if (we > 0) s += " with packing";
  return s + (slack ? " against the projected makespan" : "") + order;
}

namespace {

/// Sums of costs and times must stay finite: every cost and time over the
/// able domains, and their worst-case totals, below 1e300.
std::optional<model::error> check_magnitudes(problem& pb) {
  constexpr double limit = 1e300;
  const std::size_t V = pb.V, D = pb.D;
  pb.min_cost.assign(V, 0.0);
  pb.max_cost.assign(V, 0.0);
  double cost_sum = 0, time_sum = 0;
  for (std::size_t v = 0; v < V; ++v) {
    double lo = std::numeric_limits<double>::infinity(), hi = 0, tmax = 0;
    for (std::size_t d = 0; d < D; ++d) {
      const std::size_t i = v * D + d;
      if (!pb.ok[i]) continue;
      lo = std::min(lo, pb.cost[i]);
      hi = std::max(hi, pb.cost[i]);
      tmax = std::max(tmax, pb.exec[i]);
    }
    if (pb.fixed[v]) lo = hi = 0, tmax = pb.fixed[v]->finish_ms;
    const auto& n = pb.def->nodes[v];
    if (!(hi < limit) || !(cost_sum + hi < limit))
      return model::error{"", "/nodes/" + std::to_string(v) + "/complexity",
                          "node '" + n.node_id + "' costs " + num_text(hi) +
                              " on some domain: the workflow's cost would exceed 1e300, "
                              "which the planner cannot add up"};
    if (!(time_sum + tmax < limit))
      return model::error{"", "/nodes/" + std::to_string(v) + "/resources/cpu_time_ms",
                          "node '" + n.node_id +
                              "' makes the workflow's total time exceed 1e300 ms, which the "
                              "planner cannot add up"};
    pb.min_cost[v] = std::isfinite(lo) ? lo : 0;
    pb.max_cost[v] = hi;
    cost_sum += hi;
    time_sum += tmax;
  }
  return std::nullopt;
}

}  // namespace

model::expected<problem> build_problem(const model::dataflow_definition& def,
                                       const model::platform& plat,
                                       const model::initiation_hint& hint,
                                       const planner_context& ctx) {
  problem pb;
  pb.def = &def;
  pb.plat = &plat;
  const std::size_t V = def.nodes.size(), D = plat.domains.size();
  pb.V = V;
  pb.D = D;
  if (D == 0) return model::error{"", "/domains", "platform has no domains"};
  if (!ctx.unavailable.empty() && ctx.unavailable.size() != D)
    return model::error{"", "", "planner context: unavailable has " +
                                    std::to_string(ctx.unavailable.size()) +
                                    " entries, platform has " + std::to_string(D) + " domains"};
  if (!ctx.fixed.empty() && ctx.fixed.size() != V)
    return model::error{"", "", "planner context: fixed has " + std::to_string(ctx.fixed.size()) +
                                    " entries, workflow has " + std::to_string(V) + " nodes"};
  pb.now = ctx.now_ms;
  pb.fixed = ctx.fixed;
  pb.fixed.resize(V);

  for (const auto& d : plat.domains) pb.kind.push_back(static_cast<int>(d.kind));
  for (int a = 0; a < 3; ++a)
    for (int b = 0; b < 3; ++b)
      pb.mult[a][b] = plat.network.multiplier(static_cast<model::domain_kind>(a),
                                              static_cast<model::domain_kind>(b));

  // Per node x domain: static model (or calibrated override), cost, filter.
  pb.exec.resize(V * D);
  pb.cost.resize(V * D);
  pb.ok.assign(V * D, 0);
  pb.why.resize(V * D);
  const bool has_override = static_cast<bool>(ctx.exec_time_ms);
  for (std::size_t v = 0; v < V; ++v) {
    const auto& n = def.nodes[v];
    bool any = false;
    for (std::size_t d = 0; d < D; ++d) {
      const auto& dom = plat.domains[d];
      std::size_t i = v * D + d;
      double e = exec_ms(n, dom);
      if (has_override)
        if (auto o = ctx.exec_time_ms(v, d)) e = *o;
      pb.exec[i] = e;
      pb.cost[i] = node_cost(n, dom);
      std::string why = placement_violation(n, dom, def);
      if (why.empty() && !ctx.unavailable.empty() && ctx.unavailable[d])
        why = "domain marked unavailable (failed or too slow)";
      if (why.empty() && !(e >= 0 && e < 1e300)) why = "execution time is not finite";
      pb.ok[i] = why.empty();
      any = any || why.empty();
      pb.why[i] = std::move(why);
    }
    if (!any && !pb.fixed[v]) {
      std::string reasons;
      for (std::size_t d = 0; d < D; ++d)
        reasons += (d ? "; " : "") + plat.domains[d].name + ": " + pb.why[v * D + d];
      return model::error{"", "/nodes/" + std::to_string(v),
                          "node '" + n.node_id + "' cannot run on any domain (" + reasons + ")"};
    }
  }

  // Index adjacency (CSR) and transfer bases.
  std::unordered_map<std::string, std::uint32_t> index;
  index.reserve(V * 2);
  for (std::size_t v = 0; v < V; ++v) index.emplace(def.nodes[v].node_id, static_cast<std::uint32_t>(v));
  const std::size_t E = def.edges.size();
  std::vector<std::uint32_t> es(E), et(E);
  std::vector<std::uint32_t> indeg(V, 0), outdeg(V, 0);
  for (std::size_t e = 0; e < E; ++e) {
    auto s = index.find(def.edges[e].source_node), t = index.find(def.edges[e].target_node);
    if (s == index.end() || t == index.end())
      return model::error{"", "/edges/" + std::to_string(e),
                          "edge names unknown node '" +
                              (s == index.end() ? def.edges[e].source_node
                                                : def.edges[e].target_node) + "'"};
    es[e] = s->second;
    et[e] = t->second;
    ++indeg[et[e]];
    ++outdeg[es[e]];
  }
  pb.pred_off.assign(V + 1, 0);
  pb.succ_off.assign(V + 1, 0);
  for (std::size_t v = 0; v < V; ++v) {
    pb.pred_off[v + 1] = pb.pred_off[v] + indeg[v];
    pb.succ_off[v + 1] = pb.succ_off[v] + outdeg[v];
  }
  pb.pred_node.resize(E);
  pb.pred_base.resize(E);
  pb.pred_bytes.resize(E);
  pb.succ_node.resize(E);
  pb.succ_base.resize(E);
  {
    std::vector<std::uint32_t> pi(pb.pred_off.begin(), pb.pred_off.end() - 1),
        si(pb.succ_off.begin(), pb.succ_off.end() - 1);
    const auto& net = plat.network;
    for (std::size_t e = 0; e < E; ++e) {
      // Same expression as network_spec::transfer_ms before the multiplier.
      double base = net.latency_ms + 1000.0 * static_cast<double>(def.edges[e].bytes) /
                                         net.bandwidth_bytes_per_s;
      std::uint32_t p = pi[et[e]]++, q = si[es[e]]++;
      pb.pred_node[p] = es[e];
      pb.pred_base[p] = base;
      pb.pred_bytes[p] = def.edges[e].bytes;
      pb.succ_node[q] = et[e];
      pb.succ_base[q] = base;
    }
  }
  // Topological depth (Kahn); a leftover node means a cycle.
  pb.depth.assign(V, 0);
  {
    std::vector<std::uint32_t> left(indeg), queue;
    queue.reserve(V);
    for (std::size_t v = 0; v < V; ++v)
      if (!left[v]) queue.push_back(static_cast<std::uint32_t>(v));
    for (std::size_t h = 0; h < queue.size(); ++h) {
      std::uint32_t v = queue[h];
      for (std::uint32_t k = pb.succ_off[v]; k < pb.succ_off[v + 1]; ++k) {
        std::uint32_t s = pb.succ_node[k];
        pb.depth[s] = std::max(pb.depth[s], pb.depth[v] + 1);
        if (--left[s] == 0) queue.push_back(s);
      }
    }
    if (queue.size() != V) {
      for (std::size_t v = 0; v < V; ++v)
        if (left[v])
          return model::error{"", "/edges", "the workflow has a cycle through node '" +
                                                def.nodes[v].node_id + "'"};
    }
  }

  pb.topo.resize(V);
  for (std::uint32_t v = 0; v < V; ++v) pb.topo[v] = v;
  std::sort(pb.topo.begin(), pb.topo.end(), [&](std::uint32_t a, std::uint32_t b) {
    return pb.depth[a] != pb.depth[b] ? pb.depth[a] < pb.depth[b] : a < b;
  });
  pb.log_cost.resize(V * D);
  for (std::size_t i = 0; i < V * D; ++i) pb.log_cost[i] = std::log(pb.cost[i] + 1e-9);
  if (auto bad = check_magnitudes(pb)) return *bad;

  // Soft preference: rank of the first entry naming the domain or its kind.
  pb.pref.assign(D, static_cast<int>(hint.domain_preference_order.size()));
  for (std::size_t d = 0; d < D; ++d)
    for (std::size_t k = 0; k < hint.domain_preference_order.size(); ++k) {
      const auto& p = hint.domain_preference_order[k];
      if (p == plat.domains[d].name || p == model::to_string(plat.domains[d].kind)) {
        pb.pref[d] = static_cast<int>(k);
        break;
      }
    }
  pb.has_pref = !hint.domain_preference_order.empty();

  // Fixed nodes must name real domains and finish after they start.
  for (std::size_t v = 0; v < V; ++v)
    if (const auto& f = pb.fixed[v]) {
      if (f->domain >= D || f->finish_ms < f->start_ms)
        return model::error{"", "/nodes/" + std::to_string(v),
                            "fixed assignment of node '" + def.nodes[v].node_id + "' is invalid"};
    }

  // Hard limits that do not depend on placement are checked once here.
  const auto& lim = hint.resource_constraints;
  std::uint64_t storage = 0, net = 0;
  for (const auto& n : def.nodes) {
    storage += n.resources.storage_bytes;
    net += n.resources.network_bytes;
    if (lim.memory_bytes && n.resources.memory_bytes > *lim.memory_bytes)
      return model::error{"", "/resource_constraints/memory_bytes",
                          "memory limit " + std::to_string(*lim.memory_bytes) +
                              " bytes is below node '" + n.node_id + "' alone (" +
                              std::to_string(n.resources.memory_bytes) + " bytes, over by " +
                              std::to_string(n.resources.memory_bytes - *lim.memory_bytes) + ")"};
  }
  if (lim.storage_bytes && storage > *lim.storage_bytes)
    return model::error{"", "/resource_constraints/storage_bytes",
                        "storage limit " + std::to_string(*lim.storage_bytes) +
                            " bytes cannot be met: the nodes need " + std::to_string(storage) +
                            " (over by " + std::to_string(storage - *lim.storage_bytes) + ")"};
  pb.node_net_bytes = net;
  if (lim.network_bytes) {
    if (net > *lim.network_bytes)
      return model::error{"", "/resource_constraints/network_bytes",
                          "network limit " + std::to_string(*lim.network_bytes) +
                              " bytes cannot be met: the nodes alone send " + std::to_string(net) +
                              " (over by " + std::to_string(net - *lim.network_bytes) + ")"};
    pb.net_budget = *lim.network_bytes - net;
  }
  pb.mem_limit = lim.memory_bytes;
  return pb;
}

}  // namespace causality::strategies::detail
