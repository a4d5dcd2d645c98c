// Scenario 1: a domain turns 4x slower a third of the way into a 500-node
// workflow. Both runs start from the same plan; the static run keeps it
// (balancer: planned domain only), the adaptive run re-plans what has not
// started once the monitor sees the domain run slower than its model.

#include <cstdio>

#include "common.hpp"
#include "scenarios.hpp"

namespace bench_adaptive {

nlohmann::json slowdown(const options& o) {
  using namespace causality;
  model::platform plat;
  plat.name = "three-equal";
  for (const char* n : {"a", "b", "c"}) plat.domains.push_back(domain(n, 4, 1.0, 1.0));
  const std::size_t layers = o.quick ? 10 : 25, width = 20;
  auto def = layered_dag("slowdown", layers, width, 500, 1500, 7);
  const std::size_t n = def.nodes.size();
  model::initiation_hint hint;
  hint.preferred_strategy_id = "latency";
  strategies::strategy_registry reg;
  auto plan = strategies::make_plan(def, plat, hint, reg);
  if (!plan) {
    row("slowdown", "error", plan.err().message());
    return {{"scenario", "slowdown"}, {"error", plan.err().message()}};
  }
  // Four times the common scale (20-60 ms per node by default): the slowdown
  // must stand out against sleep jitter on a loaded 2-core machine, or the
  // monitor sees "slow" domains that are only descheduled.
  const double scale = 4 * o.time_scale;
  auto run = [&](bool adaptive, std::size_t& replans) -> double {
    runtime_config cfg;
    cfg.platform = plat;
    threads_for_sleeping_bodies(cfg);
    cfg.time_scale = scale;
    cfg.balancer = actors::balancer_policy::planned_only();
    cfg.dynamic.replan = adaptive;
    causality::runtime rt(cfg);
    auto slow = std::make_shared<slowdowns>(plat);
    slow->trigger_after = n / 3;
    slow->trigger_domain = 1;  // "b"
    slow->trigger_factor = 4.0;
    register_timed(rt, slow);
    spawn_options so;
    so.plan = *plan;
    so.keep_outputs = false;
    auto h = rt.spawn(workflow::from_definition(def), hint, so);
    if (!h) throw std::runtime_error(h.err().message());
    h->wait();
    if (h->status() != run_status::succeeded) throw std::runtime_error(h->outcome().error);
    replans = rt.replans();
    return h->elapsed_ms();
  };
  std::size_t static_replans = 0, adaptive_replans = 0;
  double static_ms = run(false, static_replans);
  double adaptive_ms = run(true, adaptive_replans);
  char buf[160];
  std::snprintf(buf, sizeof buf, "%zu nodes, 3 domains x 4 slots, 'b' 4x slower after %zu nodes",
                n, n / 3);
  row("slowdown", "workload", buf);
  std::snprintf(buf, sizeof buf, "%.1f ms (model %.0f ms, time scale %g)", static_ms,
                plan->makespan_ms, scale);
  row("slowdown", "static plan makespan", buf);
  std::snprintf(buf, sizeof buf, "%.1f ms, %zu re-plans", adaptive_ms, adaptive_replans);
  row("slowdown", "adaptive makespan", buf);
  std::snprintf(buf, sizeof buf, "%.2f (target <= 0.70)", adaptive_ms / static_ms);
  row("slowdown", "adaptive / static", buf);
  return {{"scenario", "slowdown"}, {"adaptive_ms", adaptive_ms}, {"static_ms", static_ms}};
}

}  // namespace bench_adaptive
