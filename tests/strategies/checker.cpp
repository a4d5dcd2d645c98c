#include "checker.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace causality::test {
namespace {
bool close(double a, double b) { return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b)); }
}  // namespace

double formats_cost(const model::dataflow_node& n, const model::domain_spec& d) {
  double units = std::max(1.0, std::ceil(static_cast<double>(n.resources.cpu_time_ms) / 1000.0));
  double c = (static_cast<double>(d.cost.base_cost) +
              static_cast<double>(d.cost.resource_cost_per_unit) * units) *
             n.complexity * d.cost.domain_cost_factor;
  if (d.kind == model::domain_kind::verifiable) c += d.cost.proof_cost_per_unit * units;
  if (d.kind == model::domain_kind::service)
    c += d.cost.cost_per_external_call * static_cast<double>(n.external_calls);
  return c;
}

std::vector<std::string> check_plan(const model::dataflow_definition& def,
                                    const model::platform& plat,
                                    const model::initiation_hint& hint,
                                    const strategies::plan& p, const check_options& opt) {
  std::vector<std::string> bad;
  const std::size_t V = def.nodes.size();
  if (p.assignments.size() != V) {
    bad.push_back("plan has " + std::to_string(p.assignments.size()) + " assignments for " +
                  std::to_string(V) + " nodes");
    return bad;
  }
  std::map<std::string, std::size_t> idx;
  for (std::size_t v = 0; v < V; ++v) idx[def.nodes[v].node_id] = v;
  double makespan = 0, cost = 0, cpu = 0;
  for (std::size_t v = 0; v < V; ++v) {
    const auto& a = p.assignments[v];
    const auto& n = def.nodes[v];
    if (a.node != v) bad.push_back("assignment " + std::to_string(v) + " names another node");
    if (a.domain >= plat.domains.size()) {
      bad.push_back(n.node_id + ": unknown domain");
      continue;
    }
    const auto& d = plat.domains[a.domain];
    const bool fixed = v < opt.fixed.size() && opt.fixed[v];
    if (fixed) {
      const auto& f = *opt.fixed[v];
      if (f.domain != a.domain || f.start_ms != a.start_ms || f.finish_ms != a.finish_ms)
        bad.push_back(n.node_id + ": fixed assignment moved");
    } else {
      double e = static_cast<double>(n.resources.cpu_time_ms) / d.speed;
      if (opt.exec_time_ms)
        if (auto o = opt.exec_time_ms(v, a.domain)) e = *o;
      if (!close(a.finish_ms - a.start_ms, e))
        bad.push_back(n.node_id + ": runs " + std::to_string(a.finish_ms - a.start_ms) +
                      " ms, model says " + std::to_string(e));
      if (a.start_ms < opt.now_ms - 1e-9) bad.push_back(n.node_id + ": starts before now");
      if (!d.available) bad.push_back(n.node_id + ": on unavailable domain " + d.name);
      if (a.domain < opt.unavailable.size() && opt.unavailable[a.domain])
        bad.push_back(n.node_id + ": on domain marked unavailable " + d.name);
      if (n.resources.memory_bytes > d.memory_bytes) bad.push_back(n.node_id + ": memory per slot");
      if (n.security_level > d.security_level) bad.push_back(n.node_id + ": security level");
      for (const auto& c : n.capabilities)
        if (std::find(d.capabilities.begin(), d.capabilities.end(), c) == d.capabilities.end())
          bad.push_back(n.node_id + ": missing capability " + c);
      if (n.domain && *n.domain != d.name) bad.push_back(n.node_id + ": pinned elsewhere");
      if (n.required_kind && *n.required_kind != d.kind) bad.push_back(n.node_id + ": kind");
    }
    if (!close(a.cost, formats_cost(n, d))) bad.push_back(n.node_id + ": cost differs from model");
    makespan = std::max(makespan, a.finish_ms);
    cost += formats_cost(n, d);
    cpu += a.finish_ms - a.start_ms;
  }
  // Edges: the target starts no earlier than source finish + transfer.
  std::uint64_t cross = 0;
  for (const auto& e : def.edges) {
    const auto& s = p.assignments[idx.at(e.source_node)];
    const auto& t = p.assignments[idx.at(e.target_node)];
    double need = s.finish_ms;
    if (s.domain != t.domain) {
      need += plat.network.transfer_ms(e.bytes, plat.domains[s.domain].kind,
                                       plat.domains[t.domain].kind);
      cross += e.bytes;
    }
    if (t.start_ms < need - 1e-6 * std::max(1.0, need))
      bad.push_back("edge " + e.source_node + "->" + e.target_node + ": target starts at " +
                    std::to_string(t.start_ms) + ", data arrives at " + std::to_string(need));
  }
  // Slots: at no time more nodes running on a domain than it has slots.
  for (std::size_t d = 0; d < plat.domains.size(); ++d) {
    std::vector<std::pair<double, int>> ev;
    for (const auto& a : p.assignments)
      if (a.domain == d && a.finish_ms > a.start_ms) {
        ev.emplace_back(a.start_ms, +1);
        ev.emplace_back(a.finish_ms, -1);
      }
    std::sort(ev.begin(), ev.end());
    int cur = 0;
    for (const auto& x : ev)
      if ((cur += x.second) > static_cast<int>(plat.domains[d].slots)) {
        bad.push_back("domain " + plat.domains[d].name + " runs " + std::to_string(cur) +
                      " nodes at " + std::to_string(x.first));
        break;
      }
  }
  // Hard limits of the hint.
  const auto& lim = hint.resource_constraints;
  if (lim.memory_bytes) {
    std::vector<std::pair<double, long double>> ev;
    for (std::size_t v = 0; v < V; ++v) {
      const auto& a = p.assignments[v];
      if (a.finish_ms <= a.start_ms) continue;
      ev.emplace_back(a.start_ms, static_cast<long double>(def.nodes[v].resources.memory_bytes));
      ev.emplace_back(a.finish_ms, -static_cast<long double>(def.nodes[v].resources.memory_bytes));
    }
    std::sort(ev.begin(), ev.end());
    long double cur = 0;
    for (const auto& x : ev)
      if ((cur += x.second) > static_cast<long double>(*lim.memory_bytes)) {
        bad.push_back("peak memory over the limit at " + std::to_string(x.first));
        break;
      }
  }
  if (lim.network_bytes) {
    std::uint64_t net = cross;
    for (const auto& n : def.nodes) net += n.resources.network_bytes;
    if (net > *lim.network_bytes) bad.push_back("network bytes over the limit");
  }
  if (lim.cpu_time_ms && cpu > static_cast<double>(*lim.cpu_time_ms) + 1e-6)
    bad.push_back("cpu time over the limit");
  if (lim.completion_time_ms && makespan > *lim.completion_time_ms + 1e-6)
    bad.push_back("completion time over the limit");
  if (hint.max_latency_ms && makespan > static_cast<double>(*hint.max_latency_ms) + 1e-6)
    bad.push_back("makespan over max_latency_ms");
  if (hint.cost_budget && cost > static_cast<double>(*hint.cost_budget) + 1e-6)
    bad.push_back("cost over cost_budget");
  if (!close(p.makespan_ms, makespan)) bad.push_back("makespan_ms is not the latest finish");
  if (!close(p.total_cost, cost)) bad.push_back("total_cost is not the sum of node costs");
  return bad;
}

}  // namespace causality::test
