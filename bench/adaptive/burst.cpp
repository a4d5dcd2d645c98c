// Scenario 2: a burst of 200 workflows, then a trickle. Three runs of the
// same arrivals: cost-minimization only, latency only, and adaptive (hint
// prefers cost-minimization; the monitor switches to latency under load).
// The balancer keeps each node on its planned domain, so the strategy alone
// decides placement.

#include <chrono>
#include <cstdio>
#include <thread>

#include "common.hpp"
#include "scenarios.hpp"

namespace bench_adaptive {
namespace {

struct variant_result {
  std::vector<double> latency_ms;
  double cost = 0;
  std::vector<causality::strategies::strategy_switch> switches;
};

causality::model::dataflow_definition diamond() {
  causality::model::dataflow_definition def;
  def.definition_id = def.name = "diamond";
  for (const char* id : {"a", "b", "c", "d"}) {
    causality::model::dataflow_node n;
    n.node_id = n.name = id;
    n.node_type = "timed";
    n.resources.cpu_time_ms = 1000;
    def.nodes.push_back(n);
  }
  for (auto [s, t] : {std::pair{"a", "b"}, {"a", "c"}, {"b", "d"}, {"c", "d"}}) {
    causality::model::dataflow_edge e;
    e.source_node = s;
    e.target_node = t;
    e.edge_id = std::string(s) + t;
    def.edges.push_back(e);
  }
  return def;
}

}  // namespace

nlohmann::json burst(const options& o) {
  using namespace causality;
  model::platform plat;
  plat.name = "cheap-and-fast";
  plat.domains.push_back(domain("cheap", 4, 1.0, 1.0));
  plat.domains.push_back(domain("fast", 4, 2.0, 4.0));
  const int burst_n = o.quick ? 60 : 200, trickle_n = o.quick ? 10 : 40;
  // Arrival times in model ms: the burst comes twice as fast as the cheap
  // domain alone can serve, the trickle at a tenth of its capacity.
  const double burst_gap = 500, trickle_gap = 10000;
  auto wf = workflow::from_definition(diamond());

  auto run = [&](const std::string& preferred, bool adaptive) {
    runtime_config cfg;
    cfg.platform = plat;
    threads_for_sleeping_bodies(cfg);
    cfg.time_scale = o.time_scale;
    cfg.balancer = actors::balancer_policy::planned_only();
    if (adaptive) {
      auto& d = cfg.dynamic;
      d.adaptive_strategy = true;
      // Averages and dwell on the scale of a few nodes' run time.
      d.tick_ms = 2000 * o.time_scale;
      d.monitor.tau_ms = 10000 * o.time_scale;
      d.monitor.window_ms = 20000 * o.time_scale;
      d.adaptive.min_dwell_ms = 30000 * o.time_scale;
    }
    causality::runtime rt(cfg);
    auto slow = std::make_shared<slowdowns>(plat);
    register_timed(rt, slow);
    model::initiation_hint hint;
    hint.preferred_strategy_id = preferred;
    spawn_options so;
    so.keep_outputs = false;
    std::vector<run_handle> hs;
    auto t0 = std::chrono::steady_clock::now();
    auto at = [&](double model_ms) {
      std::this_thread::sleep_until(t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                             std::chrono::duration<double, std::milli>(model_ms * o.time_scale)));
    };
    double t = 0;
    for (int i = 0; i < burst_n; ++i, t += burst_gap) {
      at(t);
      auto h = rt.spawn(wf, hint, so);
      if (!h) throw std::runtime_error(h.err().message());
      hs.push_back(*h);
    }
    for (int i = 0; i < trickle_n; ++i, t += trickle_gap) {
      at(t);
      auto h = rt.spawn(wf, hint, so);
      if (!h) throw std::runtime_error(h.err().message());
      hs.push_back(*h);
    }
    variant_result r;
    for (auto& h : hs) {
      h.wait();
      if (h.status() != run_status::succeeded) throw std::runtime_error(h.outcome().error);
      r.latency_ms.push_back(h.elapsed_ms());
      if (auto p = h.plan()) r.cost += p->total_cost;
    }
    r.switches = rt.strategy_switches();
    return r;
  };
  auto cost_only = run("cost-minimization", false);
  auto latency_only = run("latency", false);
  auto adaptive = run("cost-minimization", true);

  char buf[200];
  std::snprintf(buf, sizeof buf, "%d diamonds (4 nodes) every %.0f model ms, then %d every %.0f",
                burst_n, burst_gap, trickle_n, trickle_gap);
  row("burst", "arrivals", buf);
  for (const auto& s : adaptive.switches) {
    std::snprintf(buf, sizeof buf, "t=%.0f ms %s -> %s (%s)", s.time_ms, s.from.c_str(),
                  s.to.c_str(), s.reason.c_str());
    row("burst", "switch", buf);
  }
  auto line = [&](const char* name, const variant_result& r) {
    std::snprintf(buf, sizeof buf, "cost %.0f, p50 %.1f ms, p99 %.1f ms", r.cost,
                  percentile(r.latency_ms, 50), percentile(r.latency_ms, 99));
    row("burst", name, buf);
  };
  line("cost-minimization only", cost_only);
  line("latency only", latency_only);
  line("adaptive", adaptive);
  double saved = latency_only.cost > 0 ? 1 - adaptive.cost / latency_only.cost : 0;
  std::snprintf(buf, sizeof buf, "%.1f %% of latency-only's cost", 100 * saved);
  row("burst", "cost saved", buf);
  return {{"scenario", "burst"},
          {"switches", adaptive.switches.size()},
          {"cost_saved_fraction", saved},
          {"p50_ms_adaptive", percentile(adaptive.latency_ms, 50)},
          {"p99_ms_adaptive", percentile(adaptive.latency_ms, 99)},
          {"p50_ms_cost_only", percentile(cost_only.latency_ms, 50)},
          {"p99_ms_cost_only", percentile(cost_only.latency_ms, 99)},
          {"p99_ms_latency_only", percentile(latency_only.latency_ms, 99)}};
}

}  // namespace bench_adaptive
