#include "causality/strategies/balance_choice.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "causality/strategies/cost.hpp"
#include "causality/strategies/tradeoff.hpp"

namespace causality::strategies {

std::string balance_reason::text(const model::platform& p, const std::string& policy) const {
  auto name = planned < p.domains.size() ? "'" + p.domains[planned].name + "'" : std::string("?");
  switch (kind) {
    case only_choice: return "the only available domain";
    case kept_plan: return "the planned domain " + name + ", kept by " + policy;
    case moved: return "moved off the planned domain " + name + " by " + policy;
  }
  return {};
}

balance_choice choose_domain(const balancer_policy& policy, const model::dataflow_node& node,
                             const model::platform& platform, std::size_t planned, double latency_weight,
                             double cost_weight, const std::vector<domain_occupancy>& eligible,
                             std::vector<domain_load>& scratch) {
  balance_choice out;
  out.reason.planned = planned;
  if (eligible.size() == 1) {
    out.domain = eligible.front().domain;
    return out;
  }
  double planned_cost = 0.0;
  if (planned < platform.domains.size()) planned_cost = node_cost(node, platform.domains[planned]);
  scratch.clear();
  for (auto& e : eligible) {
    scratch.push_back(domain_load{e.domain, e.slots, e.running, e.queued, platform.domains[e.domain].speed,
                                  e.domain == planned, e.forecast_arrivals});
    auto& dl = scratch.back();
    dl.latency_weight = latency_weight;
    dl.cost_weight = cost_weight;
    if (planned_cost > 0) dl.relative_cost = node_cost(node, platform.domains[e.domain]) / planned_cost;
  }
  if (std::none_of(scratch.begin(), scratch.end(), [](const domain_load& d) { return d.planned; })) {
    // The planned domain is not a candidate (lost, or no plan): its stand-in
    // is the candidate best by capacity and cost under the run's weights,
    // never a fixed position.
    tradeoff_weights w;
    w.latency = latency_weight;
    w.cost = cost_weight;
    w.stretch = std::numeric_limits<double>::infinity();  // a plan-level bound, lifted per node
    std::vector<tradeoff_point> pts;
    pts.reserve(scratch.size());
    for (auto& d : scratch)
      pts.push_back({predicted_completion(d, 0.0), d.relative_cost > 0 ? d.relative_cost : 1.0, 0.0});
    const std::size_t k = choose_tradeoff_index(w, pts.data(), pts.size());
    domain_load* stand_in = k < scratch.size() ? &scratch[k] : nullptr;
    if (stand_in) stand_in->planned = true;
  }
  auto pick = policy.choose(scratch);
  out.domain = scratch[std::min(pick, scratch.size() - 1)].domain;
  out.reason.kind = out.domain == planned ? balance_reason::kept_plan : balance_reason::moved;
  return out;
}

}  // namespace causality::strategies
