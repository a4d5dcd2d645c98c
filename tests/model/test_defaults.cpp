#include <catch2/catch.hpp>

#include "causality/model/types.hpp"

using namespace causality::model;

TEST_CASE("the default effect cost model matches the seed's reference values", "[model]") {
  effect_cost_model m;
  CHECK(m.base_cost == 100);
  CHECK(m.resource_cost_per_unit == 10);
  CHECK(m.complexity_multiplier == 1.0);
  CHECK(m.domain_cost_factor == 1.0);
  CHECK(m.estimated_duration_ms == 1000);
  CHECK(m.total_cost(5) == Approx(150.0));
  CHECK(m.execution_time_ms(4) == Approx(2000.0));
}

TEST_CASE("cost scales with complexity and domain factor", "[model]") {
  effect_cost_model m;
  m.complexity_multiplier = 2.0;
  m.domain_cost_factor = 4.0;
  CHECK(m.total_cost(1) == Approx(880.0));
}

TEST_CASE("cost units are CPU-seconds rounded up, at least one", "[model]") {
  CHECK(cost_units(0) == 1);
  CHECK(cost_units(1) == 1);
  CHECK(cost_units(1000) == 1);
  CHECK(cost_units(1001) == 2);
  CHECK(cost_units(5500) == 6);
}

TEST_CASE("the four built-in strategies carry the reference weights", "[model]") {
  auto all = builtin_strategies();
  REQUIRE(all.size() == 4);
  auto check = [](const optimization_strategy& s, const char* name, double p, double l,
                  double c) {
    CHECK(s.name == name);
    CHECK(s.priority_weight == Approx(p));
    CHECK(s.latency_weight == Approx(l));
    CHECK(s.cost_weight == Approx(c));
  };
  check(all[0], "capital-efficiency", 0.8, 0.3, 0.5);
  check(all[1], "latency", 0.5, 0.9, 0.2);
  check(all[2], "cost-minimization", 0.4, 0.2, 0.9);
  check(all[3], "balanced", 0.6, 0.6, 0.6);
}

TEST_CASE("resource estimates and hints default to DESIGN.md's values", "[model]") {
  resource_usage_estimate r;
  CHECK(r.cpu_time_ms == 1000);
  CHECK(r.memory_bytes == 1024 * 1024);
  CHECK(r.storage_bytes == 512 * 1024);
  CHECK(r.network_bytes == 256 * 1024);
  initiation_hint h;
  CHECK(h.preferred_strategy_id == "balanced");
  CHECK(h.priority == 50);
  CHECK_FALSE(h.prefer_parallel_execution);
  CHECK_FALSE(h.max_latency_ms);
  CHECK_FALSE(h.cost_budget);
  CHECK(h.resource_constraints.empty());
}

TEST_CASE("typed domains carry their kind's defaults", "[model]") {
  CHECK(typed_domain::service().allows_nondeterminism);
  CHECK_FALSE(typed_domain::service().deterministic_only);
  CHECK(typed_domain::verifiable().deterministic_only);
  CHECK(typed_domain::compute().kind == domain_kind::compute);
}

TEST_CASE("transfer time follows FORMATS.md with kind multipliers", "[model]") {
  network_spec n;
  n.bandwidth_bytes_per_s = 1000.0;
  n.latency_ms = 2.0;
  n.cross_domain_multiplier["service->verifiable"] = 3.0;
  CHECK(n.transfer_ms(500, domain_kind::compute, domain_kind::service) == Approx(502.0));
  CHECK(n.transfer_ms(500, domain_kind::service, domain_kind::verifiable) == Approx(1506.0));
}
