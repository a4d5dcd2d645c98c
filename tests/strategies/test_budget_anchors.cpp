// Budgets at or ahead of the references (issue 21): at six budget points
// between the cheapest plan and the fastest, the fastest plan the planner
// finds within the budget is no slower than the best of the independent
// anchors of bench/plan_quality (HBCS, BHEFT, LOSS, subset-HEFT), over
// generated workflows (fractional durations) on generated platforms with a
// tiny cheap domain and a fast dear one.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <random>

#include "anchors.hpp"
#include "causality/strategies/planner.hpp"
#include "checker.hpp"
#include "gen.hpp"

using namespace causality;

namespace {

/// A tiny cheap domain (2 slots, speed 0.7), a 16-slot one 1.5x dearer and
/// 1-2 fast dear ones; fractional speeds.
model::platform tiny_cheap_fast_dear(std::uint32_t seed) {
  std::mt19937 g(seed);
  std::uniform_real_distribution<double> u(0.0, 1.0);
  model::platform p;
  p.name = "tiny-cheap-" + std::to_string(seed);
  auto dom = [&](const char* name, std::uint32_t slots, double speed, double factor) {
    model::domain_spec d;
    d.name = name;
    d.slots = slots;
    d.speed = speed;
    d.cost.domain_cost_factor = factor;
    d.security_level = 3;  // every generated node fits: the prices decide
    d.memory_bytes = 16ull << 30;
    d.capabilities = {"zk"};
    p.domains.push_back(d);
  };
  dom("tiny", 2, 0.7, 1.0);
  dom("wide", 16, 1.0, 1.5);
  dom("fast", 2 + g() % 4, 2.5 + 2 * u(g), 4 + 4 * u(g));
  if (g() % 2) dom("faster", 1 + g() % 2, 5 + 3 * u(g), 9 + 6 * u(g));
  return p;
}

model::dataflow_definition fractional(std::uint32_t seed, std::size_t n) {
  auto def = test::random_workflow(seed, n);
  for (std::size_t v = 0; v < def.nodes.size(); ++v)
    def.nodes[v].resources.cpu_time_ms += 0.375 + 0.001 * static_cast<double>((v * 53 + seed) % 991);
  return def;
}

}  // namespace

TEST_CASE("within a budget the plan is no slower than the best anchor", "[planner][budget][property]") {
  const std::uint32_t seed = GENERATE(range(2100u, 2140u));
  const auto def = fractional(seed, 6 + seed % 30);
  const auto plat = seed % 2 ? tiny_cheap_fast_dear(seed) : test::random_platform(seed);
  strategies::strategy_registry reg;
  REQUIRE_FALSE(reg.add({"latency-only", "", 0, 1, 0}));
  model::initiation_hint h;
  h.preferred_strategy_id = "latency-only";
  auto fast = strategies::make_plan(def, plat, h, reg);
  REQUIRE(fast);
  const double cmin = bench::cheapest_cost(def, plat), cmax = fast->total_cost;
  INFO("seed " << seed << " nodes " << def.nodes.size() << " domains " << plat.domains.size());
  for (double f : {0.05, 0.15, 0.3, 0.5, 0.7, 0.9}) {
    const auto B = static_cast<std::uint64_t>(std::floor(cmin + f * (cmax - cmin)));
    if (static_cast<double>(B) < cmin) continue;
    double best = std::numeric_limits<double>::infinity();
    for (auto a : {bench::hbcs(def, plat, B), bench::bheft(def, plat, B), bench::loss(def, plat, B),
                   bench::subset_heft(def, plat, B)})
      if (a && a->cost <= static_cast<double>(B)) best = std::min(best, a->makespan_ms);
    auto hb = h;
    hb.cost_budget = B;
    auto p = strategies::make_plan(def, plat, hb, reg);
    INFO("budget " << B << " (f " << f << "), best anchor " << best);
    REQUIRE(p);
    CHECK(p->total_cost <= static_cast<double>(B) + 1e-9);
    CHECK(test::check_plan(def, plat, hb, *p).empty());
    CHECK(p->makespan_ms <= best * (1 + 1e-9));
  }
}
