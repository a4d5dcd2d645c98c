// strategies::choose_domain: the balancer's decision alone, with its reason.
#include <catch2/catch.hpp>

#include <causality/strategies/balance_choice.hpp>

using namespace causality;
using namespace causality::strategies;

namespace {
model::platform two_domains() {
  model::platform p;
  model::domain_spec a, b;
  a.name = "compute";
  a.slots = 1;
  b.name = "service";
  b.slots = 4;
  p.domains = {a, b};
  return p;
}
}  // namespace

TEST_CASE("choose_domain: one eligible domain is the only choice", "[strategies][balancing]") {
  auto p = two_domains();
  model::dataflow_node n;
  std::vector<domain_load> scratch;
  auto c = choose_domain(balancer_policy::least_loaded(), n, p, 0, 1.0, 0.0, {{1, 4, 0, 0, 0}}, scratch);
  CHECK(c.domain == 1);
  CHECK(c.reason.kind == balance_reason::only_choice);
  CHECK(c.reason.text(p, "least-loaded") == "the only available domain");
}

TEST_CASE("choose_domain: least-loaded moves a node off its saturated planned domain and says so",
          "[strategies][balancing]") {
  auto p = two_domains();
  model::dataflow_node n;
  std::vector<domain_load> scratch;
  auto busy = choose_domain(balancer_policy::least_loaded(), n, p, 0, 1.0, 0.0,
                            {{0, 1, 1, 3, 0}, {1, 4, 0, 0, 0}}, scratch);
  CHECK(busy.domain == 1);
  CHECK(busy.reason.kind == balance_reason::moved);
  CHECK(busy.reason.text(p, "least-loaded") == "moved off the planned domain 'compute' by least-loaded");
  REQUIRE(scratch.size() == 2);
  CHECK(scratch[0].planned);
  CHECK(scratch[1].slots == 4);

  auto kept = choose_domain(balancer_policy::planned_only(), n, p, 0, 1.0, 0.0,
                            {{0, 1, 1, 3, 0}, {1, 4, 0, 0, 0}}, scratch);
  CHECK(kept.domain == 0);
  CHECK(kept.reason.kind == balance_reason::kept_plan);
  CHECK(kept.reason.text(p, "planned-only") == "the planned domain 'compute', kept by planned-only");
}
