// make_plan / explain_plan (docs/planner.md): candidates, the choice by the
// strategy's bounded objective (or by the limit's objective), local search,
// and the plan the caller gets.
#include <algorithm>
#include <cmath>
#include <limits>

#include <nlohmann/json.hpp>

#include "causality/strategies/planner.hpp"
#include "objective.hpp"
#include "search.hpp"
#include "linear_plan.hpp"
#include "causality/strategies/tradeoff.hpp"

namespace causality::strategies {
namespace {

using detail::evaluated;

/// Fills the public plan from an evaluated candidate.
plan to_plan(const detail::problem& pb, const evaluated& e, const std::string& strategy) {
  const auto& def = *pb.def;
  plan p;
  p.workflow = def.name.empty() ? def.definition_id : def.name;
  p.platform = pb.plat->name;
  p.strategy = strategy;
  p.makespan_ms = e.r.makespan;
  p.total_cost = e.r.cost;
  p.assignments = e.r.a;
  p.method = e.label();
  p.utilisation = e.r.util;
  p.idle_slot_ms = std::max(0.0, e.r.reserved - e.r.busy);
  p.domains_used = e.r.domains_used;
  p.totals.cpu_time_ms = e.cpu;
  p.totals.memory_bytes = detail::peak_memory(def, e.r.a);
  p.totals.storage_bytes = 0;
  for (const auto& n : def.nodes) p.totals.storage_bytes += n.resources.storage_bytes;
  p.totals.network_bytes = e.network;
  p.totals.estimated_completion_time_ms = e.r.makespan;
  return p;
}

/// Strategy- and limit-independent local search (small problems; hard
/// limits kept, cost_budget / max_latency_ms not looked at): from the fastest
/// candidate, lower the makespan (ties: cost), then lower the cost without
/// lengthening it; from the cheapest, lower the makespan without raising
/// the cost. Every strategy then chooses from the same pool.
void shared_search(detail::pool& P) {
  const std::size_t n = detail::search_budget(P.pb(), 3e5);
  if (n == 0) return;
  const evaluated *fast = nullptr, *cheap = nullptr;
  for (const auto& e : P.all()) {
    if (!P.meets_hard(e)) continue;
    if (!fast || e.r.makespan < fast->r.makespan ||
        (e.r.makespan == fast->r.makespan && e.r.cost < fast->r.cost))
      fast = &e;
    if (!cheap || e.r.cost < cheap->r.cost ||
        (e.r.cost == cheap->r.cost && e.r.makespan < cheap->r.makespan))
      cheap = &e;
  }
  if (!fast) return;
  const evaluated* c = cheap;
  auto faster = [&](const evaluated& a, const evaluated& b) {
    return P.meets_hard(a) && (a.r.makespan < b.r.makespan * (1 - 1e-12) ||
                          (a.r.makespan <= b.r.makespan * (1 + 1e-12) && a.r.cost < b.r.cost - 1e-9));
  };
  auto cheaper = [&](const evaluated& a, const evaluated& b) {
    return P.meets_hard(a) && a.r.makespan <= b.r.makespan * (1 + 1e-12) && a.r.cost < b.r.cost - 1e-9;
  };
  auto faster_same_cost = [&](const evaluated& a, const evaluated& b) {
    return P.meets_hard(a) && a.r.cost <= b.r.cost + 1e-9 && a.r.makespan < b.r.makespan * (1 - 1e-12);
  };
  const evaluated& f1 = P.keep(detail::local_search(P, *fast, faster, n / 2, false));
  P.keep(detail::local_search(P, f1, cheaper, n / 4, true));
  P.keep(detail::local_search(P, *c, faster_same_cost, n / 4, false));
}

/// Largest workflow whose plan draws on the whole (makespan, cost) front;
/// larger ones get the base candidates and the shared search (--pareto,
/// budgets and deadlines still build their own candidates).
constexpr std::size_t front_max_nodes = 2000;

/// Candidates for the hint: base, front (small problems), the limits'.
model::expected<std::unique_ptr<detail::pool>> fill_pool(const detail::problem& pb,
                                                         const model::initiation_hint& hint) {
  auto pl = std::make_unique<detail::pool>(pb, detail::limits_of(hint));
  auto& P = *pl;
  detail::base_candidates(P, hint.prefer_parallel_execution, false);
  // The front's ~250 passes only for workflows small enough that they stay
  // cheap per node (a 5000-node DAG on 3 domains spent ~200 us/node here).
  if (pb.work() <= detail::insertion_limit && pb.V <= front_max_nodes) detail::front_candidates(P);
  else P.add_assignment(detail::cheapest_assignment(pb), "cheapest");
  shared_search(P);  // before the limits' candidates: the unlimited pool is a prefix
  if (P.lim().cost_budget) detail::budget_candidates(P, *P.lim().cost_budget);
  if (P.lim().max_latency) detail::deadline_candidates(P, *P.lim().max_latency);
  auto meets = [&](const evaluated& e) { return P.meets(e); };
  if (!std::any_of(P.all().begin(), P.all().end(), meets)) {
    detail::base_candidates(P, hint.prefer_parallel_execution, true);
    if (!std::any_of(P.all().begin(), P.all().end(), meets)) {
      if (auto err = detail::refusal(P, hint)) return *err;
    }
  }
  return pl;
}

/// Plans and, when asked, records the winner's reasoning.
model::expected<explained_plan> plan_impl(const model::dataflow_definition& def,
                                          const model::platform& plat,
                                          const model::initiation_hint& hint,
                                          const strategy_registry& strategies,
                                          const planner_context& ctx, bool want_explain) {
  auto strat = resolve_strategy(hint, strategies, ctx);
  if (!strat) return strat.err();
  auto pbx = detail::build_problem(def, plat, hint, ctx);
  if (!pbx) return pbx.err();
  const detail::problem& pb = *pbx;
  auto plx = fill_pool(pb, hint);
  if (!plx) return plx.err();
  detail::pool& P = **plx;
  const tradeoff_weights w = effective_weights(*strat, hint.priority, hint.makespan_stretch.value_or(ctx.makespan_stretch));
  detail::chooser ch(P, w, hint.prefer_parallel_execution);

  const evaluated* win = ch.best();
  // Local search on the limit's objective (the strategies share the pool's).
  const std::size_t budget =
      ch.mode() == detail::choice::strategy ? 0 : detail::search_budget(pb, 1e6);
  if (budget > 0) {
    auto e = detail::local_search(
        P, *win, [&](const evaluated& a, const evaluated& b) { return ch.better(a, b); }, budget,
        ch.mode() == detail::choice::cheapest);
    if (!e.moves.empty() && e.moves != win->moves) win = &P.keep(std::move(e));
  }
  win = ch.preferred(win);

  explained_plan out;
  out.chosen = to_plan(pb, *win, strat->name);
  out.chosen.method = ch.reason(*win);
  out.schedule = win->label();
  out.latency_weight = w.latency;
  out.cost_weight = w.cost;
  out.efficiency_weight = w.efficiency ? 1 : 0;
  out.max_stretch = w.stretch;
  out.objective = "the trade-off of docs/planner.md chose " + out.chosen.method +
                  "; weights (time share, cost share, least idle)";
  out.candidates_tried = P.size();
  if (want_explain) {
    out.nodes.resize(pb.V);
    detail::pass_params ep = win->params;
    if (ep.heft || ep.budget >= 0 || ep.deadline >= 0 || ep.assign) {
      ep.wl = w.latency;  // rules without weights: show the strategy's direction
      ep.wc = w.cost;
      ep.we = w.efficiency ? 0.5 : 0.0;
    }
    out.node_latency_weight = ep.wl;
    out.node_cost_weight = ep.wc;
    out.node_efficiency_weight = ep.we;
    detail::run_pass(pb, ep, &out.nodes);
    for (std::size_t v = 0; v < pb.V; ++v)
      if (pb.fixed[v]) {
        auto& ex = out.nodes[v];
        ex.node = v;
        ex.winner = pb.fixed[v]->domain;
        ex.rule = "fixed: already placed (running or done)";
      }
  }
  return out;
}

}  // namespace

model::expected<plan> make_plan(const model::dataflow_definition& def,
                                const model::platform& plat,
                                const model::initiation_hint& hint,
                                const strategy_registry& strategies,
                                const planner_context& ctx) {
  if (detail::linear_tier_applies(def, plat, hint, ctx)) {  // large: one linear pass (linear_plan.cpp)
    auto strat = resolve_strategy(hint, strategies, ctx);
    if (!strat) return strat.err();
    auto p = detail::linear_plan(def, plat, effective_weights(*strat, hint.priority, hint.makespan_stretch.value_or(ctx.makespan_stretch)));
    if (p) p->strategy = strat->name;
    return p;
  }
  auto r = plan_impl(def, plat, hint, strategies, ctx, false);
  if (!r) return r.err();
  return std::move(r->chosen);
}

model::expected<explained_plan> explain_plan(const model::dataflow_definition& def,
                                             const model::platform& plat,
                                             const model::initiation_hint& hint,
                                             const strategy_registry& strategies,
                                             const planner_context& ctx) {
  return plan_impl(def, plat, hint, strategies, ctx, true);
}

model::expected<std::vector<plan>> pareto_front(const model::dataflow_definition& def,
                                                const model::platform& plat,
                                                const model::initiation_hint& hint,
                                                const planner_context& ctx) {
  auto pbx = detail::build_problem(def, plat, hint, ctx);
  if (!pbx) return pbx.err();
  auto plx = fill_pool(*pbx, hint);
  if (!plx) return plx.err();
  detail::pool& P = **plx;
  if (pbx->work() > detail::insertion_limit) detail::front_candidates(P);
  std::vector<plan> out;
  for (const evaluated* e : detail::pareto(P, [&](const evaluated& x) { return P.meets(x); }))
    out.push_back(to_plan(*pbx, *e, "front"));
  return out;
}

std::vector<sweep_point> sweep_tradeoff(const model::dataflow_definition& def,
                                        const model::platform& plat,
                                        const model::initiation_hint& hint,
                                        const planner_context& ctx, std::size_t steps) {
  std::vector<sweep_point> out;
  if (steps < 2) steps = 2;
  auto front = pareto_front(def, plat, hint, ctx);
  for (std::size_t i = 0; i < steps; ++i) {
    const double a = static_cast<double>(i) / static_cast<double>(steps - 1);
    sweep_point sp;
    sp.cost_share = a;
    if (!front || front->empty()) {
      sp.error = front ? "no plan" : front.err().message();
      out.push_back(sp);
      continue;
    }
    const auto w = effective_weights({"sweep", "", 0.0, 1.0 - a, a}, hint.priority,
                                     hint.makespan_stretch.value_or(ctx.makespan_stretch));
    std::vector<tradeoff_point> pts;
    for (const auto& p : *front) pts.push_back({p.makespan_ms, p.total_cost, 0});
    const plan* best = &(*front)[choose_tradeoff(w, pts, "plan", false).index];
    sp.makespan_ms = best->makespan_ms;
    sp.total_cost = best->total_cost;
    out.push_back(sp);
  }
  return out;
}

nlohmann::json plan_metrics_json(const plan& p) {
  return {{"utilisation", p.utilisation},
          {"idle_slot_hours", p.idle_slot_ms / 3.6e6},
          {"domains_used", p.domains_used}};
}

nlohmann::json plan_to_json(const plan& p, const model::dataflow_definition& def,
                            const model::platform& plat) {
  nlohmann::json j;
  j["workflow"] = p.workflow;
  j["platform"] = p.platform;
  j["strategy"] = p.strategy;
  j["makespan_ms"] = p.makespan_ms;
  j["total_cost"] = p.total_cost;
  auto arr = nlohmann::json::array();
  for (const auto& a : p.assignments)
    arr.push_back({{"node", def.nodes.at(a.node).node_id},
                   {"domain", plat.domains.at(a.domain).name},
                   {"start_ms", a.start_ms},
                   {"finish_ms", a.finish_ms}});
  j["assignments"] = std::move(arr);
  return j;
}

}  // namespace causality::strategies
