// Worked examples with hand-computed schedules, and the registry.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "causality/strategies/cost.hpp"
#include "causality/strategies/planner.hpp"
#include "checker.hpp"

using namespace causality;
using strategies::make_plan;

namespace {

model::domain_spec domain(const std::string& name, double speed, std::uint32_t slots,
                          double factor) {
  model::domain_spec d;
  d.name = name;
  d.speed = speed;
  d.slots = slots;
  d.cost.domain_cost_factor = factor;
  return d;
}

model::dataflow_node node(const std::string& id, std::uint64_t cpu_ms) {
  model::dataflow_node n;
  n.node_id = id;
  n.name = id;
  n.resources.cpu_time_ms = cpu_ms;
  return n;
}

/// a -> b, 2 s of work each, 125 MB between them (1001 ms across domains);
/// "fast" runs twice as fast at four times the price of "slow".
struct chain {
  model::dataflow_definition def;
  model::platform plat;
  chain() {
    def.definition_id = def.name = "chain";
    def.nodes = {node("a", 2000), node("b", 2000)};
    model::dataflow_edge e;
    e.edge_id = "e";
    e.source_node = "a";
    e.target_node = "b";
    e.bytes = 125000000;
    def.edges = {e};
    plat.name = "two";
    plat.domains = {domain("fast", 2.0, 1, 4.0), domain("slow", 1.0, 1, 1.0)};
  }
};

strategies::strategy_registry with(const std::string& name, double p, double l, double c) {
  strategies::strategy_registry r;
  REQUIRE_FALSE(r.add({name, "", p, l, c}));
  return r;
}

model::initiation_hint hint_for(const std::string& strategy) {
  model::initiation_hint h;
  h.preferred_strategy_id = strategy;
  return h;
}

}  // namespace

TEST_CASE("the cost of a node follows FORMATS.md plus the domain-specific terms", "[planner]") {
  auto n = node("x", 2500);  // 3 units
  n.complexity = 2.0;
  n.external_calls = 4;
  auto d = domain("s", 1.0, 1, 1.5);
  CHECK(strategies::node_cost(n, d) == Approx((100 + 10 * 3) * 2.0 * 1.5));
  d.kind = model::domain_kind::service;
  d.cost.cost_per_external_call = 5;
  CHECK(strategies::node_cost(n, d) == Approx(390 + 20));
  d.kind = model::domain_kind::verifiable;
  d.cost.proof_cost_per_unit = 7;
  CHECK(strategies::node_cost(n, d) == Approx(390 + 21));
}

TEST_CASE("latency-only weights keep a chain on the fast domain: hand-computed", "[planner]") {
  chain c;
  auto p = make_plan(c.def, c.plat, hint_for("fastest"), with("fastest", 0, 1, 0));
  REQUIRE(p);
  // a on fast 0..1000, b on fast 1000..2000 (same domain: no transfer).
  CHECK(p->assignments[0].domain == 0);
  CHECK(p->assignments[1].domain == 0);
  CHECK(p->assignments[1].start_ms == Approx(1000));
  CHECK(p->makespan_ms == Approx(2000));
  CHECK(p->total_cost == Approx(2 * 120 * 4.0));
  CHECK(test::check_plan(c.def, c.plat, hint_for("fastest"), *p).empty());
}

TEST_CASE("cost-only weights put the chain on the cheap domain: hand-computed", "[planner]") {
  chain c;
  auto p = make_plan(c.def, c.plat, hint_for("cheap"), with("cheap", 0, 0, 1));
  REQUIRE(p);
  CHECK(p->assignments[0].domain == 1);
  CHECK(p->assignments[1].domain == 1);
  CHECK(p->assignments[1].start_ms == Approx(2000));
  CHECK(p->makespan_ms == Approx(4000));
  CHECK(p->total_cost == Approx(240));
}

TEST_CASE("a cost budget moves the latency strategy to the best plan within it", "[planner]") {
  chain c;
  auto h = hint_for("latency");
  h.cost_budget = 600;
  // Within 600: fast+slow or slow+fast finish at 4001, slow+slow at 4000 for 240.
  auto p = make_plan(c.def, c.plat, h, {});
  REQUIRE(p);
  CHECK(p->makespan_ms == Approx(4000));
  CHECK(p->total_cost == Approx(240));
  CHECK(test::check_plan(c.def, c.plat, h, *p).empty());
}

TEST_CASE("unreachable limits are refused naming the limit, best value and miss", "[planner]") {
  chain c;
  auto h = hint_for("latency");
  SECTION("cost budget") {
    h.cost_budget = 100;
    auto p = make_plan(c.def, c.plat, h, {});
    REQUIRE_FALSE(p);
    CHECK(p.err().message() ==
          "/cost_budget: cost_budget 100 cannot be met: the cheapest plan costs 240 (over by 140)");
  }
  SECTION("max latency") {
    h.max_latency_ms = 1500;
    auto p = make_plan(c.def, c.plat, h, {});
    REQUIRE_FALSE(p);
    CHECK(p.err().message() == "/max_latency_ms: max_latency_ms 1500 ms cannot be met: the "
                               "fastest plan found takes 2000 ms (over by 500 ms)");
  }
  SECTION("both together") {
    h.max_latency_ms = 3000;
    h.cost_budget = 600;
    auto p = make_plan(c.def, c.plat, h, {});
    REQUIRE_FALSE(p);
    CHECK(p.err().message() ==
          "/max_latency_ms: max_latency_ms 3000 ms and cost_budget 600 cannot both be met: "
          "within the budget the fastest plan found takes 4000 ms (over by 1000 ms)");
  }
}

TEST_CASE("a peak memory limit delays a node until memory frees: hand-computed", "[planner]") {
  model::dataflow_definition def;
  def.name = "three";
  for (const char* id : {"x", "y", "z"}) {
    auto n = node(id, 1000);
    n.resources.memory_bytes = 6ull << 30;
    def.nodes.push_back(n);
  }
  model::platform plat;
  plat.domains = {domain("big", 1.0, 4, 1.0)};
  auto h = hint_for("latency");
  h.resource_constraints.memory_bytes = 12ull << 30;
  auto p = make_plan(def, plat, h, {});
  REQUIRE(p);
  CHECK(p->makespan_ms == Approx(2000));  // only two fit at once
  CHECK(p->totals.memory_bytes == (12ull << 30));
  CHECK(test::check_plan(def, plat, h, *p).empty());
  h.resource_constraints.memory_bytes = 5ull << 30;
  auto q = make_plan(def, plat, h, {});
  REQUIRE_FALSE(q);
  CHECK(q.err().path == "/resource_constraints/memory_bytes");
  CHECK(q.err().reason.find("over by 1073741824") != std::string::npos);
}

TEST_CASE("hard filters remove domains and the explanation says why", "[planner]") {
  chain c;
  c.def.nodes[0].capabilities = {"zk"};
  c.plat.domains[1].capabilities = {"zk"};
  auto e = strategies::explain_plan(c.def, c.plat, hint_for("latency"), {});
  REQUIRE(e);
  const auto& ex = e->nodes[0];
  CHECK(ex.winner == 1);
  CHECK(ex.candidates[0].filtered_by == "needs capability 'zk', 'fast' lacks it");
  CHECK(ex.candidates[1].filtered_by.empty());
  CHECK(e->chosen.assignments[0].domain == 1);
  c.def.nodes[1].domain = "nowhere";
  auto bad = make_plan(c.def, c.plat, hint_for("latency"), {});
  REQUIRE_FALSE(bad);
  CHECK(bad.err().reason.find("pinned to domain 'nowhere'") != std::string::npos);
}

TEST_CASE("re-planning keeps fixed nodes, skips unavailable domains, starts after now",
          "[planner]") {
  chain c;
  strategies::planner_context ctx;
  ctx.fixed.resize(2);
  ctx.fixed[0] = strategies::assignment{0, 1, 0, 2000, 120};
  ctx.unavailable = {true, false};
  ctx.now_ms = 2500;
  auto p = make_plan(c.def, c.plat, hint_for("latency"), {}, ctx);
  REQUIRE(p);
  CHECK(p->assignments[0].start_ms == 0);
  CHECK(p->assignments[1].domain == 1);
  CHECK(p->assignments[1].start_ms == Approx(2500));
  CHECK(p->makespan_ms == Approx(4500));
}

TEST_CASE("domain_preference_order breaks a tie between identical domains", "[planner]") {
  model::dataflow_definition def;
  def.nodes = {node("only", 1000)};
  model::platform plat;
  plat.domains = {domain("d0", 1, 1, 1), domain("d1", 1, 1, 1)};
  auto h = hint_for("balanced");
  auto p = make_plan(def, plat, h, {});
  REQUIRE(p);
  CHECK(p->assignments[0].domain == 0);
  h.domain_preference_order = {"d1"};
  p = make_plan(def, plat, h, {});
  REQUIRE(p);
  CHECK(p->assignments[0].domain == 1);
}

TEST_CASE("plan_to_json has exactly the FORMATS.md fields", "[planner]") {
  chain c;
  auto p = make_plan(c.def, c.plat, hint_for("latency"), {});
  REQUIRE(p);
  auto j = strategies::plan_to_json(*p, c.def, c.plat);
  CHECK(j["workflow"] == "chain");
  CHECK(j["platform"] == "two");
  CHECK(j["strategy"] == "latency");
  CHECK(j.size() == 6);
  REQUIRE(j["assignments"].size() == 2);
  CHECK(j["assignments"][1]["node"] == "b");
  CHECK(j["assignments"][1]["domain"] == "fast");
  CHECK(j["assignments"][1]["finish_ms"].get<double>() == Approx(2000));
  CHECK(j["assignments"][0].size() == 4);
}

TEST_CASE("the registry holds the built-ins and validates user strategies", "[planner]") {
  strategies::strategy_registry r;
  CHECK(r.names() == std::vector<std::string>{"capital-efficiency", "latency",
                                              "cost-minimization", "balanced"});
  CHECK(r.find("latency")->latency_weight == 0.9);
  CHECK(r.add({"neg", "", -1, 1, 1}));
  CHECK(r.add({"nan", "", 1, std::nan(""), 1}));
  CHECK(r.add({"zero", "", 0, 0, 0}));
  CHECK_FALSE(r.add({"mine", "", 0, 0.5, 0.5}));
  CHECK(r.find("mine"));
  auto unknown = make_plan({}, {}, hint_for("nope"), r);
  REQUIRE_FALSE(unknown);
  CHECK(unknown.err().reason.find("unknown strategy 'nope'") == 0);
}

TEST_CASE("the sweep runs from pure latency to pure cost", "[planner]") {
  chain c;
  auto s = strategies::sweep_tradeoff(c.def, c.plat, {}, {}, 3);
  REQUIRE(s.size() == 3);
  CHECK(s.front().makespan_ms == Approx(2000));
  CHECK(s.back().total_cost == Approx(240));
  CHECK(s.back().makespan_ms == Approx(4000));
}

TEST_CASE("prefer_parallel_execution spreads independent nodes, otherwise they pack",
          "[planner]") {
  model::dataflow_definition def;
  def.nodes = {node("x", 1000), node("y", 1000)};
  model::platform plat;
  plat.domains = {domain("cheap", 1, 1, 1.0), domain("dear", 1, 1, 1.2)};
  // Efficiency only (priority 0 sends the whole priority weight there) and a
  // little cost.
  auto reg = with("eff", 1, 0, 0.1);
  auto h = hint_for("eff");
  h.priority = 0;
  auto packed = make_plan(def, plat, h, reg);
  REQUIRE(packed);
  CHECK(packed->assignments[0].domain == 0);
  CHECK(packed->assignments[1].domain == 0);
  CHECK(packed->makespan_ms == Approx(2000));
  h.prefer_parallel_execution = true;
  auto spread = make_plan(def, plat, h, reg);
  REQUIRE(spread);
  CHECK(spread->assignments[0].domain != spread->assignments[1].domain);
  CHECK(spread->makespan_ms == Approx(1000));
  CHECK(test::check_plan(def, plat, h, *spread).empty());
}

TEST_CASE("the workflow priority turns the priority weight into urgency", "[planner]") {
  chain c;
  auto reg = with("prio", 1, 0, 0.3);
  auto h = hint_for("prio");
  h.priority = 100;  // all of the priority weight goes to latency
  auto urgent = make_plan(c.def, c.plat, h, reg);
  REQUIRE(urgent);
  CHECK(urgent->makespan_ms == Approx(2000));  // both on the fast domain
  h.priority = 0;  // all of it goes to efficiency: the cost weight decides
  auto relaxed = make_plan(c.def, c.plat, h, reg);
  REQUIRE(relaxed);
  CHECK(relaxed->total_cost == Approx(240));  // both on the cheap domain
}

TEST_CASE("an empty workflow plans to nothing and zero-time nodes hold no slot", "[planner]") {
  model::platform plat;
  plat.domains = {domain("only", 1, 1, 1)};
  auto empty = make_plan({}, plat, hint_for("balanced"), {});
  REQUIRE(empty);
  CHECK(empty->assignments.empty());
  CHECK(empty->makespan_ms == 0);
  model::dataflow_definition def;
  def.nodes = {node("a", 0), node("b", 0), node("c", 1000)};
  auto p = make_plan(def, plat, hint_for("latency"), {});
  REQUIRE(p);
  CHECK(p->makespan_ms == Approx(1000));
  CHECK(test::check_plan(def, plat, hint_for("latency"), *p).empty());
  auto none = make_plan(def, {}, hint_for("latency"), {});
  REQUIRE_FALSE(none);
  CHECK(none.err().reason == "platform has no domains");
}
