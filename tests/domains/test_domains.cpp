// causality::domains alone (no CAF): slot accounting, built-in node types,
// the default platform and the JSON transport of values.
#include <catch2/catch.hpp>

#include <atomic>
#include <cmath>
#include <cstdint>
#include <limits>

#include <causality/domains/builtins.hpp>
#include <causality/domains/platform.hpp>
#include <causality/domains/remote.hpp>
#include <causality/domains/slot_pool.hpp>

using namespace causality;
using domains::value;

TEST_CASE("slot_pool: at most `slots` acquisitions, release reports queued work", "[domains][slots]") {
  domains::slot_pool p(2);
  CHECK(p.try_acquire());
  CHECK(p.try_acquire());
  CHECK_FALSE(p.try_acquire());
  CHECK(p.running() == 2);
  CHECK_FALSE(p.release());  // nothing queued
  p.add_queued(1);
  CHECK(p.queued() == 1);
  CHECK(p.release());  // the queue owner must drain
  CHECK(p.running() == 0);
  p.remove_queued(1);
  CHECK(p.queued() == 0);
  CHECK(domains::slot_pool(0).slots() == 1);  // never fewer than one slot
}

TEST_CASE("builtins: noop and work pass their input on, work stops when cancelled", "[domains][builtins]") {
  model::dataflow_node spec;
  spec.node_id = "n";
  spec.resources.cpu_time_ms = 0;
  model::domain_spec dom;
  dom.speed = 2.0;
  domains::workflow_state state({}, {});
  value in(value::object{{"x", value(1)}});
  domains::node_context ctx{spec.node_id, 0, 1, spec, dom, 1.0, {}, state};
  CHECK(domains::noop(in, ctx).same_payload(in));
  CHECK(domains::work(in, ctx).same_payload(in));
  CHECK(domains::work_ms(100, 2.0, 0.5) == Approx(25.0));
  auto& types = domains::builtin_node_types();
  CHECK(types.size() == 3);  // noop, work, exec (DESIGN.md)
  CHECK(types.count("noop") == 1);
  CHECK(types.count("work") == 1);
  CHECK(types.count("exec") == 1);

  std::atomic<bool> stop{true};
  spec.resources.cpu_time_ms = 60'000;  // a minute, unless cancelled
  domains::node_context cancelled{spec.node_id, 0, 1, spec, dom, 1.0, domains::cancel_token(&stop, nullptr), state};
  CHECK_THROWS_WITH(domains::work(in, cancelled), "cancelled");
  CHECK_FALSE(domains::spin_for_ms(60'000, domains::cancel_token(&stop, nullptr)));
}

TEST_CASE("builtins: a work duration beyond steady_clock saturates: it runs until cancelled", "[domains][builtins]") {
  // 2^63 ms (and 1e300 ms) overflowed the clock into the past: the node
  // returned at once and the run reported success. Now it lasts until cancelled.
  std::atomic<bool> stop{true};
  for (double ms : {9223372036854775808.0, 1e300, std::numeric_limits<double>::infinity()})
    CHECK_FALSE(domains::spin_for_ms(ms, domains::cancel_token(&stop, nullptr)));
  model::dataflow_node spec;
  spec.node_id = "huge";
  spec.resources.cpu_time_ms = std::numeric_limits<std::uint64_t>::max() / 2 + 1;  // 2^63 ms
  model::domain_spec dom;
  domains::workflow_state state({}, {});
  domains::node_context ctx{spec.node_id, 0, 1, spec, dom, 1.0, domains::cancel_token(&stop, nullptr), state};
  CHECK_THROWS_WITH(domains::work(value(1), ctx), "cancelled");
  // Zero, negative and NaN durations do not spin.
  std::atomic<bool> go{false};
  for (double ms : {0.0, -5.0, std::nan("")}) CHECK(domains::spin_for_ms(ms, domains::cancel_token(&go, nullptr)));
}

TEST_CASE("local_platform: compute, service, verifiable", "[domains][platform]") {
  auto p = domains::local_platform();
  REQUIRE(p.domains.size() == 3);
  CHECK(p.domains[0].name == "compute");
  CHECK(p.domains[1].slots == 4);
  CHECK(p.domains[2].security_level == 3);
  CHECK(p.domains[2].cost.domain_cost_factor == 8.0);
}

TEST_CASE("remote: values round-trip through JSON, user types do not travel", "[domains][remote]") {
  value v(value::object{{"a", value(value::array{value(1), value(2.5), value("s")})}, {"b", value(true)}});
  auto j = domains::remote::to_json(v);
  REQUIRE(j);
  auto back = domains::remote::from_json(*j);
  REQUIRE(back);
  CHECK(*back == v);
  CHECK_FALSE(domains::remote::to_json(value::of(42)));
  CHECK_FALSE(domains::remote::from_json("{nope"));
  auto ep = domains::remote::parse_endpoint("127.0.0.1:7000");
  REQUIRE(ep);
  CHECK(ep->second == 7000);
  CHECK_FALSE(domains::remote::parse_endpoint("nohost"));
}
