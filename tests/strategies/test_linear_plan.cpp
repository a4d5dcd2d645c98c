// The planner's linear tier (strategies/src/linear_plan.cpp): used above
// nodes x domains = 2.5e5 and 25k nodes when nothing asks for the full planner; its plans
// pass the independent checker and follow the strategy's weights.
#include <catch2/catch.hpp>

#include <causality/strategies/planner.hpp>

#include "checker.hpp"

using namespace causality;

namespace {

model::platform three_domains() {
  model::platform p;
  p.name = "three";
  model::domain_spec fast, cheap, zk;
  fast.name = "fast";
  fast.slots = 2;
  fast.speed = 4.0;
  fast.cost.domain_cost_factor = 4.0;
  cheap.name = "cheap";
  cheap.slots = 4;
  cheap.speed = 1.0;
  zk.name = "zk";
  zk.kind = model::domain_kind::verifiable;
  zk.slots = 1;
  zk.capabilities = {"zk"};
  p.domains = {fast, cheap, zk};
  return p;
}

model::dataflow_definition chain(std::size_t n) {
  model::dataflow_definition d;
  d.definition_id = d.name = "chain";
  d.nodes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    d.nodes[i].node_id = "n" + std::to_string(i);
    d.nodes[i].resources.cpu_time_ms = 10;
  }
  for (std::size_t i = 1; i < n; ++i) {
    model::dataflow_edge e;
    e.edge_id = "e" + std::to_string(i);
    e.source_node = d.nodes[i - 1].node_id;
    e.target_node = d.nodes[i].node_id;
    e.bytes = 1000;
    d.edges.push_back(std::move(e));
  }
  return d;
}

/// A wide DAG: one source, layers of `width` nodes each after two nodes of
/// the layer before; every 7th node needs capability "zk".
model::dataflow_definition layered(std::size_t layers, std::size_t width) {
  model::dataflow_definition d;
  d.definition_id = d.name = "layered";
  d.nodes.resize(1 + layers * width);
  for (std::size_t i = 0; i < d.nodes.size(); ++i) {
    d.nodes[i].node_id = "v" + std::to_string(i);
    d.nodes[i].resources.cpu_time_ms = 1 + i % 5;
    if (i % 7 == 3) d.nodes[i].capabilities = {"zk"};
  }
  auto edge = [&](std::size_t a, std::size_t b) {
    model::dataflow_edge e;
    e.edge_id = "e" + std::to_string(d.edges.size());
    e.source_node = d.nodes[a].node_id;
    e.target_node = d.nodes[b].node_id;
    d.edges.push_back(std::move(e));
  };
  for (std::size_t l = 0; l < layers; ++l)
    for (std::size_t k = 0; k < width; ++k) {
      auto v = 1 + l * width + k;
      if (l == 0) {
        edge(0, v);
      } else {
        edge(1 + (l - 1) * width + k, v);
        edge(1 + (l - 1) * width + (k + 1) % width, v);
      }
    }
  return d;
}

strategies::strategy_registry with(const std::string& name, double latency, double cost) {
  strategies::strategy_registry r;
  REQUIRE_FALSE(r.add({name, "test", 0.0, latency, cost}));
  return r;
}

model::initiation_hint hint_for(const std::string& name) {
  model::initiation_hint h;
  h.preferred_strategy_id = name;
  return h;
}

}  // namespace

TEST_CASE("linear tier: large plans are feasible, name the strategy and say the method", "[strategies][linear]") {
  auto plat = three_domains();
  auto def = layered(200, 500);  // 100 001 nodes x 3 domains
  auto p = strategies::make_plan(def, plat, hint_for("balanced"), {});
  REQUIRE(p);
  CHECK(p->method.rfind("linear", 0) == 0);
  CHECK(p->strategy == "balanced");
  REQUIRE(p->assignments.size() == def.nodes.size());
  CHECK(test::check_plan(def, plat, hint_for("balanced"), *p).empty());
  for (std::size_t i = 0; i < def.nodes.size(); ++i)
    if (i % 7 == 3) CHECK(p->assignments[i].domain == 2);  // only "zk" hosts it
  CHECK(p->makespan_ms > 0);
  CHECK(p->utilisation > 0);
  CHECK(p->utilisation <= 1.0 + 1e-9);
  std::uint64_t storage = 0;
  for (auto& n : def.nodes) storage += n.resources.storage_bytes;
  CHECK(p->totals.storage_bytes == storage);
}

TEST_CASE("linear tier: the weights choose between the fast and the cheap domain", "[strategies][linear]") {
  auto plat = three_domains();
  auto def = chain(100000);
  auto fast = strategies::make_plan(def, plat, hint_for("t"), with("t", 1.0, 0.0));
  REQUIRE(fast);
  auto cheap = strategies::make_plan(def, plat, hint_for("c"), with("c", 0.0, 1.0));
  REQUIRE(cheap);
  CHECK(fast->method.rfind("linear", 0) == 0);
  std::size_t on_fast = 0, on_cheap = 0;
  for (auto& a : fast->assignments) on_fast += a.domain == 0;
  for (auto& a : cheap->assignments) on_cheap += a.domain == 1;
  CHECK(on_fast == def.nodes.size());
  CHECK(on_cheap == def.nodes.size());
  CHECK(fast->makespan_ms < cheap->makespan_ms);
  CHECK(cheap->total_cost < fast->total_cost);
  CHECK(test::check_plan(def, plat, hint_for("t"), *fast).empty());
  CHECK(test::check_plan(def, plat, hint_for("c"), *cheap).empty());
}

TEST_CASE("linear tier: errors name the node or the cycle", "[strategies][linear]") {
  auto plat = three_domains();
  auto def = chain(100000);
  SECTION("a cycle") {
    model::dataflow_edge back;
    back.edge_id = "back";
    back.source_node = "n99999";
    back.target_node = "n0";
    def.edges.push_back(back);
    auto p = strategies::make_plan(def, plat, hint_for("balanced"), {});
    REQUIRE_FALSE(p);
    CHECK(p.err().path == "/edges");
    CHECK(p.err().reason.find("cycle") != std::string::npos);
  }
  SECTION("a node no domain hosts") {
    def.nodes[42].capabilities = {"gpu"};
    auto p = strategies::make_plan(def, plat, hint_for("balanced"), {});
    REQUIRE_FALSE(p);
    CHECK(p.err().path == "/nodes/42");
    CHECK(p.err().reason.find("'n42'") != std::string::npos);
  }
}

TEST_CASE("linear tier: small inputs and hard limits keep the full planner", "[strategies][linear]") {
  auto plat = three_domains();
  auto small = chain(20000);  // 6e4 node-domain pairs
  auto p = strategies::make_plan(small, plat, hint_for("balanced"), {});
  REQUIRE(p);
  CHECK(p->method.rfind("linear", 0) != 0);
  auto big = chain(100000);
  auto h = hint_for("balanced");
  h.cost_budget = 1000000000;  // a budget is checked across candidate schedules
  auto full = strategies::make_plan(big, plat, h, {});
  REQUIRE(full);
  CHECK(full->method.rfind("linear", 0) != 0);
  CHECK(test::check_plan(big, plat, h, *full).empty());
}
