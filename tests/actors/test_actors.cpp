// The actors layer's parts: values, the manual clock, balancer policies,
// slot bounds, the monitor.
#include <catch2/catch.hpp>

#include <atomic>

#include "../runtime/helpers.hpp"
#include "causality/observe/observers.hpp"

using namespace causality;
using actors::domain_load;

TEST_CASE("values share their payload and compare deeply", "[actors]") {
  value a(value::object{{"k", value(value::array{value(1), value(2.5), value("s")})}});
  value b = a;
  CHECK(a.same_payload(b));
  CHECK(a.use_count() == 2);
  CHECK(a == value(value::object{{"k", value(value::array{value(1), value(2.5), value("s")})}}));
  CHECK(a["k"].as_array()[1].as_double() == 2.5);
  CHECK(a["missing"].is_null());
  CHECK(a.to_string() == "{\"k\":[1,2.5,\"s\"]}");
  CHECK(value(3).matches("int"));
  CHECK(value(3).matches("number"));
  CHECK_FALSE(value("x").matches("int"));
  CHECK_THROWS(value().as_int());
  struct big { int x; };
  auto u = value::of(big{7});
  REQUIRE(u.get_if<big>());
  CHECK(u.get_if<big>()->x == 7);
  CHECK(u.get_if<int>() == nullptr);
}

TEST_CASE("the manual clock fires timers in due order only when advanced", "[actors]") {
  actors::manual_clock c;
  std::vector<int> fired;
  c.schedule_after(std::chrono::milliseconds(20), [&] { fired.push_back(2); });
  c.schedule_after(std::chrono::milliseconds(10), [&] { fired.push_back(1); });
  auto id = c.schedule_after(std::chrono::milliseconds(15), [&] { fired.push_back(99); });
  c.cancel(id);
  CHECK(c.pending() == 2);
  c.advance(std::chrono::milliseconds(9));
  CHECK(fired.empty());
  c.advance(std::chrono::milliseconds(11));
  CHECK(fired == std::vector<int>{1, 2});
  CHECK(c.now() == std::chrono::milliseconds(20));
  CHECK(c.next_due() == actors::clock::duration::max());
}

TEST_CASE("balancer policies choose from current queue lengths", "[actors]") {
  std::vector<domain_load> c{{0, 2, 2, 3, 1.0, true}, {1, 4, 1, 0, 1.0, false}, {2, 1, 0, 0, 3.0, false}};
  CHECK(actors::balancer_policy::planned_only().choose(c) == 0);
  // least loaded: 0 -> 2.5, 1 -> 0.25, 2 -> 0; the idle fast one wins
  CHECK(actors::balancer_policy::least_loaded().choose(c) == 2);
  // planned domain saturated, another has a free slot: move
  CHECK(actors::balancer_policy::plan_first().choose(c) == 2);
  c[0].running = 1;
  c[0].queued = 0;
  CHECK(actors::balancer_policy::plan_first().choose(c) == 0);  // planned has room: stay
}

TEST_CASE("plan-first moves a node only when the run's weights say the move pays", "[actors]") {
  // Planned: a fast domain (speed 3, 4 slots) that is full; the other has a
  // free slot but is 6x slower.
  std::vector<domain_load> c{{0, 4, 4, 0, 3.0, true}, {1, 2, 0, 0, 0.5, false}};
  CHECK(actors::balancer_policy::plan_first().choose(c) == 0);  // waiting is faster
  // Planned: a cheap domain with a long queue; a fast one with a free slot
  // costs 7.5x as much.
  std::vector<domain_load> q{{0, 8, 8, 10, 1.0, true}, {1, 4, 0, 0, 3.0, false}};
  q[1].relative_cost = 7.5;
  for (auto& d : q) d.latency_weight = 0.9, d.cost_weight = 0.2;  // latency strategy
  CHECK(actors::balancer_policy::plan_first().choose(q) == 1);  // time gained is worth it
  for (auto& d : q) d.latency_weight = 0.2, d.cost_weight = 0.9;  // cost-minimization
  CHECK(actors::balancer_policy::plan_first().choose(q) == 0);  // not worth 7.5x the cost
}

TEST_CASE("a domain with k slots never runs more than k nodes at once", "[actors]") {
  runtime_config cfg;
  cfg.platform = test::one_domain(2);
  runtime rt(cfg);
  std::atomic<int> now{0}, peak{0};
  auto wf = workflow("wide");
  for (int i = 0; i < 24; ++i)
    wf.node("n" + std::to_string(i), [&](const value&, node_context&) {
      int v = ++now;
      int p = peak.load();
      while (v > p && !peak.compare_exchange_weak(p, v)) {}
      for (int k = 0; k < 200; ++k) std::this_thread::yield();  // overlap if the bound allowed it
      --now;
      return value{};
    });
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  REQUIRE(run->outcome().status == run_status::succeeded);
  CHECK(peak.load() <= 2);
  CHECK(peak.load() >= 1);
}

TEST_CASE("the monitor actor counts every node per domain", "[actors]") {
  observe::metric_registry reg;
  observe::runtime_metrics series(reg);
  runtime_config cfg;
  cfg.platform = test::one_domain(2);
  cfg.observers.push_back(std::make_shared<observe::metrics_observer>(series, *cfg.platform));
  runtime rt(cfg);
  auto wf = workflow("m");
  for (int i = 0; i < 10; ++i) wf.node_of_type("n" + std::to_string(i), "noop");
  wf.node("bad", [](const value&, node_context&) -> value { throw std::runtime_error("x"); });
  spawn_options o = test::with_plan(wf);
  o.continue_on_failure = true;
  auto run = rt.spawn(wf, {}, o);
  REQUIRE(run);
  run->wait();
  auto s = rt.domain_stats();  // the run actor flushed its metrics before ending
  REQUIRE(s.size() == 1);
  CHECK(s[0].name == "d");
  CHECK(s[0].started == 11);
  CHECK(s[0].finished == 10);
  CHECK(s[0].failed == 1);
  CHECK(s[0].running == 0);
  auto text = reg.render_prometheus();  // the same counts, fed by the metrics observer of the event stream
  CHECK(text.find("causality_nodes_finished_total{domain=\"d\"} 10") != std::string::npos);
  CHECK(text.find("causality_nodes_failed_total{domain=\"d\"} 1") != std::string::npos);
}

TEST_CASE("nodes no domain can host are refused at spawn", "[actors]") {
  runtime_config cfg;
  cfg.platform = test::one_domain(1);
  runtime rt(cfg);
  auto wf = workflow("w").node_of_type("secret", "noop").security_level(5);
  auto r = rt.spawn(wf);
  REQUIRE_FALSE(r);
  CHECK(r.err().path == "/nodes/0");
  CHECK(r.err().reason.find("secret") != std::string::npos);
}
