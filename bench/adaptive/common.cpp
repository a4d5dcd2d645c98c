#include "common.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

namespace bench_adaptive {

void register_timed(causality::runtime& rt, std::shared_ptr<slowdowns> slow) {
  rt.register_node_type("timed", [slow](const causality::value& in,
                                        causality::actors::node_context& ctx) {
    double speed = ctx.domain.speed > 0 ? ctx.domain.speed : 1.0;
    if (slow->finished.load() >= slow->trigger_after)
      slow->factor[slow->trigger_domain].store(slow->trigger_factor);
    auto d = slow->index.find(ctx.domain.name);
    double f = d == slow->index.end() ? 1.0 : slow->factor[d->second].load();
    double ms = static_cast<double>(ctx.spec.resources.cpu_time_ms) / speed * ctx.time_scale * f;
    std::this_thread::sleep_for(std::chrono::duration<double, std::milli>(ms));
    slow->finished.fetch_add(1);
    return in;
  });
}

causality::model::dataflow_definition layered_dag(const std::string& name, std::size_t layers,
                                                  std::size_t width, std::uint64_t lo,
                                                  std::uint64_t hi, unsigned seed) {
  causality::model::dataflow_definition def;
  def.definition_id = name;
  def.name = name;
  std::mt19937 rng(seed);
  for (std::size_t l = 0; l < layers; ++l)
    for (std::size_t i = 0; i < width; ++i) {
      causality::model::dataflow_node n;
      n.node_id = "n" + std::to_string(l) + "_" + std::to_string(i);
      n.name = n.node_id;
      n.node_type = "timed";
      n.resources.cpu_time_ms = lo + rng() % (hi - lo + 1);
      def.nodes.push_back(n);
      if (l == 0) continue;
      std::size_t a = rng() % width, b = rng() % width;
      std::vector<std::size_t> parents{a};
      if (b != a) parents.push_back(b);
      for (std::size_t p : parents) {
        causality::model::dataflow_edge e;
        e.source_node = "n" + std::to_string(l - 1) + "_" + std::to_string(p);
        e.target_node = n.node_id;
        e.edge_id = e.source_node + "->" + e.target_node;
        def.edges.push_back(e);
      }
    }
  return def;
}

causality::model::domain_spec domain(const std::string& name, std::uint32_t slots, double speed,
                                     double cost_factor) {
  causality::model::domain_spec d;
  d.name = name;
  d.slots = slots;
  d.speed = speed;
  d.cost.domain_cost_factor = cost_factor;
  return d;
}

double percentile(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  auto rank = static_cast<std::size_t>(std::ceil(p / 100.0 * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank ? rank - 1 : 0)];
}

void threads_for_sleeping_bodies(causality::runtime_config& cfg) {
  unsigned slots = 0;
  if (cfg.platform)
    for (auto& d : cfg.platform->domains) slots += d.slots;
  cfg.scheduler_threads = std::min(64u, std::max(1u, std::thread::hardware_concurrency()) + slots);
}

}  // namespace bench_adaptive
