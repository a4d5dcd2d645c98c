// Balancing policies side by side: a burst of workflows whose nodes may run
// on a slow or a three times faster domain, plus nodes pinned to the fast
// one (demand the balancer cannot move). Same arrivals for round-robin,
// least-loaded and predictive (queue + forecast arrivals, by slots and speed).

#include <chrono>
#include <cstdio>
#include <thread>

#include "common.hpp"
#include "scenarios.hpp"

namespace bench_adaptive {
namespace {

causality::model::dataflow_definition fan(std::size_t flexible, std::size_t pinned) {
  causality::model::dataflow_definition def;
  def.definition_id = def.name = "fan";
  for (std::size_t i = 0; i < flexible + pinned; ++i) {
    causality::model::dataflow_node n;
    n.node_id = n.name = "w" + std::to_string(i);
    n.node_type = "timed";
    n.resources.cpu_time_ms = 1000;
    if (i >= flexible) n.domain = "fast";
    def.nodes.push_back(n);
  }
  return def;
}

}  // namespace

nlohmann::json balancing(const options& o) {
  using namespace causality;
  model::platform plat;
  plat.name = "slow-and-fast";
  plat.domains.push_back(domain("slow", 4, 1.0, 1.0));
  plat.domains.push_back(domain("fast", 4, 3.0, 1.0));
  const int workflows = o.quick ? 15 : 40;
  auto wf = workflow::from_definition(fan(6, 2));
  nlohmann::json out{{"scenario", "balancing"}};
  for (const char* name : {"round-robin", "least-loaded", "predictive"}) {
    runtime_config cfg;
    cfg.platform = plat;
    threads_for_sleeping_bodies(cfg);
    cfg.time_scale = o.time_scale;
    cfg.balancer = *strategies::balancer_policy::by_name(name);
    cfg.dynamic.forecast.bucket_ms = 500 * o.time_scale;
    cfg.dynamic.forecast_horizon_ms = 1000 * o.time_scale;
    causality::runtime rt(cfg);
    auto slow = std::make_shared<slowdowns>(plat);
    register_timed(rt, slow);
    spawn_options so;
    so.keep_outputs = false;
    std::vector<run_handle> hs;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < workflows; ++i) {
      std::this_thread::sleep_until(
          t0 + std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                   std::chrono::duration<double, std::milli>(i * 100.0 * o.time_scale)));
      auto h = rt.spawn(wf, {}, so);
      if (!h) throw std::runtime_error(h.err().message());
      hs.push_back(*h);
    }
    std::vector<double> lat;
    for (auto& h : hs) {
      h.wait();
      if (h.status() != run_status::succeeded) throw std::runtime_error(h.outcome().error);
      lat.push_back(h.elapsed_ms());
    }
    double makespan =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    char buf[160];
    std::snprintf(buf, sizeof buf, "makespan %.1f ms, p50 %.1f ms, p99 %.1f ms", makespan,
                  percentile(lat, 50), percentile(lat, 99));
    row("balancing", name, buf);
    std::string key = name;
    for (auto& c : key)
      if (c == '-') c = '_';
    out[key + "_makespan_ms"] = makespan;
    out[key + "_p99_ms"] = percentile(lat, 99);
  }
  return out;
}

}  // namespace bench_adaptive
