#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

#include <nlohmann/json.hpp>

#include "causality/strategies/planner.hpp"
#include "linear_plan.hpp"
#include "schedule.hpp"

namespace causality::strategies {
namespace {

using detail::pass_params;
using detail::rank_kind;

/// Effective weights: each weight is squared so the dominant objective of
/// a strategy dominates (latency 0.9 vs cost 0.2 trades 1 % of makespan
/// only for ~33 % of cost); the priority weight is split by the workflow's
/// priority (0..100): that share joins the latency weight, the rest weighs
/// resource efficiency (docs/planner.md).
struct weights {
  double wl = 1, wc = 0, we = 0;
};
weights effective(const model::optimization_strategy& s, std::uint32_t priority) {
  const double pi = std::min(1.0, static_cast<double>(priority) / 100.0);
  auto sq = [](double x) { return x * x; };
  return {sq(s.latency_weight + pi * s.priority_weight), sq(s.cost_weight),
          sq((1 - pi) * s.priority_weight)};
}

/// Candidate schedules to try. They do not depend on the strategy (the
/// strategy's weights choose among them), so a strategy weighing cost more
/// never ends up dearer. Fewer for big problems so planning stays fast.
std::vector<pass_params> candidates(const detail::problem& pb, bool parallel, bool extended) {
  std::vector<pass_params> out;
  auto heft = [&](rank_kind r) {
    pass_params p;
    p.heft = true;
    p.rank = r;
    out.push_back(p);
  };
  auto weighted = [&](double a, double we, bool slack, rank_kind r) {
    pass_params p;
    p.wl = (1 - a) * (1 - we);
    p.wc = a * (1 - we);
    p.we = we;
    p.slack = slack;
    p.rank = r;
    p.parallel = parallel;
    p.alpha = a;
    out.push_back(p);
  };
  const double work = static_cast<double>(pb.V) * static_cast<double>(pb.D);
  heft(rank_kind::slot_mean);
  if (extended) {
    for (int i = 0; i <= 20; ++i) {
      weighted(i / 20.0, 0, false, rank_kind::slot_mean);
      weighted(i / 20.0, 0, true, rank_kind::slot_mean);
      weighted(i / 20.0, 0, false, rank_kind::optimistic);
    }
    return out;
  }
  if (work <= detail::insertion_limit) {
    for (rank_kind r : {rank_kind::domain_mean, rank_kind::optimistic, rank_kind::up_down})
      heft(r);
    for (double a : {0.0, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 1.0}) {
      weighted(a, 0, false, rank_kind::slot_mean);
      weighted(a, 0, true, rank_kind::slot_mean);
    }
    for (double a : {0.0, 0.5, 1.0}) weighted(a, 0.3, false, rank_kind::slot_mean);
    for (rank_kind r : {rank_kind::optimistic, rank_kind::up_down}) weighted(0, 0, false, r);
    // Deterministic multi-start: HEFT with perturbed priorities.
    for (rank_kind r : {rank_kind::slot_mean, rank_kind::up_down}) {
      heft(r);
      out.back().lookahead = true;
    }
    const std::uint32_t starts = work <= 5000 ? 36 : 8;
    for (std::uint32_t k = 0; k < starts; ++k) {
      heft(k % 2 ? rank_kind::up_down : rank_kind::slot_mean);
      out.back().noise = k < 12 ? 0.1 : k < 24 ? 0.2 : 0.4;
      out.back().seed = k;
    }
  } else if (work <= 2e6) {
    weighted(0.5, 0, true, rank_kind::slot_mean);
    weighted(1, 0, false, rank_kind::slot_mean);
  } else {
    weighted(0.5, 0, true, rank_kind::slot_mean);
    weighted(1, 0, false, rank_kind::slot_mean);
  }
  return out;
}

struct evaluated {
  pass_params params;
  detail::pass_result r;
  double cpu = 0;
  std::uint64_t network = 0;
};

std::string num(double x) {
  std::ostringstream o;
  o.precision(x >= 1e6 ? 10 : 6);
  o << x;
  return o.str();
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
  const weights w = effective(*strat, hint.priority);
  const auto& lim = hint.resource_constraints;

  std::vector<evaluated> done;
  auto run_all = [&](const std::vector<pass_params>& ps) {
    for (const auto& p : ps) {
      evaluated e{p, detail::run_pass(pb, p), 0, 0};
      for (const auto& a : e.r.a) e.cpu += a.finish_ms - a.start_ms;
      e.network = pb.node_net_bytes + e.r.cross_bytes;
      done.push_back(std::move(e));
    }
  };
  auto meets = [&](const evaluated& e) {
    if (!e.r.error.empty()) return false;
    const double tol = 1e-9;
    if (hint.cost_budget && e.r.cost > static_cast<double>(*hint.cost_budget) + tol) return false;
    if (hint.max_latency_ms && e.r.makespan > static_cast<double>(*hint.max_latency_ms) + tol)
      return false;
    if (lim.completion_time_ms && e.r.makespan > *lim.completion_time_ms + tol) return false;
    if (lim.cpu_time_ms && e.cpu > static_cast<double>(*lim.cpu_time_ms) + tol) return false;
    if (lim.network_bytes && e.network > *lim.network_bytes) return false;
    if (lim.memory_bytes && e.r.peak_mem > *lim.memory_bytes) return false;
    return true;
  };
  run_all(candidates(pb, hint.prefer_parallel_execution, false));
  bool any_ok = std::any_of(done.begin(), done.end(), meets);
  if (!any_ok) {
    run_all(candidates(pb, hint.prefer_parallel_execution, true));
    any_ok = std::any_of(done.begin(), done.end(), meets);
  }

  // Reference points for the plan-level objective: the best makespan and
  // the lowest cost any candidate reached.
  double mstar = std::numeric_limits<double>::infinity(), cstar = mstar, cpumin = mstar;
  const evaluated* first_ok = nullptr;
  for (const auto& e : done)
    if (e.r.error.empty()) {
      if (!first_ok) first_ok = &e;
      mstar = std::min(mstar, e.r.makespan);
      cstar = std::min(cstar, e.r.cost);
      cpumin = std::min(cpumin, e.cpu);
    }
  if (!first_ok) return model::error{"", "/resource_constraints", done.front().r.error};

  if (!any_ok) {
    auto miss = [](const std::string& path, const std::string& what, double limit, double best,
                   const std::string& unit, const std::string& best_what) {
      return model::error{"", path,
                          what + " " + num(limit) + unit + " cannot be met: " + best_what + " " +
                              num(best) + unit + " (over by " + num(best - limit) + unit + ")"};
    };
    if (lim.completion_time_ms && mstar > *lim.completion_time_ms)
      return miss("/resource_constraints/completion_time_ms", "completion time limit",
                  *lim.completion_time_ms, mstar, " ms", "the fastest plan found takes");
    if (lim.cpu_time_ms && cpumin > static_cast<double>(*lim.cpu_time_ms))
      return miss("/resource_constraints/cpu_time_ms", "cpu time limit",
                  static_cast<double>(*lim.cpu_time_ms), cpumin, " ms",
                  "the least cpu time found is");
    if (hint.max_latency_ms && mstar > static_cast<double>(*hint.max_latency_ms))
      return miss("/max_latency_ms", "max_latency_ms", static_cast<double>(*hint.max_latency_ms),
                  mstar, " ms", "the fastest plan found takes");
    if (hint.cost_budget && cstar > static_cast<double>(*hint.cost_budget))
      return miss("/cost_budget", "cost_budget", static_cast<double>(*hint.cost_budget), cstar,
                  "", "the cheapest plan costs");
    // Each limit alone is reachable but not together: report the time
    // reachable within the cost budget (the cost side is exact).
    double tl = std::numeric_limits<double>::infinity();
    if (hint.max_latency_ms) tl = static_cast<double>(*hint.max_latency_ms);
    if (lim.completion_time_ms) tl = std::min(tl, *lim.completion_time_ms);
    double best = std::numeric_limits<double>::infinity();
    for (const auto& e : done)
      if (e.r.error.empty() &&
          (!hint.cost_budget || e.r.cost <= static_cast<double>(*hint.cost_budget)))
        best = std::min(best, e.r.makespan);
    if (hint.cost_budget && std::isfinite(tl) && std::isfinite(best))
      return model::error{"", "/max_latency_ms",
                          "max_latency_ms " + num(tl) + " ms and cost_budget " +
                              num(static_cast<double>(*hint.cost_budget)) +
                              " cannot both be met: within the budget the fastest plan found "
                              "takes " + num(best) + " ms (over by " + num(best - tl) + " ms)"};
    for (const auto& e : done)
      if (!e.r.error.empty()) return model::error{"", "/resource_constraints", e.r.error};
    return model::error{"", "/resource_constraints",
                        "no plan keeps every hard limit (network " +
                            std::to_string(first_ok->network) + " bytes, peak memory " +
                            std::to_string(first_ok->r.peak_mem) + " bytes in the best try)"};
  }

  // Plan-level objective (docs/planner.md): weighted log-ratios to the best
  // makespan and lowest cost any candidate reached, plus idle capacity.
  const double tiny = 1e-9;
  // Efficiency: idle capacity of the used domains, or with
  // prefer_parallel_execution the share of time nodes queue for a slot.
  const bool parallel = hint.prefer_parallel_execution;
  auto objective = [&](const evaluated& e) {
    const double ineff = parallel ? (e.r.wait + e.r.busy > 0 ? e.r.wait / (e.r.wait + e.r.busy) : 0)
                                  : 1 - e.r.util;
    return w.wl * std::log((e.r.makespan + tiny) / (mstar + tiny)) +
           w.wc * std::log((e.r.cost + tiny) / (cstar + tiny)) + w.we * ineff;
  };
  const evaluated* win = nullptr;
  double jbest = std::numeric_limits<double>::infinity();
  for (const auto& e : done) {
    if (!meets(e)) continue;
    double j = objective(e);
    if (j < jbest - 1e-12) {
      jbest = j;
      win = &e;
    }
  }
  // Local search on the winner: move one node to another domain, re-run the
  // list schedule, keep the move when the objective improves (or stays and
  // the sum of finish times drops, to cross plateaus). Small problems only.
  const double work = static_cast<double>(pb.V) * static_cast<double>(pb.D);
  std::vector<std::int32_t> forced;
  std::size_t moves = 0;
  if (work <= detail::insertion_limit && pb.V > 1) {
    const std::size_t budget =
        static_cast<std::size_t>(std::min(3000.0, 3e5 / std::max(1.0, work)));
    forced.resize(pb.V);
    for (std::size_t v = 0; v < pb.V; ++v) forced[v] = static_cast<std::int32_t>(win->r.a[v].domain);
    pass_params lp = win->params;
    lp.forced = &forced;
    auto sum_finish = [](const evaluated& e) {
      double s = 0;
      for (const auto& a : e.r.a) s += a.finish_ms;
      return s;
    };
    evaluated cur = *win;
    double jcur = objective(cur), scur = sum_finish(cur);
    std::size_t evals = 0;
    bool improved = true;
    std::vector<std::uint32_t> order(pb.V);
    while (improved && evals < budget) {
      improved = false;
      for (std::uint32_t v = 0; v < pb.V; ++v) order[v] = v;
      std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
        return cur.r.a[a].finish_ms > cur.r.a[b].finish_ms;
      });
      for (std::uint32_t v : order) {
        if (pb.fixed[v]) continue;
        for (std::size_t d = 0; d < pb.D && evals < budget; ++d) {
          if (static_cast<std::int32_t>(d) == forced[v] || !pb.ok[v * pb.D + d]) continue;
          const std::int32_t old = forced[v];
          forced[v] = static_cast<std::int32_t>(d);
          evaluated e{lp, detail::run_pass(pb, lp), 0, 0};
          ++evals;
          for (const auto& a : e.r.a) e.cpu += a.finish_ms - a.start_ms;
          e.network = pb.node_net_bytes + e.r.cross_bytes;
          bool better = false;
          if (meets(e)) {
            const double j = objective(e);
            better = j < jcur - 1e-12 || (j <= jcur + 1e-12 && sum_finish(e) < scur - 1e-6);
            if (better) {
              jcur = j;
              scur = sum_finish(e);
            }
          }
          if (better) {
            cur = std::move(e);
            improved = true;
            ++moves;
          } else {
            forced[v] = old;
          }
        }
        if (evals >= budget) break;
      }
    }
    if (moves) {
      done.push_back(std::move(cur));
      win = &done.back();
      jbest = jcur;
    }
  }

  // Equal plans: the soft domain preference decides.
  if (pb.has_pref) {
    auto pref_sum = [&](const evaluated& e) {
      double s = 0;
      for (const auto& a : e.r.a) s += pb.pref[a.domain];
      return s;
    };
    double best_pref = pref_sum(*win);
    for (const auto& e : done) {
      if (!meets(e)) continue;
      if (objective(e) <= jbest + 1e-9 && pref_sum(e) < best_pref) {
        best_pref = pref_sum(e);
        win = &e;
      }
    }
  }

  explained_plan out;
  plan& p = out.chosen;
  p.workflow = def.name.empty() ? def.definition_id : def.name;
  p.platform = plat.name;
  p.strategy = strat->name;
  p.makespan_ms = win->r.makespan;
  p.total_cost = win->r.cost;
  p.assignments = win->r.a;
  p.method = win->params.label();
  if (moves) p.method += " + local search (" + std::to_string(moves) + " moves)";
  p.utilisation = win->r.util;
  p.totals.cpu_time_ms = static_cast<std::uint64_t>(std::ceil(win->cpu));
  p.totals.memory_bytes = detail::peak_memory(def, win->r.a);
  p.totals.storage_bytes = 0;
  for (const auto& n : def.nodes) p.totals.storage_bytes += n.resources.storage_bytes;
  p.totals.network_bytes = win->network;
  p.totals.estimated_completion_time_ms = win->r.makespan;
  out.latency_weight = w.wl;
  out.cost_weight = w.wc;
  out.efficiency_weight = w.we;
  out.candidates_tried = done.size();
  if (want_explain) {
    out.nodes.resize(pb.V);
    pass_params ep = win->params;
    if (ep.heft) {  // HEFT ignores the weights: show the strategy's scores
      ep.wl = w.wl;
      ep.wc = w.wc;
      ep.we = w.we;
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
    const weights w = effective(*strat, hint.priority);
    auto p = detail::linear_plan(def, plat, w.wl, w.wc);
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

std::vector<sweep_point> sweep_tradeoff(const model::dataflow_definition& def,
                                        const model::platform& plat,
                                        const model::initiation_hint& hint,
                                        const planner_context& ctx, std::size_t steps) {
  std::vector<sweep_point> out;
  if (steps < 2) steps = 2;
  for (std::size_t i = 0; i < steps; ++i) {
    const double a = static_cast<double>(i) / static_cast<double>(steps - 1);
    strategy_registry reg;
    reg.add({"sweep", "latency/cost trade-off point", 0.0, 1.0 - a, a});
    planner_context c = ctx;
    c.strategy_override = "sweep";
    sweep_point sp;
    sp.cost_share = a;
    auto p = make_plan(def, plat, hint, reg, c);
    if (p) {
      sp.makespan_ms = p->makespan_ms;
      sp.total_cost = p->total_cost;
    } else {
      sp.error = p.err().message();
    }
    out.push_back(sp);
  }
  return out;
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
