// summarize(): the per-node records, the plans and the recorded decisions of
// one run joined into a run_summary (pure).
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "causality/observe/run_summary.hpp"
#include "causality/strategies/cost.hpp"

namespace causality::observe {

namespace {

std::string ms_text(double ms) {
  char buf[48];
  if (std::fabs(ms) >= 10'000) std::snprintf(buf, sizeof buf, "%.1f s", ms / 1000.0);
  else std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  return buf;
}

std::string domain_name(const model::platform& p, long d) {
  return d >= 0 && static_cast<std::size_t>(d) < p.domains.size() ? p.domains[static_cast<std::size_t>(d)].name
                                                                  : std::string();
}

std::string preview(const model::value& v) { return v.to_string(80); }

/// The first line of why a node ran where it ran.
std::string why_line(const node_summary& n, const run_recorder::move* mv,
                     const std::vector<run_recorder::loss>* lost, bool replanned_node) {
  if (n.domain.empty()) {
    if (n.status == "skipped") return "not run: skipped (no input edge fired, or an upstream node failed)";
    if (n.status == "cancelled" || n.status == "pending") return "not run: the run ended first";
    return "never started";
  }
  std::string s;
  if (lost && !lost->empty()) {
    s = "its domain '" + lost->back().domain + "' was lost at " + ms_text(lost->back().time_ms) +
        "; it ran again on '" + n.domain + "'";
    if (mv) s += " (" + mv->reason + ")";
    return s;
  }
  if (mv && mv->chosen == n.domain) return mv->reason;
  if (n.planned_domain.empty()) return "placed on '" + n.domain + "' (no plan)";
  if (n.domain == n.planned_domain) {
    if (replanned_node && n.first_planned_domain != n.planned_domain)
      return "re-planned from '" + n.first_planned_domain + "' to '" + n.planned_domain +
             "' (the re-plan's reason below) and ran there";
    return "planned on '" + n.domain + "' and ran there";
  }
  return "ran on '" + n.domain + "', planned on '" + n.planned_domain + "'";
}

}  // namespace

run_summary summarize(const summary_inputs& in) {
  run_summary s;
  auto& def = *in.def;
  auto& plat = *in.platform;
  s.workflow = def.name;
  s.platform = plat.name;
  s.status = in.status;
  s.error = in.error;
  s.wall_ms = in.wall_ms;
  const double k = in.time_scale > 0 ? in.time_scale : 1.0;
  if (in.plan) {
    s.strategy = in.plan->strategy;
    s.planned_makespan_ms = in.plan->makespan_ms * k;
    s.planned_cost = in.plan->total_cost;
  }
  auto first = in.first_plan ? in.first_plan : in.plan;
  if (first) {
    s.first_planned_makespan_ms = first->makespan_ms * k;
    s.first_planned_cost = first->total_cost;
  }
  std::map<std::uint32_t, run_recorder::move> moves;
  std::map<std::uint32_t, std::vector<run_recorder::loss>> losses;
  std::map<std::uint32_t, std::vector<std::string>> retries;
  if (in.recorder) {
    moves = in.recorder->moves();
    losses = in.recorder->losses();
    retries = in.recorder->retries();
    s.replans = in.recorder->replans();
  }
  s.domains.resize(plat.domains.size());
  for (std::size_t d = 0; d < plat.domains.size(); ++d) {
    s.domains[d].domain = plat.domains[d].name;
    s.domains[d].slots = plat.domains[d].slots;
  }
  double first_start = 1e300, last_finish = 0;
  s.nodes.resize(def.nodes.size());
  for (std::size_t i = 0; i < def.nodes.size() && i < in.nodes.size(); ++i) {
    auto& o = in.nodes[i];
    auto& n = s.nodes[i];
    n.node = def.nodes[i].node_id;
    n.status = o.status;
    n.attempts = o.attempts;
    n.error = o.error;
    if (in.plan && i < in.plan->assignments.size())
      n.planned_domain = domain_name(plat, static_cast<long>(in.plan->assignments[i].domain));
    n.first_planned_domain = first && i < first->assignments.size()
                                 ? domain_name(plat, static_cast<long>(first->assignments[i].domain))
                                 : n.planned_domain;
    if (n.first_planned_domain != n.planned_domain) ++s.replanned_nodes;
    if (o.output && !o.output->is_null()) {
      n.output_bytes = approx_json_bytes(*o.output);
      n.output = preview(*o.output);
    }
    if (o.domain >= 0 && static_cast<std::size_t>(o.domain) < plat.domains.size()) {
      auto d = static_cast<std::size_t>(o.domain);
      n.domain = plat.domains[d].name;
      n.start_ms = o.start_ms;
      n.finish_ms = o.finish_ms;
      s.domains[d].busy_ms += o.finish_ms - o.start_ms;
      ++s.domains[d].nodes;
      first_start = std::min(first_start, o.start_ms);
      last_finish = std::max(last_finish, o.finish_ms);
      bool on_plan = in.plan && i < in.plan->assignments.size() && in.plan->assignments[i].domain == d;
      s.actual_cost += on_plan ? in.plan->assignments[i].cost : strategies::node_cost(def.nodes[i], plat.domains[d]);
      if (in.plan && !on_plan) ++s.nodes_moved;
    }
    auto mv = moves.find(static_cast<std::uint32_t>(i));
    auto ls = losses.find(static_cast<std::uint32_t>(i));
    if (ls != losses.end()) ++s.nodes_rerun;
    if (retries.count(static_cast<std::uint32_t>(i))) ++s.nodes_retried;
    n.why = why_line(n, mv == moves.end() ? nullptr : &mv->second, ls == losses.end() ? nullptr : &ls->second,
                     !s.replans.empty());
  }
  s.actual_makespan_ms = last_finish > first_start ? last_finish - first_start : 0.0;
  for (auto& d : s.domains)
    d.utilisation = s.actual_makespan_ms > 0 && d.slots ? d.busy_ms / (d.slots * s.actual_makespan_ms) : 0.0;
  // Engine events during the run, in run time.
  const double end = in.wall_ms;
  std::string current = !in.initial_strategy.empty() ? in.initial_strategy : first ? first->strategy : s.strategy;
  if (!current.empty()) s.strategy_timeline.push_back("0 ms " + current);
  for (auto sw : in.switches) {
    sw.time_ms -= in.spawn_engine_ms;
    if (sw.time_ms < 0 || sw.time_ms > end) continue;
    s.strategy_timeline.push_back(ms_text(sw.time_ms) + " " + sw.to + " (" + sw.reason + ")");
    s.switches.push_back(std::move(sw));
  }
  for (auto dc : in.domain_changes) {
    dc.time_ms -= in.spawn_engine_ms;
    if (dc.time_ms < 0 || dc.time_ms > end) continue;
    for (auto& d : s.domains)
      if (d.domain == dc.domain && !dc.available) d.lost = true;
    s.domain_changes.push_back(std::move(dc));
  }
  return s;
}

}  // namespace causality::observe
