// `causality run WORKFLOW --platform P [--strategy S] [--time-scale X]`:
// plans and runs a workflow for real on the actor runtime (WfCommons tasks
// become `work` nodes), then prints planned versus actual makespan, cost and
// per-domain utilisation. A progress bar on a terminal, plain lines otherwise.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/runtime/runtime.hpp"
#include "causality/strategies/cost.hpp"
#include "command.hpp"
#include "observe_out.hpp"

namespace {

struct run_options {
  std::string file;
  std::string platform_file;
  std::string strategy = "balanced";
  double time_scale = 1.0;
  unsigned threads = 0;
  std::uint32_t priority = 50;
  std::string format = "text";
  // Observability (docs/observability.md) and dynamic optimization (docs/dynamic.md).
  std::string gantt_file, dot_file, metrics_out;
  std::uint16_t metrics_port = 0;
  CLI::Option* metrics_port_opt = nullptr;
  bool dynamic = false;
};

std::string fmt(double v, int prec = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

void draw(const causality::progress& p, bool tty) {
  auto settled = p.done + p.failed + p.skipped;
  if (tty) {
    const int width = 30;
    int fill = p.total ? static_cast<int>(width * settled / p.total) : width;
    std::fprintf(stderr, "\r[%.*s%*s] %zu/%zu done, %zu running, %zu pending, %zu failed, %zu skipped ", fill,
                 "##############################", width - fill, "", p.done, p.total, p.running, p.pending,
                 p.failed, p.skipped);
  } else {
    std::fprintf(stderr, "progress: %zu/%zu done, %zu running, %zu pending, %zu failed, %zu skipped\n", p.done,
                 p.total, p.running, p.pending, p.failed, p.skipped);
  }
  std::fflush(stderr);
}

int run_workflow(const run_options& o) {
  using namespace causality;
  auto text = model::read_text_file(o.file);
  if (!text) return cli::fail(text.err().message());
  auto def = model::load_workflow_file(o.file);
  if (!def) return cli::fail(def.err().message());
  auto j = model::parse_json(*text, o.file);
  std::vector<std::string> file_types;  // the file's task types, for the pictures
  for (auto& n : def->nodes) file_types.push_back(n.node_type);
  if (j && j->is_object() && j->contains("workflow"))
    for (auto& n : def->nodes) n.node_type = "work";  // WfCommons tasks run as busy CPU
  auto cfg = runtime_config::from_platform_file(o.platform_file);
  if (!cfg) return cli::fail(cfg.err().message());
  if (!(o.time_scale >= 0)) return cli::fail("--time-scale: must be a number >= 0");
  cfg->time_scale = o.time_scale;
  cfg->scheduler_threads = o.threads;
  cli::cli_metrics metrics;
  cfg->metrics = metrics.series();
  if (o.metrics_port_opt->count() && metrics.serve(o.metrics_port)) return 1;
  if (o.dynamic) {
    cfg->dynamic.adaptive_strategy = true;
    cfg->dynamic.calibrate = true;
    cfg->dynamic.replan = true;
  }
  runtime rt(*cfg);
  auto wf = workflow::from_definition(std::move(*def));
  model::initiation_hint hint;
  hint.preferred_strategy_id = o.strategy;
  hint.priority = o.priority;
  auto run = rt.spawn(wf, hint);
  if (!run) {
    auto e = run.err();
    if (e.file.empty()) e.file = e.path.rfind("/hint", 0) == 0 ? "--strategy" : o.file;
    return cli::fail(e.message());
  }
  // The first plan, to count the nodes a re-plan moved.
  while (!run->plan() && !run->wait_for(std::chrono::milliseconds(2))) {
  }
  auto first_plan = run->plan();
  bool tty = isatty(fileno(stderr));
  auto last = run->progress();
  if (o.format == "text") draw(last, tty);
  while (!run->wait_for(std::chrono::milliseconds(tty ? 100 : 1000))) {
    auto p = run->progress();
    if (o.format == "text" && (tty || p.done != last.done)) draw(p, tty);
    last = p;
  }
  if (o.format == "text") {
    draw(run->progress(), tty);
    if (tty) std::fputc('\n', stderr);
  }
  auto& out = run->outcome();
  auto plan = run->plan();
  if (!plan) return cli::fail(out.error);
  auto& d = wf.definition();
  auto& plat = rt.platform();
  auto results = run->results();
  double actual_cost = 0, first_start = 1e300, last_finish = 0;
  std::vector<double> busy(plat.domains.size(), 0.0);
  std::vector<std::size_t> count(plat.domains.size(), 0);
  std::size_t moved = 0;
  for (auto& r : results) {
    if (r.domain < 0) continue;
    auto i = &r - results.data();
    auto& a = plan->assignments[static_cast<std::size_t>(i)];
    if (static_cast<std::size_t>(r.domain) == a.domain) actual_cost += a.cost;
    else {
      ++moved;
      actual_cost += strategies::node_cost(d.nodes[static_cast<std::size_t>(i)], plat.domains[static_cast<std::size_t>(r.domain)]);
    }
    busy[static_cast<std::size_t>(r.domain)] += r.finish_ms - r.start_ms;
    ++count[static_cast<std::size_t>(r.domain)];
    first_start = std::min(first_start, r.start_ms);
    last_finish = std::max(last_finish, r.finish_ms);
  }
  // Makespan as the plan means it: first node start to last node finish.
  double actual = last_finish > first_start ? last_finish - first_start : 0.0;
  double wall = run->elapsed_ms();
  double planned = plan->makespan_ms * o.time_scale;
  std::size_t replanned = 0;
  if (first_plan && first_plan != plan)
    for (std::size_t i = 0; i < plan->assignments.size() && i < first_plan->assignments.size(); ++i)
      replanned += plan->assignments[i].domain != first_plan->assignments[i].domain;
  auto switches = rt.strategy_switches().size();
  auto replans = rt.replans();
  (void)rt.domain_stats();  // the monitor has applied every node event (metrics complete)
  if (!o.metrics_out.empty() && metrics.write_snapshot(o.metrics_out)) return 1;
  if (!o.gantt_file.empty() || !o.dot_file.empty()) {
    // Plan times are unscaled model ms: scale them so planned and actual share one axis.
    auto drawn = *plan;
    double k = o.time_scale > 0 ? o.time_scale : 1.0;
    for (auto& a : drawn.assignments) a.start_ms *= k, a.finish_ms *= k;
    drawn.makespan_ms *= k;
    std::vector<std::optional<observe::node_span>> actual(results.size());
    for (std::size_t i = 0; i < results.size(); ++i)
      if (results[i].domain >= 0)
        actual[i] = observe::node_span{results[i].start_ms - first_start, results[i].finish_ms - first_start};
    auto shown = d;  // coloured by the file's task types, not the `work` they ran as
    for (std::size_t i = 0; i < shown.nodes.size() && i < file_types.size(); ++i)
      shown.nodes[i].node_type = file_types[i];
    if (cli::write_plan_files(shown, plat, drawn, o.dot_file, o.gantt_file, std::move(actual))) return 1;
  }
  if (o.format == "json") {
    nlohmann::json jd = nlohmann::json::array();
    for (std::size_t k = 0; k < plat.domains.size(); ++k)
      jd.push_back({{"domain", plat.domains[k].name}, {"slots", plat.domains[k].slots}, {"nodes", count[k]},
                    {"busy_ms", busy[k]},
                    {"utilisation", actual > 0 ? busy[k] / (plat.domains[k].slots * actual) : 0.0}});
    nlohmann::json js{{"workflow", d.name}, {"platform", plat.name}, {"strategy", plan->strategy},
                      {"status", actors::to_string(out.status)}, {"time_scale", o.time_scale},
                      {"planned_makespan_ms", planned}, {"actual_makespan_ms", actual},
                      {"wall_ms_from_spawn", wall},
                      {"planned_cost", plan->total_cost}, {"actual_cost", actual_cost},
                      {"nodes_moved_by_balancer", moved}, {"strategy_switches", switches},
                      {"replans", replans}, {"replanned_nodes", replanned}, {"domains", jd}};
    if (first_plan) {  // before any re-plan (the figures above are the final plan's)
      js["initial_planned_makespan_ms"] = first_plan->makespan_ms * o.time_scale;
      js["initial_planned_cost"] = first_plan->total_cost;
    }
    if (!out.error.empty()) js["error"] = out.error;
    std::cout << js.dump(2) << "\n";
  } else {
    std::cout << "workflow:  " << d.name << " (" << d.nodes.size() << " nodes) on " << plat.name << ", strategy "
              << plan->strategy << ", time scale " << o.time_scale << "\n"
              << "status:    " << actors::to_string(out.status) << (out.error.empty() ? "" : " (" + out.error + ")")
              << "\n"
              << "makespan:  planned " << fmt(planned) << " ms (" << fmt(plan->makespan_ms) << " ms unscaled), actual "
              << fmt(actual) << " ms (" << fmt(wall) << " ms from spawn, planning included)\n"
              << "cost:      planned " << fmt(plan->total_cost, 0) << ", actual " << fmt(actual_cost, 0) << " ("
              << moved << " nodes moved by the balancer)\n"
              << "adaptive:  " << switches << " strategy switches, " << replans << " re-plans moving "
              << replanned << " nodes" << (o.dynamic ? "" : " (dynamic optimization off)") << "\n";
    if (first_plan && first_plan != plan)
      std::cout << "first plan: makespan " << fmt(first_plan->makespan_ms * o.time_scale) << " ms, cost "
                << fmt(first_plan->total_cost, 0) << " (before re-planning)\n";
    std::cout
              << "domains:\n";
    for (std::size_t k = 0; k < plat.domains.size(); ++k)
      std::cout << "  " << plat.domains[k].name << ": " << plat.domains[k].slots << " slots, " << count[k]
                << " nodes, busy " << fmt(busy[k]) << " ms, utilisation "
                << fmt(actual > 0 ? 100.0 * busy[k] / (plat.domains[k].slots * actual) : 0.0) << "%\n";
  }
  return out.status == run_status::succeeded ? 0 : 1;
}

causality::cli::register_command reg{"run", [](CLI::App& app) {
  auto o = std::make_shared<run_options>();
  auto* sub = app.add_subcommand("run", "run a workflow for real on the actor runtime");
  sub->add_option("workflow", o->file, "workflow file (project JSON or WfCommons)")->required();
  sub->add_option("--platform,-p", o->platform_file, "platform file")->required();
  sub->add_option("--strategy,-s", o->strategy, "optimization strategy (default balanced)");
  sub->add_option("--time-scale", o->time_scale, "multiplies node work durations (default 1.0)");
  sub->add_option("--threads", o->threads, "CAF scheduler threads (default: the core count, at least 2)");
  sub->add_option("--priority", o->priority, "workflow priority (default 50)");
  sub->add_option("--format", o->format, "text|json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--gantt", o->gantt_file, "write planned vs actual Gantt chart (SVG) to FILE");
  sub->add_option("--dot", o->dot_file, "write the plan as a Graphviz DOT graph to FILE");
  o->metrics_port_opt =
      sub->add_option("--metrics-port", o->metrics_port, "serve /metrics on 127.0.0.1:N (0: a free port)");
  sub->add_option("--metrics-out", o->metrics_out, "write a final Prometheus metrics snapshot to FILE");
  sub->add_flag("--dynamic", o->dynamic, "adaptive strategy, calibrated models and re-planning");
  return std::function<int()>([o] { return run_workflow(*o); });
}};

}  // namespace
