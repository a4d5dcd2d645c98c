// Properties over generated workflows and platforms (fixed seeds).
#include <catch2/catch.hpp>

#include <algorithm>
#include <limits>

#include "causality/strategies/cost.hpp"
#include "causality/strategies/planner.hpp"
#include "checker.hpp"
#include "gen.hpp"

using namespace causality;

namespace {

model::initiation_hint hint_for(const std::string& s) {
  model::initiation_hint h;
  h.preferred_strategy_id = s;
  return h;
}

strategies::strategy_registry registry() {
  strategies::strategy_registry r;
  r.add({"latency-only", "", 0, 1, 0});
  return r;
}

std::string describe(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += x + "\n";
  return s;
}

/// Cheapest cost of every node over the domains that can host it.
double min_cost(const model::dataflow_definition& def, const model::platform& p) {
  double c = 0;
  for (const auto& n : def.nodes) {
    double m = std::numeric_limits<double>::infinity();
    for (const auto& d : p.domains)
      if (strategies::placement_violation(n, d, def).empty()) m = std::min(m, test::formats_cost(n, d));
    c += m;
  }
  return c;
}

}  // namespace

TEST_CASE("every strategy's plan is feasible and beats naive baselines", "[planner][property]") {
  const std::uint32_t seed = GENERATE(range(1u, 41u));
  const std::size_t n = 5 + (seed * 13) % 56;
  const auto def = test::random_workflow(seed, n);
  const auto plat = test::random_platform(seed);
  const auto reg = registry();
  INFO("seed " << seed << " nodes " << n << " domains " << plat.domains.size());
  std::map<std::string, strategies::plan> plans;
  for (const char* s : {"capital-efficiency", "latency", "cost-minimization", "balanced",
                        "latency-only"}) {
    auto p = strategies::make_plan(def, plat, hint_for(s), reg);
    INFO(s << (p ? "" : " " + p.err().message()));
    REQUIRE(p);
    auto bad = test::check_plan(def, plat, hint_for(s), *p);
    INFO(s << ": " << describe(bad));
    CHECK(bad.empty());
    plans.emplace(s, *p);
  }
  const double fastest = test::all_on_fastest_makespan(def, plat);
  const double rr = test::round_robin_makespan(def, plat);
  CHECK(plans["latency"].makespan_ms <= rr * (1 + 1e-9));
  CHECK(plans["latency-only"].makespan_ms <= rr * (1 + 1e-9));
  if (fastest >= 0) {
    CHECK(plans["latency"].makespan_ms <= fastest * (1 + 1e-9));
    CHECK(plans["latency-only"].makespan_ms <= fastest * (1 + 1e-9));
  }
  CHECK(plans["cost-minimization"].total_cost <= plans["latency"].total_cost * (1 + 1e-9));
}

TEST_CASE("hard resource limits are never exceeded", "[planner][property]") {
  const std::uint32_t seed = GENERATE(range(100u, 120u));
  const auto def = test::random_workflow(seed, 30);
  const auto plat = test::random_platform(seed);
  auto h = hint_for("latency");
  std::uint64_t maxmem = 0, netsum = 0;
  for (const auto& nd : def.nodes) {
    maxmem = std::max(maxmem, nd.resources.memory_bytes);
    netsum += nd.resources.network_bytes;
  }
  auto free_plan = strategies::make_plan(def, plat, h, {});
  REQUIRE(free_plan);
  h.resource_constraints.memory_bytes = maxmem * 2;
  h.resource_constraints.network_bytes =
      netsum + (free_plan->totals.network_bytes - netsum) / 2;
  auto p = strategies::make_plan(def, plat, h, {});
  INFO("seed " << seed);
  if (p) {
    auto bad = test::check_plan(def, plat, h, *p);
    INFO(describe(bad));
    CHECK(bad.empty());
    CHECK(p->totals.memory_bytes <= maxmem * 2);
    CHECK(p->totals.network_bytes <= *h.resource_constraints.network_bytes);
  } else {
    CHECK(p.err().path.rfind("/resource_constraints", 0) == 0);
  }
}

TEST_CASE("budgets are kept or refused with the limit named", "[planner][property]") {
  const std::uint32_t seed = GENERATE(range(200u, 220u));
  const auto def = test::random_workflow(seed, 25);
  const auto plat = test::random_platform(seed);
  auto h = hint_for("latency");
  auto lat = strategies::make_plan(def, plat, h, {});
  REQUIRE(lat);
  const double cmin = min_cost(def, plat);
  INFO("seed " << seed << " min cost " << cmin << " latency cost " << lat->total_cost);
  // Between the cheapest and the latency plan's cost: always reachable.
  h.cost_budget = static_cast<std::uint64_t>((cmin + lat->total_cost) / 2 + 1);
  auto p = strategies::make_plan(def, plat, h, {});
  REQUIRE(p);
  CHECK(p->total_cost <= static_cast<double>(*h.cost_budget));
  CHECK(test::check_plan(def, plat, h, *p).empty());
  // Below the cheapest: refused, naming the budget and the cheapest cost.
  h.cost_budget = static_cast<std::uint64_t>(cmin * 0.9);
  auto q = strategies::make_plan(def, plat, h, {});
  REQUIRE_FALSE(q);
  CHECK(q.err().path == "/cost_budget");
  CHECK(q.err().reason.find("over by") != std::string::npos);
  // A latency limit below the critical path at the fastest speed: refused.
  h.cost_budget.reset();
  h.max_latency_ms = 1;
  auto r = strategies::make_plan(def, plat, h, {});
  if (lat->makespan_ms > 1) {
    REQUIRE_FALSE(r);
    CHECK(r.err().path == "/max_latency_ms");
  }
}

TEST_CASE("re-planning mid-run keeps what started and avoids failed domains",
          "[planner][property]") {
  const std::uint32_t seed = GENERATE(range(300u, 315u));
  const auto def = test::random_workflow(seed, 30);
  auto plat = test::random_platform(seed);
  if (plat.domains.size() < 2) plat.domains.push_back(plat.domains[0]), plat.domains[1].name = "x";
  auto h = hint_for("balanced");
  auto first = strategies::make_plan(def, plat, h, {});
  REQUIRE(first);
  strategies::planner_context ctx;
  ctx.now_ms = first->makespan_ms / 3;
  ctx.fixed.resize(def.nodes.size());
  for (const auto& a : first->assignments)
    if (a.start_ms <= ctx.now_ms) ctx.fixed[a.node] = a;
  ctx.unavailable.assign(plat.domains.size(), false);
  ctx.unavailable[plat.domains.size() - 1] = true;  // domain 0 hosts everything
  auto p = strategies::make_plan(def, plat, h, {}, ctx);
  INFO("seed " << seed << (p ? "" : " " + p.err().message()));
  REQUIRE(first);
  CHECK(test::check_plan(def, plat, h, *first).empty());
  REQUIRE(p);
  test::check_options opt;
  opt.now_ms = ctx.now_ms;
  opt.fixed = ctx.fixed;
  opt.unavailable = ctx.unavailable;
  auto bad = test::check_plan(def, plat, h, *p, opt);
  INFO("seed " << seed << "\n" << describe(bad));
  CHECK(bad.empty());
}
