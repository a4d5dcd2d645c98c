// The run summary's pieces that need no runtime: output sizes and previews
// of values that share sub-values, and summarize() on records written here.
#include <catch2/catch.hpp>

#include "causality/observe/run_summary.hpp"

using namespace causality;
using model::value;

TEST_CASE("output size and preview stay bounded on values that share sub-values", "[observe][summary]") {
  // Each level holds the previous one twice: 2^60 leaves if walked in full,
  // as a join's output holding its inputs does across a deep DAG.
  value v(std::int64_t{1});
  for (int i = 0; i < 60; ++i) v = value(value::object{{"a", v}, {"b", v}});
  auto bytes = observe::approx_json_bytes(v);
  CHECK(bytes > 100);  // a lower bound, from a bounded walk
  auto text = v.to_string(80);
  CHECK(text.size() == 80);
  CHECK(text.substr(77) == "...");
  CHECK(text.rfind("{\"a\":{\"a\":", 0) == 0);
  // Small values are exact and not cut.
  CHECK(value(value::array{1, "x"}).to_string(80) == "[1,\"x\"]");
  CHECK(observe::approx_json_bytes(value("abc")) == 5);
}

TEST_CASE("summarize: moved, lost and skipped nodes are named and explained from the records", "[observe][summary]") {
  model::dataflow_definition def;
  def.name = "wf";
  for (const char* id : {"a", "b", "c"}) {
    model::dataflow_node n;
    n.node_id = id;
    def.nodes.push_back(n);
  }
  model::platform plat;
  plat.name = "p";
  for (const char* d : {"fast", "slow"}) {
    model::domain_spec s;
    s.name = d;
    s.slots = 2;
    plat.domains.push_back(s);
  }
  strategies::plan p;
  p.strategy = "balanced";
  p.makespan_ms = 10;
  p.assignments = {{0, 0, 0, 5, 100}, {1, 0, 0, 5, 100}, {2, 1, 5, 10, 100}};
  observe::run_recorder rec;
  rec.on_node_placed(observe::node_placed{1, "b", 1, 1, "fast", "slow", observe::placement::moved,
                                          "moved off the planned domain 'fast' (busy) by plan-first", 1});
  rec.on_node_lost(observe::node_lost{1, "a", 0, 1, "fast", 3});
  value out(std::int64_t{7});
  observe::summary_inputs in;
  in.def = &def;
  in.platform = &plat;
  in.plan = &p;
  in.nodes = {{"done", 1, 2, 4, 9, &out, ""}, {"done", 1, 1, 1, 6, nullptr, ""}, {"skipped", -1, 0, 0, 0, nullptr, ""}};
  in.status = "succeeded";
  in.wall_ms = 12;
  in.recorder = &rec;
  in.domain_changes = {{2.5, "fast", false, "killed"}};
  auto s = observe::summarize(in);
  CHECK(s.nodes_moved == 2);  // a and b ran on 'slow', planned on 'fast'
  CHECK(s.nodes_rerun == 1);
  CHECK(s.actual_makespan_ms == Approx(8));
  CHECK(s.nodes[0].why.find("its domain 'fast' was lost") == 0);
  CHECK(s.nodes[0].output == "7");
  CHECK(s.nodes[1].why == "moved off the planned domain 'fast' (busy) by plan-first");
  CHECK(s.nodes[2].why.rfind("not run: skipped", 0) == 0);
  REQUIRE(s.domain_changes.size() == 1);
  CHECK(s.domains[0].lost);
  CHECK(s.domains[1].nodes == 2);
  auto why = observe::explain_node(s, in, "b");
  REQUIRE(why);
  CHECK(why->find("node 'b': done on 'slow'") == 0);
  CHECK_FALSE(observe::explain_node(s, in, "nope"));
}
