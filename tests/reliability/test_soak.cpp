// A small soak: 50 concurrent workflows of 100 nodes, 2 % of nodes throwing
// once (retried) and 0.5 % always: each workflow ends with its exact result
// or fails naming a node that always throws; none is lost.
#include <catch2/catch.hpp>

#include "soak.hpp"

TEST_CASE("soak: concurrent workflows with throwing nodes all end with result or reason",
          "[reliability][soak]") {
  using namespace causality;
  soak::soak_config c;
  c.workflows = 50;
  c.throw_fraction = 0.02;
  c.fatal_fraction = 0.005;
  runtime_config cfg;
  cfg.max_active_runs = c.workflows;
  runtime rt(cfg);
  soak::soak_workload load(c);
  for (std::uint64_t round = 1; round <= 2; ++round) {
    auto r = load.run_round(rt, round);
    CAPTURE(round, r.succeeded, r.failed_as_expected, r.wrong, r.lost, r.throws);
    for (const auto& p : r.first_problems) UNSCOPED_INFO(p);
    CHECK(r.spawned == c.workflows);
    CHECK(r.lost == 0);
    CHECK(r.wrong == 0);
    CHECK(r.succeeded + r.failed_as_expected == c.workflows);
    // The seeds give both kinds of outcome, so both paths are checked.
    CHECK(r.succeeded > 0);
    CHECK(r.failed_as_expected > 0);
    CHECK(r.throws > 0);
  }
}
