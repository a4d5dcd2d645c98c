#include "run_report.hpp"

#include "causality/observe/log.hpp"

#include <cstdio>
#include <ostream>
#include <unordered_map>

namespace causality::cli {

namespace {

std::string fmt(double v, int prec = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

/// Ids, names, errors and outputs as a terminal may show them.
std::string P(const std::string& s) { return observe::printable(s); }

std::string pad(std::string s, std::size_t w) {
  s = P(s);
  if (s.size() > w) s = s.substr(0, w - 1) + "~";
  s.resize(w, ' ');
  return s;
}

bool notable(const observe::node_summary& n) {
  return n.status != "succeeded" || n.attempts > 1 || (!n.domain.empty() && n.domain != n.planned_domain) ||
         n.first_planned_domain != n.planned_domain;
}

}  // namespace

void print_run_text(const observe::run_summary& s, double time_scale, bool dynamic, std::ostream& out) {
  out << "workflow:  " << P(s.workflow) << " (" << s.nodes.size() << " nodes) on " << P(s.platform) << ", strategy "
      << P(s.strategy) << ", time scale " << time_scale << "\n"
      << "status:    " << s.status << (s.error.empty() ? "" : " (" + P(s.error) + ")") << "\n"
      << "makespan:  planned " << fmt(s.planned_makespan_ms) << " ms, actual " << fmt(s.actual_makespan_ms)
      << " ms (" << fmt(s.wall_ms) << " ms from spawn, planning included)\n"
      << "cost:      planned " << fmt(s.planned_cost, 0) << ", actual " << fmt(s.actual_cost, 0) << " ("
      << s.nodes_moved << " nodes ran off the plan, " << s.nodes_rerun << " ran again after a lost domain, "
      << s.nodes_retried << " retried)\n"
      << "adaptive:  " << s.switches.size() << " strategy switches, " << s.replans.size() << " re-plans"
      << (dynamic ? "" : " (dynamic optimization off)") << "\n";
  if (s.first_planned_makespan_ms != s.planned_makespan_ms || s.first_planned_cost != s.planned_cost)
    out << "first plan: makespan " << fmt(s.first_planned_makespan_ms) << " ms, cost "
        << fmt(s.first_planned_cost, 0) << " (before re-planning)\n";
  if (s.strategy_timeline.size() > 1) {
    out << "strategy:  ";
    for (std::size_t i = 0; i < s.strategy_timeline.size(); ++i)
      out << (i ? " -> " : "") << P(s.strategy_timeline[i]);
    out << "\n";
  }
  for (auto& r : s.replans) {
    out << "re-plan:   at " << fmt(r.time_ms, 0) << " ms, " << r.nodes_moved << " of " << r.nodes_replanned
        << " nodes moved: " << P(r.reason) << " (slowdown";
    for (auto& d : r.slowdowns) out << " '" << P(d.domain) << "' " << fmt(d.factor, 2) << "x";
    out << ")\n";
  }
  for (auto& d : s.domain_changes)
    out << "domain:    '" << P(d.domain) << "' " << (d.available ? "re-admitted" : "lost") << " at "
        << fmt(d.time_ms, 0) << " ms (" << P(d.why) << ")\n";
  out << "domains:\n";
  for (auto& d : s.domains)
    out << "  " << P(d.domain) << ": " << d.slots << " slots, " << d.nodes << " nodes, busy " << fmt(d.busy_ms)
        << " ms, utilisation " << fmt(100.0 * d.utilisation) << "%" << (d.lost ? ", lost during the run" : "")
        << "\n";
  // Per-node rows.
  const std::size_t limit = 40;
  std::vector<const observe::node_summary*> rows;
  if (s.nodes.size() <= limit) {
    for (auto& n : s.nodes) rows.push_back(&n);
  } else {
    for (auto& n : s.nodes)
      if (rows.size() < limit && notable(n)) rows.push_back(&n);
    for (auto& n : s.nodes)
      if (rows.size() < limit && !notable(n)) rows.push_back(&n);
  }
  out << "nodes:\n  " << pad("node", 24) << pad("status", 10) << pad("planned -> ran on", 30) << pad("tries", 6)
      << pad("time ms", 18) << "output\n";
  for (auto* n : rows) {
    std::string where = n->planned_domain.empty() ? "-" : n->planned_domain;
    where += " -> " + (n->domain.empty() ? std::string("-") : n->domain);
    std::string when = n->domain.empty() ? "-" : fmt(n->start_ms) + "+" + fmt(n->finish_ms - n->start_ms);
    std::string what = !n->error.empty() ? "error: " + n->error : n->output;
    if (what.size() > 60) what = what.substr(0, 57) + "... (" + std::to_string(n->output_bytes) + " bytes)";
    out << "  " << pad(n->node, 24) << pad(n->status, 10) << pad(where, 30) << pad(std::to_string(n->attempts), 6)
        << pad(when, 18) << P(what) << "\n";
  }
  if (rows.size() < s.nodes.size())
    out << "  ... " << s.nodes.size() - rows.size() << " more nodes (every node: --format json)\n";
}

nlohmann::json run_json(const observe::run_summary& s, double time_scale) {
  auto j = observe::summary_to_json(s);
  j["time_scale"] = time_scale;
  return j;
}

void print_attempt_errors(const std::vector<actors::node_result>& results, std::ostream& out) {
  const std::size_t limit = 100;
  std::size_t lines = 0, more = 0;
  for (auto& r : results) {
    for (std::size_t a = 0; a < r.errors.size(); ++a) {
      if (lines == 0) out << "attempts:\n  " << pad("node", 24) << pad("try", 6) << "error\n";
      if (lines >= limit) {
        ++more;
        continue;
      }
      std::string e = r.errors[a];
      if (e.size() > 200) e = e.substr(0, 197) + "...";
      out << "  " << pad(r.node_id, 24) << pad(std::to_string(a + 1), 6) << P(e) << "\n";
      ++lines;
    }
  }
  if (more) out << "  ... " << more << " more failed attempts (every one: --format json)\n";
}

void print_stderr_tails(const std::vector<actors::node_result>& results, std::ostream& out) {
  const std::size_t limit = 20;
  std::size_t shown = 0, more = 0;
  for (auto& r : results) {
    if (r.stderr_tail.empty()) continue;
    if (shown >= limit) {
      ++more;
      continue;
    }
    if (shown++ == 0) out << "stderr of nodes that succeeded:\n";
    std::string t = r.stderr_tail;
    while (!t.empty() && (t.back() == '\n' || t.back() == '\r')) t.pop_back();
    if (t.size() > 1000) t = "..." + t.substr(t.size() - 997);
    out << "  " << r.node_id << ":\n";
    std::size_t at = 0;
    while (at <= t.size()) {
      auto nl = t.find('\n', at);
      out << "    " << P(t.substr(at, nl == std::string::npos ? std::string::npos : nl - at)) << "\n";
      if (nl == std::string::npos) break;
      at = nl + 1;
    }
  }
  if (more) out << "  ... " << more << " more nodes wrote to stderr (every one: --format json)\n";
}

void add_attempt_errors(nlohmann::json& j, const std::vector<actors::node_result>& results) {
  auto it = j.find("nodes");
  if (it == j.end() || !it->is_array()) return;
  std::unordered_map<std::string, const actors::node_result*> by_id;
  for (auto& r : results) by_id.emplace(r.node_id, &r);
  for (auto& n : *it) {
    auto f = by_id.find(n.value("node", std::string()));
    n["attempt_errors"] = f == by_id.end() ? nlohmann::json::array() : nlohmann::json(f->second->errors);
    if (f != by_id.end() && !f->second->stderr_tail.empty()) n["stderr"] = f->second->stderr_tail;
  }
}

}  // namespace causality::cli
