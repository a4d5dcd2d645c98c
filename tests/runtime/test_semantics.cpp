// Builder, validation and edge semantics on real actors.
#include <catch2/catch.hpp>

#include "helpers.hpp"

using namespace causality;

namespace {
node_fn constant(value v) {
  return [v](const value&, node_context&) { return v; };
}
node_fn plus(std::int64_t k) {
  return [k](const value& in, node_context&) { return value(in.as_int() + k); };
}
}  // namespace

TEST_CASE("a chain passes values from node to node", "[runtime]") {
  runtime rt;
  auto wf = workflow("chain").node("a", constant(value(1))).node("b", plus(10)).node("c", plus(100))
                .edge("a", "b").edge("b", "c");
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  REQUIRE(run->outcome().status == run_status::succeeded);
  CHECK(run->output().as_int() == 111);
  auto res = run->results();
  REQUIRE(res.size() == 3);
  CHECK(res[1].output.as_int() == 11);
  CHECK(res[1].attempts == 1);
  CHECK(res[1].domain >= 0);
  auto pr = run->progress();
  CHECK(pr.done == 3);
  CHECK(pr.pending == 0);
}

TEST_CASE("without keep_outputs only the sinks' outputs are kept", "[runtime]") {
  runtime rt;
  auto wf = workflow("k").node("a", constant(value(1))).node("b", plus(1)).edge("a", "b");
  spawn_options o = test::with_plan(wf);
  o.keep_outputs = false;
  auto run = rt.spawn(wf, {}, o);
  REQUIRE(run);
  CHECK(run->output().as_int() == 2);
  CHECK(run->results()[0].output.is_null());
}

TEST_CASE("a node with several inputs gets an object keyed by source or port", "[runtime]") {
  runtime rt;
  auto wf = workflow("join").node("x", constant(value(2))).node("y", constant(value(3)))
                .node("sum", [](const value& in, node_context&) {
                  return value(in["x"].as_int() + in["second"].as_int());
                })
                .edge("x", "sum").edge("y", "sum").port("second");
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  CHECK(run->output().as_int() == 5);
}

TEST_CASE("the builder and compiler reject bad workflows with the field named", "[runtime]") {
  runtime rt;
  SECTION("unknown node type") {
    auto wf = workflow("w").node_of_type("a", "nope");
    auto r = rt.spawn(wf);
    REQUIRE_FALSE(r);
    CHECK(r.err().path == "/nodes/0/node_type");
  }
  SECTION("edge to an unknown node") {
    auto wf = workflow("w").node("a", constant(value(1))).edge("a", "ghost");
    auto r = rt.spawn(wf);
    REQUIRE_FALSE(r);
    CHECK(r.err().path == "/edges/0/target_node");
  }
  SECTION("duplicate node id") {
    auto wf = workflow("w").node("a", constant(value(1))).node("a", constant(value(2)));
    auto r = rt.spawn(wf);
    REQUIRE_FALSE(r);
    CHECK(r.err().reason.find("duplicate") != std::string::npos);
  }
  SECTION("cycle") {
    auto wf = workflow("w").node("a", plus(1)).node("b", plus(1)).edge("a", "b").edge("b", "a");
    auto r = rt.spawn(wf);
    REQUIRE_FALSE(r);
    CHECK(r.err().reason.find("cycle") != std::string::npos);
  }
  SECTION("input schema") {
    auto wf = workflow("w").input("n", "int").node("a", constant(value(1)));
    spawn_options o;
    o.inputs = value(value::object{{"n", value("text")}});
    auto r = rt.spawn(wf, {}, o);
    REQUIRE_FALSE(r);
    CHECK(r.err().path == "/inputs/n");
  }
  SECTION("a given plan that does not fit the workflow or platform") {
    auto wf = workflow("w").node("a", constant(value(1))).node("b", constant(value(2)));
    auto o = test::with_plan(wf);
    o.plan->assignments.pop_back();
    auto short_plan = rt.spawn(wf, {}, o);
    REQUIRE_FALSE(short_plan);
    CHECK(short_plan.err().path == "/plan/assignments");
    CHECK(short_plan.err().reason == "the given plan has 1 assignments for 2 nodes");
    o = test::with_plan(wf);
    o.plan->assignments[1].domain = 99;
    auto far = rt.spawn(wf, {}, o);
    REQUIRE_FALSE(far);
    CHECK(far.err().path == "/plan/assignments/1/domain");
    o = test::with_plan(wf);
    std::swap(o.plan->assignments[0], o.plan->assignments[1]);
    auto swapped = rt.spawn(wf, {}, o);
    REQUIRE_FALSE(swapped);
    CHECK(swapped.err().path == "/plan/assignments/0/node");
  }
  SECTION("unknown strategy in the hint") {
    auto wf = workflow("w").node("a", constant(value(1)));
    model::initiation_hint h;
    h.preferred_strategy_id = "fastest-please";
    auto r = rt.spawn(wf, h);
    REQUIRE_FALSE(r);
    CHECK(r.err().path == "/hint/preferred_strategy_id");
    model::optimization_strategy s;
    s.name = "fastest-please";
    REQUIRE_FALSE(rt.add_strategy(s));
    auto again = rt.spawn(wf, h, test::with_plan(wf));
    CHECK(again);
  }
  SECTION("edge option before any edge") {
    auto wf = workflow("w").node("a", constant(value(1)));
    CHECK_THROWS_AS(wf.filter([](const value&) { return true; }), std::logic_error);
  }
}

TEST_CASE("output schema is checked at the end", "[runtime]") {
  runtime rt;
  auto wf = workflow("w").output("total", "int").node("a", constant(value(value::object{{"total", value("x")}})));
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  CHECK(run->outcome().status == run_status::failed);
  CHECK(run->outcome().error.find("total") != std::string::npos);
}

TEST_CASE("a filtered-out edge does not fire and an all-filtered node is skipped, transitively", "[runtime]") {
  runtime rt;
  std::atomic<int> ran_c{0}, ran_d{0};
  auto wf = workflow("f")
                .node("a", constant(value(7)))
                .node("b", plus(1))
                .node("c", [&](const value& in, node_context&) { ++ran_c; return in; })
                .node("d", [&](const value& in, node_context&) { ++ran_d; return in; })
                .edge("a", "b").filter([](const value& v) { return v.as_int() > 5; })
                .edge("a", "c").filter([](const value& v) { return v.as_int() < 5; })
                .edge("c", "d");
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  REQUIRE(run->outcome().status == run_status::succeeded);
  auto res = run->results();
  CHECK(res[1].status == actors::node_status::done);
  CHECK(res[1].output.as_int() == 8);
  CHECK(res[2].status == actors::node_status::skipped);
  CHECK(res[3].status == actors::node_status::skipped);
  CHECK(ran_c == 0);
  CHECK(ran_d == 0);
  CHECK(run->progress().skipped == 2);
}

TEST_CASE("a node with some inputs filtered out runs with the inputs that fired", "[runtime]") {
  runtime rt;
  auto wf = workflow("p").node("x", constant(value(1))).node("y", constant(value(2)))
                .node("j", [](const value& in, node_context&) { return value(static_cast<std::int64_t>(in.as_object().size())); })
                .edge("x", "j").edge("y", "j").filter([](const value&) { return false; });
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  CHECK(run->output().as_int() == 1);
}

TEST_CASE("a routing node chooses which successors receive its output", "[runtime]") {
  runtime rt;
  auto wf = workflow("r")
                .node("src", constant(value(42)))
                .router([](const value& v) { return std::vector<std::string>{v.as_int() > 10 ? "big" : "small"}; })
                .node("big", plus(1)).node("small", plus(2)).node("always", plus(3))
                .edge("src", "big").route("big")
                .edge("src", "small").route("small")
                .edge("src", "always");
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  auto res = run->results();
  CHECK(res[1].status == actors::node_status::done);
  CHECK(res[1].output.as_int() == 43);
  CHECK(res[2].status == actors::node_status::skipped);
  CHECK(res[3].output.as_int() == 45);
}

TEST_CASE("an edge transform maps the value it carries", "[runtime]") {
  runtime rt;
  auto wf = workflow("t").node("a", constant(value("abc"))).node("b", [](const value& in, node_context&) { return in; })
                .edge("a", "b").transform([](const value& v) { return value(static_cast<std::int64_t>(v.as_string().size())); });
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  CHECK(run->output().as_int() == 3);
}

TEST_CASE("fan-out shares one payload instead of copying it", "[runtime]") {
  runtime rt;
  auto wf = workflow("fan").node("src", constant(value(std::string(1 << 20, 'x'))));
  for (int i = 0; i < 8; ++i) wf.node("k" + std::to_string(i), [](const value& in, node_context&) { return in; }).edge("src", "k" + std::to_string(i));
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  REQUIRE(run->outcome().status == run_status::succeeded);
  auto res = run->results();
  for (int i = 1; i <= 8; ++i) CHECK(res[i].output.same_payload(res[0].output));
}

TEST_CASE("workflow state is read and updated atomically and checked against state_schema", "[runtime]") {
  runtime rt;
  auto wf = workflow("s").state("count", "int");
  for (int i = 0; i < 40; ++i)
    wf.node("n" + std::to_string(i), [](const value&, node_context& ctx) {
      ctx.state.update([](value::object& s) { s["count"] = value(s["count"].as_int() + 1); });
      return value{};
    });
  spawn_options o = test::with_plan(wf);
  o.initial_state["count"] = value(0);
  auto run = rt.spawn(wf, {}, o);
  REQUIRE(run);
  REQUIRE(run->outcome().status == run_status::succeeded);
  CHECK(run->state()["count"].as_int() == 40);

  auto bad = workflow("b").state("count", "int").node("n", [](const value&, node_context& ctx) {
    ctx.state.update([](value::object& s) { s["count"] = value("oops"); });
    return value{};
  });
  auto r2 = rt.spawn(bad, {}, test::with_plan(bad));
  REQUIRE(r2);
  CHECK(r2->outcome().status == run_status::failed);
  CHECK(r2->outcome().error.find("count") != std::string::npos);
}
