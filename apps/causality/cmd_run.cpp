// `causality run WORKFLOW [--platform P] [--strategy S] [--time-scale X]`:
// plans and runs a workflow for real on the actor runtime (WfCommons tasks
// become `work` nodes), then prints planned versus actual makespan, cost and
// per-domain utilisation. A progress bar on a terminal, plain lines otherwise.
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/observe/log.hpp"
#include "causality/runtime/runtime.hpp"
#include "cli_logging.hpp"
#include "command.hpp"
#include "suggest.hpp"
#include "causality/domains/builtins.hpp"
#include "causality/domains/plugin.hpp"
#include "causality/domains/remote.hpp"
#include "flag_checks.hpp"
#include "interrupts.hpp"
#include "learned.hpp"
#include "observe_out.hpp"
#include "plan_file.hpp"
#include "planning_options.hpp"
#include "run_inputs.hpp"
#include "run_policies.hpp"
#include "run_report.hpp"
#include "causality/observe/observers.hpp"

namespace {

struct run_options {
  std::string file;
  std::string platform_file;
  causality::cli::planning_options planning;  ///< the flags `plan` takes too
  causality::cli::policy_flags policies;      ///< --retries, --node-timeout-ms, ...
  std::string plan_file;                      ///< --plan: run this plan, do not plan
  std::string token_file;                     ///< --token-file for remote domains
  bool remote_optional = false;               ///< --remote-optional
  bool strict_platform = false;               ///< --strict-platform
  std::vector<std::string> plugins;           ///< --node-types LIB.so (repeatable)
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
  causality::cli::learned_options learned;  ///< --learn, --models DIR
  std::string explain_node;  ///< --explain=NODE; empty with a bare --explain: every node
  CLI::Option* explain_opt = nullptr;
};

/// --explain: NODE's explanation, or every node's (notable ones first, at
/// most 200); node id -> text. nullopt after an error line (unknown node).
std::optional<nlohmann::ordered_json> explanations(const causality::run_handle& run, const causality::observe::run_summary& s,
                                           const std::string& node) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();  // notable nodes first, as found
  if (!node.empty()) {
    auto e = run.explain(node);  // the id was checked before the run
    out[node] = e ? *e : std::string();
    return out;
  }
  for (int pass = 0; pass < 2; ++pass)
    for (auto& n : s.nodes) {
      if (out.size() >= 200) break;
      bool notable = n.status != "succeeded" || n.domain != n.planned_domain || n.attempts > 1;
      if ((pass == 0) == notable && !out.contains(n.node)) out[n.node] = *run.explain(n.node);
    }
  return out;
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
  // The debug lines mark the states a signal may interrupt (tests wait for them).
  auto lg = observe::logger("cli");
  lg->debug("reading workflow {}", o.file);
  // Read once (the workflow may be standard output of another process: `-`).
  auto text = model::read_text_file(o.file);
  if (!text) return cli::fail(text.err().message());
  auto j = model::parse_json(*text, o.file);
  if (!j) return cli::fail(j.err().message());
  text->clear();
  text->shrink_to_fit();
  auto def = model::workflow_from_json(*j, o.file);
  if (!def) return cli::fail(def.err().message());
  const bool wfcommons = j->is_object() && j->contains("workflow");
  *j = nullptr;  // the definition holds what is needed
  if (o.explain_opt->count() && !o.explain_node.empty()) {
    std::vector<std::string> ids;
    for (auto& n : def->nodes) ids.push_back(n.node_id);
    if (std::find(ids.begin(), ids.end(), o.explain_node) == ids.end())
      return cli::fail("--explain: no node '" + o.explain_node + "' in " + o.file + cli::did_you_mean(o.explain_node, ids));
  }
  std::vector<std::string> file_types;  // the file's task types, for the pictures
  for (auto& n : def->nodes) file_types.push_back(n.node_type);
  if (wfcommons)
    for (auto& n : def->nodes) n.node_type = "work";  // WfCommons tasks run as busy CPU
  auto plat = cli::platform_or_local(o.platform_file, cli::global_log_flags().quiet);
  if (!plat) return cli::fail(plat.err().message());
  std::optional<runtime_config> cfg(std::in_place);
  cfg->platform = std::move(*plat);
  if (!(o.time_scale >= 0)) return cli::fail("--time-scale: must be a number >= 0");
  cfg->time_scale = o.time_scale;
  cfg->scheduler_threads = o.threads;
  cli::cli_metrics metrics;
  cfg->observers.push_back(std::make_shared<observe::metrics_observer>(*metrics.series(), *cfg->platform));
  if (o.metrics_port_opt->count() && metrics.serve(o.metrics_port)) return 1;
  if (o.dynamic) {
    cfg->dynamic.adaptive_strategy = true;
    cfg->dynamic.calibrate = true;
    cfg->dynamic.replan = true;
  }
  if (auto f = cli::learned_file(o.learned)) {
    // Learned durations: read before planning, this run's added at shutdown.
    std::error_code ec;
    std::filesystem::create_directories(std::filesystem::path(*f).parent_path(), ec);
    if (ec) {
      std::cerr << "causality: warning: --learn: cannot create " << std::filesystem::path(*f).parent_path().string()
                << ": " << ec.message() << "; running without learned durations\n";
    } else {
      (void)cli::load_history(*f);  // a bad file is set aside with a warning
      cfg->dynamic.calibrate = true;
      cfg->dynamic.perf_model_file = *f;
    }
  }
  auto in = cli::resolve_planning(o.planning, &*cfg->platform);
  if (!in) return cli::fail(in.err().message());
  spawn_options so;
  auto inputs = cli::build_inputs(o.inputs, o.inputs_file, def->input_schema);
  if (!inputs) return cli::fail(inputs.err().message());
  so.inputs = std::move(*inputs);
  cli::apply_policy_flags(o.policies, def->policies, so);
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
  cfg->remote_optional = o.remote_optional;
  cfg->strict_platform = o.strict_platform;
  if (!o.token_file.empty()) {
    auto tok = domains::remote::load_token(o.token_file);
    if (!tok) return cli::fail(tok.err().message());
    cfg->cluster_token = *tok;
  }
  lg->debug("{}: {} nodes, {} edges; platform {}: {} domains", o.file, def->nodes.size(), def->edges.size(),
            cfg->platform ? cfg->platform->name : "local", cfg->platform ? cfg->platform->domains.size() : 0);
  // Plugins first: a bad one is refused before any server is contacted.
  std::map<std::string, domains::node_fn> plugin_types;
  for (auto& lib : o.plugins) {
    auto taken = domains::builtin_node_types();
    taken.insert(plugin_types.begin(), plugin_types.end());
    auto types = domains::load_plugin(lib, taken);
    if (!types) return cli::fail("--node-types " + types.err().message());
    plugin_types.merge(*types);
  }
  // The constructor connects remote domains: an unreachable endpoint or a
  // refused token is an operational failure, reported as such.
  std::optional<runtime> rt_holder;
  lg->debug("setting up the runtime");
  try {
    rt_holder.emplace(*cfg);
  } catch (const std::exception& e) {
    return cli::fail(std::string("cannot start the runtime: ") + e.what());
  }
  runtime& rt = *rt_holder;
  for (auto& [name, fn] : plugin_types) rt.register_node_type(name, fn);
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
  cli::run_started();  // from here a signal cancels the run (interrupts.hpp)
  lg->info("run {} started: {} on {}, {}", run->id(), wf.definition().name, rt.platform().name,
           given_plan ? "plan " + o.plan_file : "strategy " + hint.preferred_strategy_id);
  bool show = o.format == "text" && !cli::global_log_flags().quiet;
  bool cancelled = false;
  auto cancel_if_interrupted = [&] {
    if (!cancelled && cli::interrupted() > 0) {
      cancelled = true;
      lg->info("run {}: interrupted by signal {}, cancelling", run->id(), cli::first_interrupt_signal());
      run->cancel();
    }
  };
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
  const int failed_exit = cli::interrupted() > 0 ? cli::exit_interrupted : 1;
  if (show) {
    draw(run->progress(), tty);
    if (tty) std::fputc('\n', stderr);
  }
  auto& out = run->outcome();
  lg->debug("run {}: writing the requested files and the summary", run->id());
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
  const auto sum = run->summary();  // every figure below comes from the runtime's summary
  if (!o.metrics_out.empty() && metrics.write_snapshot(o.metrics_out)) return 1;
  if (!o.gantt_file.empty() || !o.dot_file.empty()) {
    // Plan times are unscaled model ms: scale them so planned and actual share one axis.
    auto drawn = *plan;
    double k = o.time_scale > 0 ? o.time_scale : 1.0;
    for (auto& a : drawn.assignments) a.start_ms *= k, a.finish_ms *= k;
    drawn.makespan_ms *= k;
    double first_start = 1e300;
    for (auto& n : sum.nodes)
      if (!n.domain.empty()) first_start = std::min(first_start, n.start_ms);
    std::vector<std::optional<observe::node_span>> actual(sum.nodes.size());
    for (std::size_t i = 0; i < sum.nodes.size(); ++i)
      if (!sum.nodes[i].domain.empty())
        actual[i] = observe::node_span{sum.nodes[i].start_ms - first_start, sum.nodes[i].finish_ms - first_start};
    auto shown = wf.definition();  // coloured by the file's task types, not the `work` they ran as
    for (std::size_t i = 0; i < shown.nodes.size() && i < file_types.size(); ++i)
      shown.nodes[i].node_type = file_types[i];
    if (cli::write_plan_files(shown, rt.platform(), drawn, o.dot_file, o.gantt_file, std::move(actual))) return 1;
  }
  // With --output - the outputs own standard output; the report goes to standard error.
  std::ostream& report = o.output_file == "-" ? std::cerr : std::cout;
  if (o.format == "json") {
    auto js = cli::run_json(sum, o.time_scale);
    cli::add_attempt_errors(js, run->results());
    if (o.explain_opt->count()) {
      auto ex = explanations(*run, sum, o.explain_node);
      if (!ex) return 1;
      js["explain"] = std::move(*ex);
    }
    report << js.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  } else {
    cli::print_run_text(sum, o.time_scale, o.dynamic, report);
    const auto results = run->results();
    cli::print_attempt_errors(results, report);
    cli::print_stderr_tails(results, report);
    if (o.explain_opt->count()) {
      auto ex = explanations(*run, sum, o.explain_node);
      if (!ex) return 1;
      report << "why:\n";
      for (auto& [node, text] : ex->items()) report << text.get<std::string>();
    }
  }
  return out.status == run_status::succeeded ? 0 : failed_exit;
}

causality::cli::register_command reg{"run", [](CLI::App& app) {
  auto o = std::make_shared<run_options>();
  auto* sub = app.add_subcommand("run", "run a workflow for real on the actor runtime");
  sub->add_option("workflow", o->file, "workflow file (project JSON or WfCommons)")->required();
  sub->add_option("--platform,-p", o->platform_file, "platform file (default: this machine's local platform, said on stderr)");
  causality::cli::add_planning_options(*sub, o->planning);
  causality::cli::add_policy_flags(*sub, o->policies);
  sub->add_option("--input", o->inputs,
                  "workflow input KEY=VALUE, typed by the workflow's input_schema (repeatable)");
  sub->add_option("--inputs", o->inputs_file, "workflow inputs: a JSON object in FILE (--input overrides)");
  sub->add_option("--output", o->output_file,
                  "write the sinks' outputs (sink id -> output) as JSON to FILE (- : standard output)");
  sub->add_option("--plan", o->plan_file, "run the plan in FILE (printed by `causality plan --format json`) instead of planning");
  sub->add_option("--time-scale", o->time_scale, "multiplies node work durations, 0..1e9 (default 1.0)")
      ->check(causality::cli::number_in(0, causality::cli::flag_limits::max_time_scale));
  sub->add_option("--threads", o->threads, "CAF scheduler threads, 0..256 (default 0: cores + slots, at most 64)")
      ->check(causality::cli::whole_in(0, causality::cli::flag_limits::max_threads));
  sub->add_option("--token-file", o->token_file,
                  "cluster token for remote domains (mode 600); else CAUSALITY_TOKEN");
  sub->add_option("--node-types", o->plugins,
                  "load node types from a plugin LIB.so (repeatable; examples/plugin/, docs/runtime.md \"Plugins\")");
  sub->add_flag("--remote-optional", o->remote_optional,
                "a remote domain that does not answer at start is a warning: run on the others and admit it when it "
                "answers (default: an error)");
  sub->add_flag("--strict-platform", o->strict_platform,
                "a remote server whose speed, slots or kind differ from the platform file is an error (default: a "
                "warning naming both values)");
  sub->add_option("--format", o->format, "text|json")->check(CLI::IsMember({"text", "json"}));
  sub->add_option("--gantt", o->gantt_file, "write planned vs actual Gantt chart (SVG) to FILE");
  sub->add_option("--dot", o->dot_file, "write the plan as a Graphviz DOT graph to FILE");
  o->metrics_port_opt =
      sub->add_option("--metrics-port", o->metrics_port, "serve /metrics on 127.0.0.1:N, 0..65535 (0: a free port)")
          ->check(causality::cli::whole_in(0, 65535));
  sub->add_option("--metrics-out", o->metrics_out, "write a final Prometheus metrics snapshot to FILE");
  sub->add_flag("--dynamic", o->dynamic, "adaptive strategy, calibrated models and re-planning");
  causality::cli::add_learned_options(*sub, o->learned, true);
  o->explain_opt = sub->add_option("--explain", o->explain_node,
                                   "after the run, say why NODE ran where it ran (bare --explain: every node)")
                       ->expected(0, 1);
  return std::function<int()>([o] { return run_workflow(*o); });
}};

}  // namespace
