// The CAF-free dataflow rules alone: readiness, skip propagation, inputs,
// routing with filters and transforms, the output-schema check.
#include <catch2/catch.hpp>

#include <causality/actors/dataflow_rules.hpp>
#include <causality/domains/platform.hpp>

using namespace causality;
using namespace causality::actors;

namespace {

model::dataflow_node node(std::string id) {
  model::dataflow_node n;
  n.node_id = std::move(id);
  return n;
}
model::dataflow_edge edge(std::string id, std::string from, std::string to, std::string route = {},
                          std::string port = {}) {
  model::dataflow_edge e;
  e.edge_id = std::move(id);
  e.source_node = std::move(from);
  e.target_node = std::move(to);
  e.route = std::move(route);
  e.target_port = std::move(port);
  return e;
}

/// a -> b (route "left"), a -> c (route "right"), b -> d (port "x"), c -> d (port "y").
std::shared_ptr<const program> diamond(workflow_code code = {}) {
  auto def = std::make_shared<model::dataflow_definition>();
  def->nodes = {node("a"), node("b"), node("c"), node("d")};
  def->edges = {edge("ab", "a", "b", "left"), edge("ac", "a", "c", "right"), edge("bd", "b", "d", {}, "x"),
                edge("cd", "c", "d", {}, "y")};
  function_registry reg;
  reg.node_types["noop"] = std::make_shared<const node_fn>([](const value& in, node_context&) { return in; });
  auto p = compile(def, code, reg, std::make_shared<const model::platform>(domains::local_platform()));
  REQUIRE(p);
  return *p;
}

}  // namespace

TEST_CASE("dataflow: a node is ready when its last in-edge settles and one fired", "[actors][dataflow]") {
  auto p = diamond();
  dataflow::marks m;
  m.reset(*p);
  CHECK(m.remaining == std::vector<std::uint32_t>{0, 1, 1, 2});
  CHECK(dataflow::resolve(*p, m, 2, true, value(1)) == dataflow::target::waiting);  // b -> d
  CHECK(dataflow::resolve(*p, m, 3, false, value{}) == dataflow::target::ready);    // c -> d did not fire
  auto in = dataflow::input_of(*p, m, 3, value{});
  CHECK(in == value(value::object{{"x", value(1)}}));  // only the fired edge, by target port
  CHECK(dataflow::input_of(*p, m, 0, value("run input")) == value("run input"));
}

TEST_CASE("dataflow: skips propagate to nodes left with no fired input", "[actors][dataflow]") {
  auto p = diamond();
  dataflow::marks m;
  m.reset(*p);
  std::vector<std::uint32_t> skips;
  // a routed only "left": c is skipped, d still gets b.
  CHECK(dataflow::resolve(*p, m, 0, true, value(1)) == dataflow::target::ready);
  CHECK(dataflow::resolve(*p, m, 1, false, value{}) == dataflow::target::skipped);
  skips.push_back(2);
  std::vector<std::uint32_t> skipped, ready;
  dataflow::skip_all(*p, m, skips, [&](std::uint32_t v) { skipped.push_back(v); },
                     [&](std::uint32_t w) { ready.push_back(w); });
  CHECK(skipped == std::vector<std::uint32_t>{2});
  CHECK(ready.empty());  // d still waits for b
  CHECK(dataflow::resolve(*p, m, 2, true, value(2)) == dataflow::target::ready);

  // A failed node upstream skips its descendants even when another input fires.
  dataflow::marks f;
  f.reset(*p);
  f.flags[3] |= dataflow::upstream_failed;
  CHECK(dataflow::resolve(*p, f, 2, true, value(1)) == dataflow::target::waiting);
  CHECK(dataflow::resolve(*p, f, 3, true, value(1)) == dataflow::target::skipped);
}

TEST_CASE("dataflow: a router picks labelled edges, filters and transforms apply", "[actors][dataflow]") {
  workflow_code code;
  code.routers["a"] = [](const value&) { return std::vector<std::string>{"right"}; };
  code.transforms["ac"] = [](const value& v) { return value(v.as_int() * 10); };
  auto p = diamond(code);
  std::vector<std::pair<bool, value>> out;
  dataflow::route(*p, 0, value(4), out);
  REQUIRE(out.size() == 2);
  CHECK_FALSE(out[0].first);  // "left" not chosen
  CHECK(out[1].first);
  CHECK(out[1].second == value(40));

  workflow_code stop;
  stop.filters["bd"] = [](const value&) { return false; };
  auto q = diamond(stop);
  dataflow::route(*q, 1, value(1), out);
  REQUIRE(out.size() == 1);
  CHECK_FALSE(out[0].first);

  workflow_code throws;
  throws.routers["a"] = [](const value&) -> std::vector<std::string> { throw std::runtime_error("bad"); };
  auto r = diamond(throws);
  CHECK_THROWS_WITH(dataflow::route(*r, 0, value(1), out), "bad");
}

TEST_CASE("dataflow: output_schema checks the single sink's object", "[actors][dataflow]") {
  model::dataflow_definition def;
  CHECK_FALSE(dataflow::output_schema_violation(def, {}));
  def.output_schema = {{"total", "int"}};
  CHECK_FALSE(dataflow::output_schema_violation(def, {{"d", value(value::object{{"total", value(3)}})}}));
  auto bad = dataflow::output_schema_violation(def, {{"d", value(value::object{{"total", value("x")}})}});
  REQUIRE(bad);
  CHECK(*bad == "output_schema: field 'total' must be int, got string");
  auto none = dataflow::output_schema_violation(def, {{"d", value(1)}, {"e", value(2)}});
  REQUIRE(none);
  CHECK(*none == "output_schema: field 'total' must be int, got nothing");
}
