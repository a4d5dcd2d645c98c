#include "planning_options.hpp"

#include <cstdlib>
#include <iostream>
#include <algorithm>
#include <limits>
#include <sstream>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "causality/domains/platform.hpp"
#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"
#include "flag_checks.hpp"
#include "suggest.hpp"

namespace causality::cli {

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ','))
    if (!item.empty()) out.push_back(item);
  return out;
}

std::string weights_violation(const std::string& text) {
  auto w = split_list(text);
  if (w.size() != 3 || text.find(",,") != std::string::npos)
    return "expected PRIORITY,LATENCY,COST: three numbers, each from 0 to 100";
  static const char* names[] = {"priority", "latency", "cost"};
  double sum = 0;
  for (std::size_t i = 0; i < 3; ++i) {
    if (auto bad = number_violation(w[i], 0, flag_limits::max_weight); !bad.empty())
      return std::string("the ") + names[i] + " weight " + bad;
    sum += std::strtod(w[i].c_str(), nullptr);
  }
  if (!(sum > 0)) return "the weights must not all be 0, got '" + text + "'";
  return {};
}

void add_planning_options(CLI::App& sub, planning_options& o) {
  sub.add_option("--strategy,-s", o.strategy,
                 "capital-efficiency | latency | cost-minimization | balanced (default) | user-defined");
  sub.add_option("--weights", o.weights,
                 "PRIORITY,LATENCY,COST weights (a custom strategy): each 0..100, sum > 0")
      ->check(CLI::Validator([](std::string& s) { return weights_violation(s); }, "P,L,C"));
  o.priority_opt = sub.add_option("--priority", o.priority, "workflow priority, a whole number 0..100 (default 50)")
                       ->check(whole_in(0, flag_limits::max_priority));
  o.budget_opt = sub.add_option("--budget", o.budget, "cost budget (hard), a whole number 0..1e18")
                     ->check(whole_in(0, flag_limits::max_budget));
  o.latency_opt = sub.add_option("--max-latency", o.max_latency, "max makespan in ms (hard), a whole number 1..1e12")
                      ->check(whole_in(1, flag_limits::max_latency_ms));
  o.stretch_opt = sub.add_option("--stretch", o.stretch,
                                 "longest makespan the trade-off considers, times the fastest plan's "
                                 "(cost-minimization: the cheapest plan within it), a number 1..1000 (default 3)")
                      ->check(number_in(flag_limits::min_stretch, flag_limits::max_stretch));
  sub.add_flag("--prefer-parallel", o.prefer_parallel, "spread independent nodes");
  sub.add_option("--domain-order", o.domain_order, "preferred domains or kinds, a,b,...");
  sub.add_option("--strategies", o.strategies_file, "JSON file of user-defined strategies");
  sub.add_option("--hint", o.hint_file,
                 "initiation hint JSON (resource_constraints etc.); flags override it");
}

namespace {

/// --weights "P,L,C": a strategy named by --strategy (or "custom").
model::status apply_weights(const planning_options& o, planning_input& in) {
  auto w = split_list(o.weights);
  double v[3];
  bool ok = w.size() == 3;
  for (std::size_t i = 0; ok && i < 3; ++i) {
    char* end = nullptr;
    v[i] = std::strtod(w[i].c_str(), &end);
    ok = end && *end == '\0';
  }
  if (!ok)
    return model::error{"", "--weights", "expected PRIORITY,LATENCY,COST numbers, got '" +
                                             o.weights + "'"};
  const std::string name = o.strategy.empty() ? "custom" : o.strategy;
  model::optimization_strategy s{name, "weights from the command line", v[0], v[1], v[2]};
  if (auto bad = in.registry.add(s)) {
    bad->path = "--weights";
    return bad;
  }
  in.user.push_back(s);
  in.hint.preferred_strategy_id = name;
  return std::nullopt;
}

model::expected<nlohmann::json> read_json(const std::string& file) {
  auto text = model::read_text_file(file);
  if (!text) return text.err();
  return model::parse_json(*text, file);
}

}  // namespace

model::expected<model::platform> platform_or_local(const std::string& file, bool quiet) {
  if (!file.empty()) return model::load_platform_file(file);
  auto p = domains::local_platform();
  if (!quiet) {
    std::string doms;
    for (auto& d : p.domains)
      doms += (doms.empty() ? "" : ", ") + d.name + ": " + std::to_string(d.slots) + (d.slots == 1 ? " slot" : " slots");
    std::cerr << "causality: no --platform: using this machine's platform '" << p.name << "' (" << doms << ")\n";
  }
  return p;
}

model::expected<planning_input> resolve_planning(const planning_options& o,
                                                 const model::platform* plat) {
  planning_input in;
  if (!o.strategies_file.empty()) {
    auto j = read_json(o.strategies_file);
    if (!j) return j.err();
    strategies::strategy_registry before = in.registry;
    if (auto bad = strategies::add_strategies_from_json(in.registry, *j, o.strategies_file)) return *bad;
    for (auto& n : in.registry.names())
      if (auto s = in.registry.find(n); s && (!before.find(n) || !(*before.find(n) == *s)))
        in.user.push_back(*s);
  }
  if (!o.hint_file.empty()) {
    auto j = read_json(o.hint_file);
    if (!j) return j.err();
    auto h = model::hint_from_json(*j, o.hint_file);
    if (!h) return h.err();
    in.hint = *h;
  }
  if (!o.strategy.empty()) in.hint.preferred_strategy_id = o.strategy;
  if (!o.weights.empty())
    if (auto bad = apply_weights(o, in)) return *bad;
  if (o.priority_opt && o.priority_opt->count()) in.hint.priority = o.priority;
  if (o.budget_opt && o.budget_opt->count()) in.hint.cost_budget = o.budget;
  if (o.latency_opt && o.latency_opt->count()) in.hint.max_latency_ms = o.max_latency;
  if (o.stretch_opt && o.stretch_opt->count()) in.hint.makespan_stretch = o.stretch;
  if (o.prefer_parallel) in.hint.prefer_parallel_execution = true;
  if (!o.domain_order.empty()) in.hint.domain_preference_order = split_list(o.domain_order);
  if (!in.registry.find(in.hint.preferred_strategy_id)) {
    const auto& name = in.hint.preferred_strategy_id;
    return model::error{"", "--strategy",
                        "unknown strategy '" + name + "'" +
                            did_you_mean(name, in.registry.names()) + " (known: " +
                            join(in.registry.names()) + ")"};
  }
  if (plat)
    if (auto bad = model::validate_domain_order(in.hint, *plat, "")) return model::error{"", "--domain-order", bad->reason};
  return in;
}

}  // namespace causality::cli
