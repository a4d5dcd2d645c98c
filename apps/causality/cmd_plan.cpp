// `causality plan WORKFLOW [--platform P] ...`: plans a workflow with a
// strategy (or explicit weights) and prints the plan (FORMATS.md JSON or a
// table), an explanation per node, or the latency/cost trade-off sweep.
// Errors and refused plans: one line on stderr, exit 1.
#include <cstdio>
#include <iostream>
#include <memory>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"
#include "causality/observe/log.hpp"
#include "causality/strategies/planner.hpp"
#include "cli_logging.hpp"
#include "command.hpp"
#include "learned.hpp"
#include "observe_out.hpp"
#include "planning_options.hpp"

namespace {

using namespace causality;

struct plan_options {
  std::string file, platform_file, format = "text";
  std::string explain_node;
  std::string dot_file, gantt_file;  ///< observe outputs (docs/observability.md)
  cli::planning_options planning;    ///< the flags `run` takes too
  bool sweep = false, pareto = false;
  CLI::Option* explain_opt = nullptr;
  cli::learned_options learned;
};

/// Ids and names as a terminal may show them (control bytes as \xNN).
std::string P(const std::string& s) { return observe::printable(s); }

std::string fmt(const char* f, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, f, v);
  return buf;
}

void print_text(const strategies::plan& p, const model::dataflow_definition& def,
                const model::platform& plat) {
  std::cout << "workflow " << P(p.workflow) << " on " << P(plat.name) << ", strategy " << P(p.strategy)
            << " (" << p.method << ")\n";
  std::cout << "makespan " << fmt("%.1f", p.makespan_ms) << " ms, cost "
            << fmt("%.2f", p.total_cost) << ", utilisation "
            << fmt("%.0f", 100 * p.utilisation) << " %, idle slot-hours "
            << fmt("%.3f", p.idle_slot_ms / 3.6e6) << ", domains used " << p.domains_used << "\n";
  std::cout << "resources: cpu " << fmt("%.1f", p.totals.cpu_time_ms) << " ms, peak memory "
            << p.totals.memory_bytes << " B, storage " << p.totals.storage_bytes
            << " B, network " << p.totals.network_bytes << " B\n\n";
  std::printf("%-36s %-16s %12s %12s %10s\n", "node", "domain", "start_ms", "finish_ms", "cost");
  for (const auto& a : p.assignments)
    std::printf("%-36s %-16s %12.1f %12.1f %10.2f\n", P(def.nodes[a.node].node_id).c_str(),
                P(plat.domains[a.domain].name).c_str(), a.start_ms, a.finish_ms, a.cost);
}

/// Which duration the planner took for `node` on `domain`, in words.
std::string estimate_of(const std::optional<strategies::perf_model>& history, const model::dataflow_definition& def,
                        const model::platform& plat, std::size_t node, std::size_t domain) {
  if (history) return history->describe_estimate(def, plat, node, domain);
  static const strategies::perf_model none;
  std::string s = none.describe_estimate(def, plat, node, domain);
  if (!def.nodes[node].resources.cpu_time_given) s += " (--learn plans with the durations of earlier runs)";
  return s;
}

void print_explanation(const strategies::explained_plan& e, const model::dataflow_definition& def,
                       const model::platform& plat, const std::string& only,
                       const std::optional<strategies::perf_model>& history) {
  // The trade-off (docs/planner.md "The trade-off"): which point of the front and why, in words.
  std::cout << "\nchoice (docs/planner.md): " << e.objective << "; " << e.chosen.method << "\n"
            << "effective weights: latency " << fmt("%.4f", e.latency_weight) << ", cost "
            << fmt("%.4f", e.cost_weight) << ", efficiency " << fmt("%.4f", e.efficiency_weight)
            << "; makespan at most " << fmt("%.2f", e.max_stretch) << " x the fastest; "
            << e.candidates_tried << " candidate schedules\n"
            << "schedule: " << e.schedule << "\n"
            << "node score = " << fmt("%.3f", e.node_latency_weight) << " x latency + "
            << fmt("%.3f", e.node_cost_weight) << " x cost + "
            << fmt("%.3f", e.node_efficiency_weight) << " x efficiency (lowest wins)\n";
  for (const auto& n : e.nodes) {
    const auto& node = def.nodes[n.node];
    if (!only.empty() && node.node_id != only) continue;
    std::cout << "\nnode " << P(node.node_id) << " (cpu " << fmt("%.3f", node.resources.cpu_time_ms)
              << " ms, memory " << node.resources.memory_bytes << " B)\n";
    std::printf("  %-16s %10s %10s %10s %10s %8s %8s %8s %8s\n", "domain", "ready", "start",
                "finish", "cost", "latency", "cost", "effic.", "score");
    for (const auto& c : n.candidates) {
      const std::string shown = P(plat.domains[c.domain].name);
      const char* name = shown.c_str();
      if (!c.filtered_by.empty()) {
        std::printf("  %-16s removed: %s\n", name, P(c.filtered_by).c_str());
        continue;
      }
      std::printf("  %-16s %10.1f %10.1f %10.1f %10.2f %8.3f %8.3f %8.3f %8.3f%s\n", name,
                  c.ready_ms, c.start_ms, c.finish_ms, c.cost, c.latency_term, c.cost_term,
                  c.priority_term, c.score, c.domain == n.winner ? "  <- winner" : "");
    }
    std::cout << "  winner: " << P(plat.domains[n.winner].name) << " (" << P(n.rule) << ")\n"
              << "  duration on " << P(plat.domains[n.winner].name) << ": "
              << P(estimate_of(history, def, plat, n.node, n.winner)) << "\n";
  }
}

/// `--pareto`: the (makespan, cost) front (FORMATS.md "Front output").
int print_front(const model::dataflow_definition& def, const model::platform& plat,
                const model::initiation_hint& h, const strategies::planner_context& ctx, bool json) {
  auto front = strategies::pareto_front(def, plat, h, ctx);
  if (!front) return cli::fail(front.err().message());
  if (json) {
    auto arr = nlohmann::json::array();
    for (const auto& p : *front) {
      auto j = strategies::plan_to_json(p, def, plat);
      j.update(strategies::plan_metrics_json(p));
      arr.push_back(std::move(j));
    }
    std::cout << nlohmann::json{{"workflow", def.name.empty() ? def.definition_id : def.name},
                                {"platform", plat.name},
                                {"front", arr}}.dump(2)
              << "\n";
    return 0;
  }
  std::cout << "cost/makespan front for " << P(def.name.empty() ? def.definition_id : def.name)
            << " on " << P(plat.name) << ": " << front->size()
            << " non-dominated plans, cheapest first\n";
  std::printf("%14s %14s %7s %11s %8s  %s\n", "total_cost", "makespan_ms", "util", "idle_slot_h",
              "domains", "method");
  for (const auto& p : *front)
    std::printf("%14.2f %14.1f %6.0f%% %11.3f %8zu  %s\n", p.total_cost, p.makespan_ms,
                100 * p.utilisation, p.idle_slot_ms / 3.6e6, p.domains_used, p.method.c_str());
  return 0;
}

int run_plan(plan_options& o) {
  if (o.file.empty() && !o.explain_node.empty()) {
    o.file = o.explain_node;
    o.explain_node.clear();
  }
  if (o.file.empty()) {
    cli::fail("workflow is required (try causality help plan)");
    return cli::exit_usage;
  }
  // The debug lines mark the states a signal may interrupt (tests wait for them).
  auto lg = observe::logger("cli");
  lg->debug("reading workflow {}", o.file);
  auto def = model::load_workflow_file(o.file);
  if (!def) return cli::fail(def.err().message());
  lg->debug("reading platform {}", o.platform_file);
  auto plat = cli::platform_or_local(o.platform_file, cli::global_log_flags().quiet);
  if (!plat) return cli::fail(plat.err().message());
  lg->debug("validating {} against {}", o.file, o.platform_file);
  if (auto bad = model::validate_against_platform(*def, *plat, o.file))
    return cli::fail(bad->message());

  auto in = cli::resolve_planning(o.planning, &*plat);
  if (!in) return cli::fail(in.err().message());
  auto& reg = in->registry;
  auto& h = in->hint;

  if ((o.sweep || o.pareto) && (!o.dot_file.empty() || !o.gantt_file.empty()))
    return cli::fail("--dot/--gantt: draw one plan, not a --sweep or --pareto");
  if (o.sweep && o.pareto) return cli::fail("--pareto: choose --pareto or --sweep, not both");
  // --learn: durations measured in earlier runs replace the file's estimates
  // (strategies/perf_model.hpp says when).
  std::optional<strategies::perf_model> history;
  strategies::planner_context ctx;
  if (auto f = cli::learned_file(o.learned)) {
    history = cli::load_history(*f);
    ctx.exec_time_ms = history->planner_hook(*def, *plat);
  }
  if (o.pareto) return print_front(*def, *plat, h, ctx, o.format == "json");
  if (o.sweep) {
    auto pts = strategies::sweep_tradeoff(*def, *plat, h, ctx);
    if (o.format == "json") {
      auto arr = nlohmann::json::array();
      for (const auto& p : pts) {
        nlohmann::json x{{"latency_weight", 1 - p.cost_share}, {"cost_weight", p.cost_share}};
        if (p.error.empty()) {
          x["makespan_ms"] = p.makespan_ms;
          x["total_cost"] = p.total_cost;
        } else {
          x["error"] = p.error;
        }
        arr.push_back(x);
      }
      std::cout << nlohmann::json{{"workflow", def->name}, {"platform", plat->name},
                                  {"sweep", arr}}.dump(2)
                << "\n";
      return 0;
    }
    std::cout << "trade-off sweep for " << P(def->name) << " on " << P(plat->name)
              << " (priority weight 0)\n";
    std::printf("%8s %8s %14s %12s\n", "latency", "cost", "makespan_ms", "total_cost");
    for (const auto& p : pts) {
      if (!p.error.empty())
        std::printf("%8.2f %8.2f  %s\n", 1 - p.cost_share, p.cost_share, P(p.error).c_str());
      else
        std::printf("%8.2f %8.2f %14.1f %12.2f\n", 1 - p.cost_share, p.cost_share,
                    p.makespan_ms, p.total_cost);
    }
    return 0;
  }

  const bool explain = o.explain_opt->count() > 0;
  // Without --explain, make_plan: it may take the linear tier on large inputs
  // (docs/planner.md); the reasoning per node needs explain_plan.
  auto plan_only = [&]() -> model::expected<strategies::explained_plan> {
    auto p = strategies::make_plan(*def, *plat, h, reg, ctx);
    if (!p) return p.err();
    strategies::explained_plan x;
    x.chosen = std::move(*p);
    return x;
  };
  lg->debug("planning {}: {} nodes, {} edges", o.file, def->nodes.size(), def->edges.size());
  auto e = explain ? strategies::explain_plan(*def, *plat, h, reg, ctx) : plan_only();
  if (!e) {
    model::error err = e.err();
    // Limits read from --hint are attributed to that file.
    if (!o.planning.hint_file.empty() && err.file.empty() &&
        err.path.rfind("/resource_constraints", 0) == 0)
      err.file = o.planning.hint_file;
    return cli::fail(err.message());
  }
  if (!o.explain_node.empty() && !def->find_node(o.explain_node))
    return cli::fail("--explain: unknown node '" + o.explain_node + "'");
  if (cli::write_plan_files(*def, *plat, e->chosen, o.dot_file, o.gantt_file)) return 1;
  if (o.format == "json") {
    auto j = strategies::plan_to_json(e->chosen, *def, *plat);
    if (explain) {
      auto arr = nlohmann::json::array();
      for (const auto& n : e->nodes) {
        if (!o.explain_node.empty() && def->nodes[n.node].node_id != o.explain_node) continue;
        auto cands = nlohmann::json::array();
        for (const auto& c : n.candidates) {
          nlohmann::json x{{"domain", plat->domains[c.domain].name}};
          if (!c.filtered_by.empty()) {
            x["removed"] = c.filtered_by;
          } else {
            x.update({{"ready_ms", c.ready_ms}, {"start_ms", c.start_ms},
                      {"finish_ms", c.finish_ms}, {"cost", c.cost},
                      {"latency_term", c.latency_term}, {"cost_term", c.cost_term},
                      {"efficiency_term", c.priority_term}, {"score", c.score}});
          }
          cands.push_back(x);
        }
        arr.push_back({{"node", def->nodes[n.node].node_id},
                       {"winner", plat->domains[n.winner].name},
                       {"rule", n.rule},
                       {"estimate", estimate_of(history, *def, *plat, n.node, n.winner)},
                       {"candidates", cands}});
      }
      j["explanation"] = arr;
    }
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  print_text(e->chosen, *def, *plat);
  if (explain) print_explanation(*e, *def, *plat, o.explain_node, history);
  return 0;
}

cli::register_command reg{"plan", [](CLI::App& app) {
  auto o = std::make_shared<plan_options>();
  auto* sub = app.add_subcommand("plan", "plan a workflow on a platform with a strategy");
  // Not ->required(): `plan --explain W --platform P` hands W to --explain
  // (it takes an optional node), and run_plan takes it back as the workflow.
  sub->add_option("workflow", o->file, "workflow: project JSON form or WfCommons instance");
  sub->add_option("--platform", o->platform_file, "platform file (default: this machine's local platform, said on stderr)");
  cli::add_planning_options(*sub, o->planning);
  sub->add_option("--format", o->format, "output format")
      ->check(CLI::IsMember({"text", "json"}));
  o->explain_opt = sub->add_option("--explain", o->explain_node,
                                   "explain every node's placement, or only NODE's")
                       ->expected(0, 1);
  sub->add_flag("--sweep", o->sweep,
                "front points picked by weights from pure latency to pure cost");
  sub->add_flag("--pareto", o->pareto,
                "the non-dominated (makespan, cost) plans, cheapest first (with --format json: "
                "FORMATS.md front output)");
  sub->add_option("--dot", o->dot_file, "write the plan as a Graphviz DOT graph to FILE");
  sub->add_option("--gantt", o->gantt_file, "write the planned Gantt chart (SVG) to FILE");
  cli::add_learned_options(*sub, o->learned, false);
  return std::function<int()>([o] { return run_plan(*o); });
}};

}  // namespace
