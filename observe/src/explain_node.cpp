// explain_node() and summary_to_json(): a run's summary for people and programs.
#include <cstdio>

#include <nlohmann/json.hpp>

#include "causality/observe/run_summary.hpp"

namespace causality::observe {

namespace {

std::string num(double v, int prec = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string slowdown_text(const std::vector<domain_slowdown>& sl) {
  std::string t;
  for (auto& d : sl) {
    if (!t.empty()) t += ", ";
    t += "'" + d.domain + "' " + num(d.factor, 2) + "x";
  }
  return t.empty() ? "none measured" : t;
}

}  // namespace

std::optional<std::string> explain_node(const run_summary& s, const summary_inputs& in, const std::string& node_id,
                                        const strategies::explained_plan* explained) {
  std::size_t i = 0;
  while (i < s.nodes.size() && s.nodes[i].node != node_id) ++i;
  if (i == s.nodes.size()) return std::nullopt;
  auto& n = s.nodes[i];
  std::string out = "node '" + n.node + "': " + n.status;
  if (!n.domain.empty())
    out += " on '" + n.domain + "' (" + std::to_string(n.attempts) + (n.attempts == 1 ? " attempt" : " attempts") +
           "), " + num(n.start_ms) + " -> " + num(n.finish_ms) + " ms";
  out += "\n  why: " + n.why + "\n";
  if (!n.planned_domain.empty()) {
    out += "  plan: '" + n.planned_domain + "' by strategy " + s.strategy;
    if (in.plan && !in.plan->method.empty()) out += " (" + in.plan->method + ")";
    out += "\n";
  }
  if (!n.first_planned_domain.empty() && n.first_planned_domain != n.planned_domain)
    out += "  first plan: '" + n.first_planned_domain + "'\n";
  if (explained && i < explained->nodes.size() && in.platform) {
    auto& ne = explained->nodes[i];
    out += "  planner (" + ne.rule + "), weights latency " + num(explained->node_latency_weight, 3) + ", cost " +
           num(explained->node_cost_weight, 3) + ", efficiency " + num(explained->node_efficiency_weight, 3) +
           "; lowest score wins:\n";
    for (auto& c : ne.candidates) {
      auto& dn = c.domain < in.platform->domains.size() ? in.platform->domains[c.domain].name : n.domain;
      out += "    '" + dn + "': ";
      if (!c.filtered_by.empty()) out += "filtered out: " + c.filtered_by;
      else
        out += "finish " + num(c.finish_ms) + " ms, cost " + num(c.cost, 0) + ", latency term " +
               num(c.latency_term, 3) + ", cost term " + num(c.cost_term, 3) + ", efficiency term " +
               num(c.priority_term, 3) + ", score " + num(c.score, 3) + (c.domain == ne.winner ? "  <- chosen" : "");
      out += "\n";
    }
  }
  for (auto& r : s.replans)
    out += "  re-plan at " + num(r.time_ms, 0) + " ms: " + r.reason + "; measured slowdown " +
           slowdown_text(r.slowdowns) + "; " + std::to_string(r.nodes_moved) + " of " +
           std::to_string(r.nodes_replanned) + " nodes not yet started moved\n";
  if (in.recorder) {
    auto losses = in.recorder->losses();
    if (auto l = losses.find(static_cast<std::uint32_t>(i)); l != losses.end())
      for (auto& x : l->second)
        out += "  lost at " + num(x.time_ms, 0) + " ms with domain '" + x.domain + "', run again\n";
    auto retries = in.recorder->retries();
    if (auto r = retries.find(static_cast<std::uint32_t>(i)); r != retries.end())
      for (std::size_t a = 0; a < r->second.size(); ++a)
        out += "  attempt " + std::to_string(a + 1) + " failed: " + r->second[a] + "\n";
    auto moves = in.recorder->moves();
    if (auto m = moves.find(static_cast<std::uint32_t>(i)); m != moves.end() && m->second.reason != n.why)
      out += "  balancer: " + m->second.reason + "\n";
  }
  for (auto& d : s.domain_changes)
    out += std::string("  during the run: domain '") + d.domain + "' " + (d.available ? "re-admitted" : "lost") +
           " at " + num(d.time_ms, 0) + " ms (" + d.why + ")\n";
  if (!n.error.empty()) out += "  error: " + n.error + "\n";
  if (!n.output.empty()) out += "  output (" + std::to_string(n.output_bytes) + " bytes): " + n.output + "\n";
  return out;
}

nlohmann::json summary_to_json(const run_summary& s) {
  using nlohmann::json;
  json nodes = json::array();
  for (auto& n : s.nodes) {
    json j{{"node", n.node},
           {"status", n.status},
           {"planned_domain", n.planned_domain},
           {"domain", n.domain.empty() ? json(nullptr) : json(n.domain)},
           {"attempts", n.attempts},
           {"start_ms", n.start_ms},
           {"finish_ms", n.finish_ms},
           {"why", n.why}};
    if (n.first_planned_domain != n.planned_domain) j["first_planned_domain"] = n.first_planned_domain;
    if (!n.output.empty()) j["output"] = n.output, j["output_bytes"] = n.output_bytes;
    if (!n.error.empty()) j["error"] = n.error;
    nodes.push_back(std::move(j));
  }
  json domains = json::array();
  for (auto& d : s.domains)
    domains.push_back({{"domain", d.domain}, {"slots", d.slots}, {"nodes", d.nodes}, {"busy_ms", d.busy_ms},
                       {"utilisation", d.utilisation}, {"lost", d.lost}});
  json replans = json::array();
  for (auto& r : s.replans) {
    json sl = json::object();
    for (auto& d : r.slowdowns) sl[d.domain] = d.factor;
    replans.push_back({{"time_ms", r.time_ms}, {"reason", r.reason}, {"nodes_replanned", r.nodes_replanned},
                       {"nodes_moved", r.nodes_moved}, {"slowdown", sl},
                       {"makespan_before_ms", r.makespan_before_ms}, {"makespan_after_ms", r.makespan_after_ms}});
  }
  json switches = json::array();
  for (auto& w : s.switches)
    switches.push_back({{"time_ms", w.time_ms}, {"from", w.from}, {"to", w.to}, {"reason", w.reason}, {"load", w.load}});
  json changes = json::array();
  for (auto& c : s.domain_changes)
    changes.push_back({{"time_ms", c.time_ms}, {"domain", c.domain}, {"available", c.available}, {"why", c.why}});
  json j{{"workflow", s.workflow},
         {"platform", s.platform},
         {"strategy", s.strategy},
         {"status", s.status},
         {"planned_makespan_ms", s.planned_makespan_ms},
         {"actual_makespan_ms", s.actual_makespan_ms},
         {"wall_ms_from_spawn", s.wall_ms},
         {"planned_cost", s.planned_cost},
         {"actual_cost", s.actual_cost},
         {"initial_planned_makespan_ms", s.first_planned_makespan_ms},
         {"initial_planned_cost", s.first_planned_cost},
         {"nodes_moved", s.nodes_moved},
         {"nodes_rerun", s.nodes_rerun},
         {"nodes_retried", s.nodes_retried},
         {"replans", s.replans.size()},
         {"replanned_nodes", s.replanned_nodes},
         {"replan_events", replans},
         {"strategy_switches", s.switches.size()},
         {"switch_events", switches},
         {"strategy_timeline", s.strategy_timeline},
         {"domain_changes", changes},
         {"domains", domains},
         {"nodes", nodes}};
  if (!s.error.empty()) j["error"] = s.error;
  return j;
}

}  // namespace causality::observe
