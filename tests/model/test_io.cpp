// JSON reading and writing of the project's forms and WfCommons details.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "causality/model/graph.hpp"
#include "causality/model/io.hpp"
#include "causality/model/limits.hpp"
#include "causality/model/validate.hpp"

using namespace causality::model;
using nlohmann::json;

namespace {

/// A definition in which every field differs from its default.
dataflow_definition everything_set() {
  dataflow_definition d;
  d.definition_id = "def-1";
  d.name = "all fields";
  d.input_schema = {{"x", "int"}, {"name", "string"}};
  d.output_schema = {{"y", "double"}};
  d.state_schema = {{"seen", "map"}};
  d.default_typed_domain = typed_domain::service({"payments", "geo"});
  d.default_typed_domain.name = "svc-eu";
  dataflow_node a;
  a.node_id = "a";
  a.name = "Source A";
  a.node_type = "http_fetch";
  a.input_ports = {{"trigger", "bool"}};
  a.output_ports = {{"out", "bytes"}, {"err", "string"}};
  a.logic_ref = "lib://fetch";
  a.domain = "svc-eu";
  a.required_kind = domain_kind::service;
  a.resources = {1234, 5678, 91011, 121314, 15.5};
  a.complexity = 1.75;
  a.security_level = 2;
  a.capabilities = {"external-api", "tls"};
  a.external_calls = 3;
  a.params = {{"url", "https://x"}, {"retries", "4"}};
  a.retry = retry_policy{4, 250, 1.5, 5000, 0.25};
  a.timeout_ms = 1500.5;
  dataflow_node b;
  b.node_id = "b";
  b.input_ports = {{"in", "bytes"}};
  b.required_kind = domain_kind::verifiable;
  d.nodes = {a, b};
  dataflow_edge e;
  e.edge_id = "a-b";
  e.source_node = "a";
  e.target_node = "b";
  e.source_port = "out";
  e.target_port = "in";
  e.bytes = limits::max_item_bytes;  // the largest accepted survives too
  e.transform = "gunzip";
  e.filter = "non_empty";
  e.route = "by_region";
  d.edges = {e};
  d.policies = run_policies{retry_policy{2, 10, 1, 100, 0}, 60000, true};
  return d;
}

json wf_instance(json tasks, json files, json exec_tasks = nullptr) {
  json j{{"name", "mini"},
         {"schemaVersion", "1.5"},
         {"workflow", {{"specification", {{"tasks", tasks}, {"files", files}}}}}};
  if (!exec_tasks.is_null()) j["workflow"]["execution"] = {{"tasks", exec_tasks}};
  return j;
}

}  // namespace

TEST_CASE("every field of a definition survives the JSON round trip", "[model][roundtrip]") {
  auto d = everything_set();
  REQUIRE_FALSE(validate_definition(d, ""));
  auto j = parse_json(definition_to_json(d).dump(2), "mem");
  REQUIRE(j);
  auto back = definition_from_json(*j, "mem");
  REQUIRE(back);
  CHECK(back->nodes[0] == d.nodes[0]);
  CHECK(back->nodes[1] == d.nodes[1]);
  CHECK(back->edges[0] == d.edges[0]);
  CHECK(back->default_typed_domain == d.default_typed_domain);
  CHECK(*back == d);
}

TEST_CASE("equality notices a change in any one field", "[model]") {
  const auto d = everything_set();
  auto changed = [&](auto mutate) {
    auto c = d;
    mutate(c);
    return c != d;
  };
  CHECK(changed([](dataflow_definition& c) { c.nodes[0].params["retries"] = "5"; }));
  CHECK(changed([](dataflow_definition& c) { c.nodes[0].input_ports[0].type = "int"; }));
  CHECK(changed([](dataflow_definition& c) { c.nodes[1].required_kind.reset(); }));
  CHECK(changed([](dataflow_definition& c) { c.nodes[0].resources.storage_bytes++; }));
  CHECK(changed([](dataflow_definition& c) { c.edges[0].route = ""; }));
  CHECK(changed([](dataflow_definition& c) { c.default_typed_domain.external_apis.pop_back(); }));
  CHECK(changed([](dataflow_definition& c) { c.state_schema.clear(); }));
  CHECK(changed([](dataflow_definition& c) { c.nodes[0].retry->jitter = 0; }));
  CHECK(changed([](dataflow_definition& c) { c.nodes[0].timeout_ms.reset(); }));
  CHECK(changed([](dataflow_definition& c) { c.policies.continue_on_failure = false; }));
  CHECK(changed([](dataflow_definition& c) { c.policies.retry->max_attempts = 3; }));
  CHECK_FALSE(changed([](dataflow_definition&) {}));
}

TEST_CASE("unknown fields are refused and absent ones keep the defaults", "[model]") {
  json j = {{"definition_id", "d"},
            {"future_field", {1, 2, 3}},
            {"nodes", {{{"node_id", "a"}}}},
            {"default_typed_domain", "verifiable"}};
  auto unknown = definition_from_json(j, "mem");
  REQUIRE_FALSE(unknown);
  CHECK(unknown.err().message() == "mem: /future_field: unknown field (known here: definition_id, name, "
                                   "input_schema, output_schema, state_schema, default_typed_domain, nodes, edges, policies)");
  j["nodes"][0]["colour"] = "blue";
  j.erase("future_field");
  REQUIRE_FALSE(definition_from_json(j, "mem"));
  j["nodes"][0].erase("colour");
  auto d = definition_from_json(j, "mem");
  REQUIRE(d);
  const auto& n = d->nodes[0];
  CHECK(n.name == "a");
  CHECK(n.node_type == "noop");
  resource_usage_estimate guess;  // no resources in the file: the defaults, cpu_time_ms a guess
  guess.cpu_time_given = false;
  CHECK(n.resources == guess);
  CHECK(n.complexity == 1.0);
  CHECK_FALSE(n.domain);
  CHECK(d->edges.empty());
  CHECK(d->default_typed_domain == typed_domain::verifiable());
}

TEST_CASE("malformed JSON reports the line and column of the error", "[model]") {
  auto r = parse_json("{\n  \"a\": 1,\n  \"b\": tru\n}", "f.json");
  REQUIRE_FALSE(r);
  CHECK(r.err().file == "f.json");
  CHECK_THAT(r.err().reason, Catch::StartsWith("malformed JSON at line 3, column "));
  auto first = parse_json("@", "g.json");
  REQUIRE_FALSE(first);
  CHECK_THAT(first.err().reason, Catch::StartsWith("malformed JSON at line 1, column 1: "));
}

TEST_CASE("WfCommons files may be referenced by id or by name", "[model][wfcommons]") {
  json files = {{{"id", "f1"}, {"name", "data.csv"}, {"sizeInBytes", 100}},
                {{"id", "f2"}, {"sizeInBytes", 7}},
                {{"name", "only-name"}, {"sizeInBytes", 1000}}};
  json tasks = {
      {{"id", "t1"}, {"outputFiles", {"f1", "f2", "only-name"}}, {"children", {"t2"}}},
      {{"id", "t2"},
       {"parents", {"t1"}},  // listed on both sides: one edge
       {"inputFiles", {"data.csv", "f2", "f2", {{"id", "only-name"}}}}}};
  auto d = wfcommons_from_json(wf_instance(tasks, files), "mem");
  REQUIRE(d);
  REQUIRE(d->edges.size() == 1);
  CHECK(d->edges[0].bytes == 1107);  // each shared file once
}

TEST_CASE("WfCommons without an execution section keeps default estimates",
          "[model][wfcommons]") {
  json tasks = {{{"name", "only-name-task"}, {"children", json::array()}}};
  auto d = wfcommons_from_json(wf_instance(tasks, json::array()), "mem");
  REQUIRE(d);
  CHECK(d->nodes[0].node_id == "only-name-task");  // id falls back to name
  resource_usage_estimate guess;  // no execution record: the defaults, cpu_time_ms a guess
  guess.cpu_time_given = false;
  CHECK(d->nodes[0].resources == guess);
}

TEST_CASE("WfCommons runtime and memory come from the execution records", "[model][wfcommons]") {
  json tasks = {{{"id", "a"}, {"children", {"b"}}}, {{"id", "b"}}};
  json exec = {{{"id", "b"}, {"runtimeInSeconds", 2.5}, {"memoryInBytes", 4096}},
               {{"id", "a"}, {"runtimeInSeconds", 0.0004}}};
  auto d = wfcommons_from_json(wf_instance(tasks, json::array(), exec), "mem");
  REQUIRE(d);
  CHECK(d->nodes[1].resources.cpu_time_ms == 2500);
  CHECK(d->nodes[1].resources.memory_bytes == 4096);
  CHECK(d->nodes[0].resources.cpu_time_ms == Approx(0.4).epsilon(1e-12));  // exact, not rounded
  CHECK(d->nodes[0].resources.memory_bytes == resource_usage_estimate{}.memory_bytes);
}

TEST_CASE("strategies and hints round trip through JSON", "[model][roundtrip]") {
  for (const auto& s : builtin_strategies()) {
    auto back = strategy_from_json(strategy_to_json(s), "mem");
    REQUIRE(back);
    CHECK(*back == s);
  }
  initiation_hint h;
  h.preferred_strategy_id = "latency";
  h.priority = 90;
  h.dataflow_definition_id = "def-1";
  h.resource_constraints.memory_bytes = 1ull << 33;
  h.resource_constraints.completion_time_ms = 1500.25;
  h.domain_preference_order = {"service", "compute-a"};
  h.prefer_parallel_execution = true;
  h.max_latency_ms = 60000;
  h.cost_budget = 12345;
  auto back = hint_from_json(hint_to_json(h), "mem");
  REQUIRE(back);
  CHECK(*back == h);
  auto defaults = hint_from_json(json::object(), "mem");
  REQUIRE(defaults);
  CHECK(*defaults == initiation_hint{});
}

TEST_CASE("a hint must name a known strategy", "[model]") {
  initiation_hint h;
  CHECK_FALSE(validate_hint(h, {"balanced", "latency"}, "h.json"));
  h.preferred_strategy_id = "fastest";
  auto bad = validate_hint(h, {"balanced", "latency"}, "h.json");
  REQUIRE(bad);
  CHECK(bad->message() ==
        "h.json: /preferred_strategy_id: unknown strategy 'fastest' (known: balanced, latency)");
}

TEST_CASE("platform files carry endpoints, availability and domain-specific costs",
          "[model][platform]") {
  json j = {{"name", "p"},
            {"domains",
             {{{"name", "remote"},
               {"kind", "verifiable"},
               {"endpoint", "10.0.0.5:7000"},
               {"available", false},
               {"cost", {{"proof_cost_per_unit", 2.5}, {"cost_per_external_call", 0.25}}}}}}};
  auto p = platform_from_json(j, "mem");
  REQUIRE(p);
  const auto& d = p->domains[0];
  CHECK(d.endpoint == std::optional<std::string>("10.0.0.5:7000"));
  CHECK_FALSE(d.available);
  CHECK(d.cost.proof_cost_per_unit == 2.5);
  CHECK(d.cost.cost_per_external_call == 0.25);
  CHECK(d.cost.base_cost == 100);  // absent: default
  auto back = platform_from_json(platform_to_json(*p), "mem");
  REQUIRE(back);
  CHECK(*back == *p);
}
