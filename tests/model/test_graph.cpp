// Topological order, summary figures, cycle reports and hosting rules.
#include <catch2/catch.hpp>

#include <cmath>

#include "causality/model/graph.hpp"
#include "causality/model/validate.hpp"

using namespace causality::model;

namespace {

dataflow_node node(const std::string& id, std::uint64_t cpu_ms) {
  dataflow_node n;
  n.node_id = id;
  n.resources.cpu_time_ms = cpu_ms;
  return n;
}

dataflow_edge edge(const std::string& s, const std::string& t, std::uint64_t bytes = 0) {
  dataflow_edge e;
  e.edge_id = s + "->" + t;
  e.source_node = s;
  e.target_node = t;
  e.bytes = bytes;
  return e;
}

}  // namespace

TEST_CASE("a diamond has depth 3, width 2 and the heavier branch as critical path",
          "[model][graph]") {
  dataflow_definition d;
  d.nodes = {node("d", 10), node("c", 50), node("b", 200), node("a", 100)};
  d.edges = {edge("a", "b", 1), edge("a", "c", 2), edge("b", "d", 4), edge("c", "d", 8)};
  REQUIRE_FALSE(validate_definition(d, ""));
  auto g = build_dag(d);
  REQUIRE(g.topo.size() == 4);
  std::vector<std::size_t> pos(4);
  for (std::size_t k = 0; k < 4; ++k) pos[g.topo[k]] = k;
  for (std::size_t e = 0; e < d.edges.size(); ++e) CHECK(pos[g.edge_src[e]] < pos[g.edge_dst[e]]);
  auto s = summarize(d);
  CHECK(s.nodes == 4);
  CHECK(s.edges == 4);
  CHECK(s.depth == 3);
  CHECK(s.max_width == 2);
  CHECK(s.total_work_ms == 360.0);
  CHECK(s.critical_path_ms == 310.0);  // a -> b -> d
  CHECK(s.total_bytes == 15);
}

TEST_CASE("an empty definition summarises to zeros", "[model][graph]") {
  auto s = summarize(dataflow_definition{});
  CHECK(s.nodes == 0);
  CHECK(s.depth == 0);
  CHECK(s.max_width == 0);
  CHECK(s.critical_path_ms == 0.0);
}

TEST_CASE("a 100000-node chain with a fan is ordered and summarised", "[model][graph]") {
  const std::size_t n = 100000;
  dataflow_definition d;
  d.nodes.reserve(n);
  d.edges.reserve(n);
  for (std::size_t i = 0; i < n; ++i) d.nodes.push_back(node("n" + std::to_string(i), 1));
  // Listed backwards so file order is not already a topological order.
  for (std::size_t i = n - 1; i >= 1; --i)
    d.edges.push_back(edge("n" + std::to_string(i < n / 2 ? 0 : i - 1), "n" + std::to_string(i)));
  REQUIRE_FALSE(validate_definition(d, ""));
  auto s = summarize(d);
  // Longest path: n0, then the chain n(n/2-1) -> ... -> n(n-1) of n/2+1 nodes.
  CHECK(s.depth == n / 2 + 2);
  CHECK(s.critical_path_ms == static_cast<double>(n / 2 + 2));
  CHECK(s.max_width == n / 2 - 1);  // the fan's leaves n1..n(n/2-1), all on level 2
}

TEST_CASE("a cycle is reported with the nodes on it", "[model][graph]") {
  dataflow_definition d;
  d.nodes = {node("x", 1), node("p", 1), node("q", 1), node("r", 1)};
  d.edges = {edge("x", "p"), edge("q", "r"), edge("r", "p"), edge("p", "q")};
  auto bad = validate_definition(d, "f.json");
  REQUIRE(bad);
  CHECK(bad->message() == "f.json: /edges/2: cycle: p -> q -> r -> p");
}

TEST_CASE("hosting_violation names the rule a domain breaks", "[model][placement]") {
  domain_spec dom;
  dom.name = "v";
  dom.kind = domain_kind::verifiable;
  dom.memory_bytes = 1000;
  dom.security_level = 2;
  dom.capabilities = {"zk"};
  dataflow_node n = node("a", 1);
  n.resources.memory_bytes = 1000;
  n.security_level = 2;
  n.capabilities = {"zk"};
  n.required_kind = domain_kind::verifiable;
  CHECK(hosting_violation(n, dom).empty());

  auto with = [&](auto mutate) {
    auto m = n;
    auto dm = dom;
    mutate(m, dm);
    return hosting_violation(m, dm);
  };
  CHECK(with([](dataflow_node& m, domain_spec&) { m.resources.memory_bytes = 1001; }) ==
        "needs 1001 bytes of memory per slot, 'v' has 1000");
  CHECK(with([](dataflow_node& m, domain_spec&) { m.security_level = 3; }) ==
        "needs security level 3, 'v' has 2");
  CHECK(with([](dataflow_node& m, domain_spec&) { m.capabilities.push_back("gpu"); }) ==
        "needs capability 'gpu', 'v' lacks it");
  CHECK(with([](dataflow_node& m, domain_spec&) { m.required_kind = domain_kind::service; }) ==
        "needs a service domain, 'v' is verifiable");
  CHECK(with([](dataflow_node& m, domain_spec&) { m.domain = "other"; }) ==
        "node is pinned to domain 'other'");
  CHECK(with([](dataflow_node&, domain_spec& dm) { dm.available = false; }) ==
        "domain 'v' is unavailable");
}

TEST_CASE("numbers that cannot be right are refused in memory too", "[model]") {
  dataflow_definition d;
  d.nodes = {node("a", 1)};
  d.nodes[0].complexity = std::nan("");
  auto bad = validate_definition(d, "");
  REQUIRE(bad);
  CHECK(bad->path == "/nodes/0/complexity");
  d.nodes[0].complexity = 1.0;
  d.nodes[0].resources.estimated_completion_time_ms = -1;
  bad = validate_definition(d, "");
  REQUIRE(bad);
  CHECK(bad->path == "/nodes/0/resources/estimated_completion_time_ms");
}

TEST_CASE("platforms built in code obey the same rules as platform files", "[model][platform]") {
  platform p;
  p.name = "mem";
  CHECK(validate_platform(p, "")->reason == "a platform needs at least one domain");
  domain_spec d;
  d.name = "a";
  p.domains = {d};
  CHECK_FALSE(validate_platform(p, ""));
  p.domains[0].speed = std::nan("");
  auto bad = validate_platform(p, "");
  REQUIRE(bad);
  CHECK(bad->path == "/domains/0/speed");
  CHECK(bad->reason == "must be finite, got nan");
  p.domains[0].speed = 1.0;
  p.domains[0].cost.cost_per_external_call = -1;
  bad = validate_platform(p, "");
  REQUIRE(bad);
  CHECK(bad->path == "/domains/0/cost/cost_per_external_call");
  p.domains[0].cost.cost_per_external_call = 0;
  p.network.cross_domain_multiplier["compute->service"] = std::nan("");
  bad = validate_platform(p, "");
  REQUIRE(bad);
  CHECK(bad->path == "/network/cross_domain_multiplier/compute->service");
}
