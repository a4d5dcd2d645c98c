// `causality run WORKFLOW --platform P [--strategy S] [--time-scale X]`:
// plans and runs a workflow for real on the actor runtime (WfCommons tasks
// become `work` nodes), then prints planned versus actual makespan, cost and
// per-domain utilisation. A progress bar on a terminal, plain lines otherwise.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/observe/log.hpp"
#include "causality/runtime/runtime.hpp"
#include "causality/strategies/cost.hpp"
#include "cli_logging.hpp"
#include "command.hpp"
#include "causality/domains/remote.hpp"
#include "observe_out.hpp"
#include "plan_file.hpp"
#include "planning_options.hpp"
#include "run_inputs.hpp"

namespace {

struct run_options {
  std::string file;
  std::string platform_file;
  causality::cli::planning_options planning;  ///< the flags `plan` takes too
  std::string plan_file;                      ///< --plan: run this plan, do not plan
  std::string token_file;                     ///< --token-file for remote domains
  std::vector<std::string> inputs;            ///< --input key=value (repeatable)
  std::string inputs_file, output_file;       ///< --inputs FILE.json, --output FILE
  double time_scale = 1.0;
  unsigned threads = 0;
  std::string format = "text";
  // Observability (docs/observability.md) and dynamic optimization (docs/dynamic.md).
  std::string gantt_file, dot_file, metrics_out;
  std::uint16_t metrics_port = 0;
  CLI::Option* metrics_port_opt = nullptr;
  bool dynamic = false;
};

// SIGINT / SIGTERM: the first asks the run to cancel (the main loop sees the
// count and calls cancel(); the summary and the requested files follow, exit
// 130); the second exits at once. Only a lock-free atomic and write/_exit
// in the handler (async-signal-safe), whichever thread receives it.
std::atomic<int> interrupts{0};
std::atomic<int> first_signal{0};
static_assert(std::atomic<int>::is_always_lock_free);

extern "C" void on_interrupt(int sig) {
  if (interrupts.fetch_add(1) == 0) {
    first_signal.store(sig);
    static const char msg[] = "causality: interrupted: cancelling the run (again to exit at once)\n";
    (void)!::write(2, msg, sizeof msg - 1);
    return;
  }
  static const char msg[] = "causality: interrupted again: exiting now\n";
  (void)!::write(2, msg, sizeof msg - 1);
  ::_exit(causality::cli::exit_interrupted);
}

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_interrupt;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

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
  catch_interrupts();
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
  auto in = cli::resolve_planning(o.planning, &*cfg->platform);
  if (!in) return cli::fail(in.err().message());
  spawn_options so;
  auto inputs = cli::build_inputs(o.inputs, o.inputs_file, def->input_schema);
  if (!inputs) return cli::fail(inputs.err().message());
  so.inputs = std::move(*inputs);
  if (!o.plan_file.empty()) {
    const auto& po = o.planning;
    if (!po.strategy.empty() || !po.weights.empty() || !po.strategies_file.empty() || !po.domain_order.empty() ||
        po.budget_opt->count() || po.prefer_parallel)
      return cli::fail("--plan: the plan is given, so --strategy, --weights, --strategies, --budget, "
                       "--domain-order and --prefer-parallel do not apply (drop them, or plan again)");
    auto p = cli::load_plan_file(o.plan_file, *def, *cfg->platform);
    if (!p) return cli::fail(p.err().message());
    so.plan = std::move(*p);
  }
  if (!o.token_file.empty()) {
    auto tok = domains::remote::load_token(o.token_file);
    if (!tok) return cli::fail(tok.err().message());
    cfg->cluster_token = *tok;
  }
  auto lg = observe::logger("cli");
  lg->debug("{}: {} nodes, {} edges; platform {}: {} domains", o.file, def->nodes.size(), def->edges.size(),
            cfg->platform ? cfg->platform->name : "local", cfg->platform ? cfg->platform->domains.size() : 0);
  // The constructor connects remote domains: an unreachable endpoint or a
  // refused token is an operational failure, reported as such.
  std::optional<runtime> rt_holder;
  try {
    rt_holder.emplace(*cfg);
  } catch (const std::exception& e) {
    return cli::fail(std::string("cannot start the runtime: ") + e.what());
  }
  runtime& rt = *rt_holder;
  auto wf = workflow::from_definition(std::move(*def));
  for (auto& st : in->user)
    if (auto bad = rt.add_strategy(st)) return cli::fail(bad->message());
  auto hint = in->hint;
  const bool given_plan = so.plan.has_value();
  auto run = rt.spawn(wf, hint, std::move(so));
  if (!run) {
    auto e = run.err();
    if (e.file.empty())
      e.file = e.path.rfind("/hint", 0) == 0   ? std::string("--strategy")
               : e.path.rfind("/plan", 0) == 0 ? o.plan_file
                                               : o.file;
    return cli::fail(e.message());
  }
  lg->info("run {} started: {} on {}, {}", run->id(), wf.definition().name, rt.platform().name,
           given_plan ? "plan " + o.plan_file : "strategy " + hint.preferred_strategy_id);
  bool show = o.format == "text" && !cli::global_log_flags().quiet;
  bool cancelled = false;
  auto cancel_if_interrupted = [&] {
    if (!cancelled && interrupts.load() > 0) {
      cancelled = true;
      lg->info("run {}: interrupted by signal {}, cancelling", run->id(), first_signal.load());
      run->cancel();
    }
  };
  // The first plan, to count the nodes a re-plan moved.
  while (!run->plan() && !run->wait_for(std::chrono::milliseconds(2))) cancel_if_interrupted();
  auto first_plan = run->plan();
  if (!first_plan) show = false;  // planning failed (or was cancelled): one error line, no progress
  if (first_plan && lg->should_log(spdlog::level::trace))
    for (std::size_t i = 0; i < first_plan->assignments.size(); ++i) {
      auto& a = first_plan->assignments[i];
      lg->trace("plan: node {} on {} from {:.1f} to {:.1f} ms", wf.definition().nodes[a.node].node_id,
                rt.platform().domains[a.domain].name, a.start_ms, a.finish_ms);
    }
  bool tty = isatty(fileno(stderr));
  auto last = run->progress();
  if (show) draw(last, tty);
  // Woken every 100 ms to see a signal; plain lines at most once a second.
  auto last_line = std::chrono::steady_clock::now();
  while (!run->wait_for(std::chrono::milliseconds(100))) {
    cancel_if_interrupted();
    auto p = run->progress();
    auto now = std::chrono::steady_clock::now();
    if (!tty && now - last_line < std::chrono::seconds(1)) continue;
    lg->trace("run {}: {} done, {} running, {} pending", run->id(), p.done, p.running, p.pending);
    if (show && (tty || p.done != last.done)) {
      draw(p, tty);
      last_line = now;
    }
    last = p;
  }
  cancel_if_interrupted();
  const int failed_exit = interrupts.load() > 0 ? cli::exit_interrupted : 1;
  if (show) {
    draw(run->progress(), tty);
    if (tty) std::fputc('\n', stderr);
  }
  auto& out = run->outcome();
  // The sinks' outputs, also after a failure or an interrupt (what there is).
  if (!o.output_file.empty() && !cli::write_outputs(o.output_file, out.outputs)) return 1;
  if (out.status == run_status::succeeded)
    lg->info("run {} succeeded after {:.1f} ms", run->id(), run->elapsed_ms());
  else
    lg->info("run {} {}: {}", run->id(), actors::to_string(out.status), out.error);  // the summary says it too
  auto plan = run->plan();
  if (!plan) {
    cli::fail(out.error);
    return failed_exit;
  }
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
  return out.status == run_status::succeeded ? 0 : failed_exit;
}

causality::cli::register_command reg{"run", [](CLI::App& app) {
  auto o = std::make_shared<run_options>();
  auto* sub = app.add_subcommand("run", "run a workflow for real on the actor runtime");
  sub->add_option("workflow", o->file, "workflow file (project JSON or WfCommons)")->required();
  sub->add_option("--platform,-p", o->platform_file, "platform file")->required();
  causality::cli::add_planning_options(*sub, o->planning);
  sub->add_option("--input", o->inputs,
                  "workflow input KEY=VALUE, typed by the workflow's input_schema (repeatable)");
  sub->add_option("--inputs", o->inputs_file, "workflow inputs: a JSON object in FILE (--input overrides)");
  sub->add_option("--output", o->output_file, "write the sinks' outputs (sink id -> output) as JSON to FILE");
  sub->add_option("--plan", o->plan_file, "run the plan in FILE (printed by `causality plan --format json`) instead of planning");
  sub->add_option("--time-scale", o->time_scale, "multiplies node work durations, >= 0 (default 1.0)")
      ->check(CLI::Range(0.0, 1e9));
  sub->add_option("--threads", o->threads, "CAF scheduler threads, 0..256 (default 0: cores + slots, at most 64)")
      ->check(CLI::Range(0u, 256u));
  sub->add_option("--token-file", o->token_file,
                  "cluster token for remote domains (mode 600); else CAUSALITY_TOKEN");
  sub->add_option("--format", o->format, "text|json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--gantt", o->gantt_file, "write planned vs actual Gantt chart (SVG) to FILE");
  sub->add_option("--dot", o->dot_file, "write the plan as a Graphviz DOT graph to FILE");
  o->metrics_port_opt =
      sub->add_option("--metrics-port", o->metrics_port, "serve /metrics on 127.0.0.1:N, 0..65535 (0: a free port)")
          ->check(CLI::Range(0, 65535));
  sub->add_option("--metrics-out", o->metrics_out, "write a final Prometheus metrics snapshot to FILE");
  sub->add_flag("--dynamic", o->dynamic, "adaptive strategy, calibrated models and re-planning");
  return std::function<int()>([o] { return run_workflow(*o); });
}};

}  // namespace
