// Every project file format refuses a field it does not know, naming the
// file, the JSON path of the field and the closest known name (or the known
// ones when none is close): a misspelt `makespan_stretch` or `nodes` is never
// silently ignored. WfCommons instances, an outside format with many fields
// the planner has no use for, are exempt.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/names.hpp"

using namespace causality::model;
using json = nlohmann::json;

namespace {

template <class T>
std::string refusal(const expected<T>& r) {
  REQUIRE_FALSE(r);
  return r.err().message();
}

const char* k_file = "f.json";

}  // namespace

TEST_CASE("workflow files refuse unknown fields with the closest known name", "[model][unknown]") {
  auto wf = [](const std::string& text) { return workflow_from_json(json::parse(text), k_file); };
  CHECK(refusal(wf(R"({"name": "w", "nodez": [], "nodes": [{"node_id": "a"}]})")) ==
        "f.json: /nodez: unknown field (did you mean 'nodes'?)");
  CHECK(refusal(wf(R"({"name": "w", "nodes": [{"node_id": "a", "resources": {"cpu_tme_ms": 5}}]})")) ==
        "f.json: /nodes/0/resources/cpu_tme_ms: unknown field (did you mean 'cpu_time_ms'?)");
  CHECK(refusal(wf(R"({"name": "w", "nodes": [{"node_id": "a"}, {"node_id": "b"}],
                       "edges": [{"edge_id": "e", "source_node": "a", "target_node": "b", "filtre": "truthy"}]})")) ==
        "f.json: /edges/0/filtre: unknown field (did you mean 'filter'?)");
  CHECK(refusal(wf(R"({"name": "w", "nodes": [{"node_id": "a", "node_type": "exec",
                       "exec": {"argv": ["/bin/true"], "environment": {}}}]})")) ==
        "f.json: /nodes/0/exec/environment: unknown field (known here: argv, env, cwd)");
  // The policy objects refuse misspelt fields too.
  CHECK(refusal(wf(R"({"name": "w", "nodes": [{"node_id": "a", "retry": {"max_atempts": 3}}]})")) ==
        "f.json: /nodes/0/retry/max_atempts: unknown field (did you mean 'max_attempts'?)");
  CHECK(refusal(wf(R"({"name": "w", "nodes": [{"node_id": "a"}], "policies": {"continue_on_failur": true}})")) ==
        "f.json: /policies/continue_on_failur: unknown field (did you mean 'continue_on_failure'?)");
  CHECK(refusal(wf(R"({"name": "w", "nodes": [{"node_id": "a"}], "policies": {"retry": {"jiter": 0.5}}})")) ==
        "f.json: /policies/retry/jiter: unknown field (did you mean 'jitter'?)");
  CHECK(refusal(wf(R"({"name": "w", "nodes": [{"node_id": "a"}], "polices": {}})")) ==
        "f.json: /polices: unknown field (did you mean 'policies'?)");
  // Free-form maps keep any key.
  CHECK(wf(R"({"name": "w", "input_schema": {"anything": "int"},
               "nodes": [{"node_id": "a", "params": {"whatever": "x"}}]})"));
  // What the project writes, it reads.
  auto d = wf(R"({"name": "w", "nodes": [{"node_id": "a", "node_type": "exec", "exec": {"argv": ["/bin/true"]}}]})");
  REQUIRE(d);
  CHECK(workflow_from_json(definition_to_json(*d), k_file));
}

TEST_CASE("platform, strategy and hint files refuse unknown fields", "[model][unknown]") {
  CHECK(refusal(platform_from_json(json::parse(R"({"name": "p", "domains": [{"name": "d", "slot": 2}]})"), k_file)) ==
        "f.json: /domains/0/slot: unknown field (did you mean 'slots'?)");
  CHECK(refusal(platform_from_json(
            json::parse(R"({"name": "p", "domains": [{"name": "d", "cost": {"base_cots": 1}}]})"), k_file)) ==
        "f.json: /domains/0/cost/base_cots: unknown field (did you mean 'base_cost'?)");
  CHECK(refusal(platform_from_json(
            json::parse(R"({"name": "p", "domains": [{"name": "d"}], "network": {"bandwith_bytes_per_s": 1e9}})"),
            k_file)) == "f.json: /network/bandwith_bytes_per_s: unknown field (did you mean 'bandwidth_bytes_per_s'?)");
  CHECK(refusal(strategy_from_json(json::parse(R"({"name": "s", "cost_wieght": 1})"), k_file)) ==
        "f.json: /cost_wieght: unknown field (did you mean 'cost_weight'?)");
  CHECK(refusal(hint_from_json(json::parse(R"({"makespan_strech": 2})"), k_file)) ==
        "f.json: /makespan_strech: unknown field (did you mean 'makespan_stretch'?)");
  CHECK(refusal(hint_from_json(json::parse(R"({"resource_constraints": {"memory": 5}})"), k_file))
            .rfind("f.json: /resource_constraints/memory: unknown field (known here: cpu_time_ms, ", 0) == 0);
  CHECK(hint_from_json(hint_to_json(initiation_hint{}), k_file));
}

TEST_CASE("an unknown key megabytes long is named in at most 64 bytes, cheaply", "[model][unknown]") {
  const std::string key(8u << 20, 'k');
  json j = json::parse(R"({"name": "p", "domains": [{"name": "d"}]})");
  j[key] = 1;
  auto m = refusal(platform_from_json(j, k_file));
  CHECK(m == "f.json: /" + std::string(64, 'k') + "...: unknown field (known here: name, domains, network)");
  // The distance of words whose lengths differ by more than the cap is not computed.
  CHECK(edit_distance(key, "name", 3) == 4);
  CHECK(edit_distance("nodez", "nodes") == 1);
  CHECK(edit_distance("cpu_tme_ms", "cpu_time_ms") == 1);
  CHECK(closest("makespan_strech", {"makespan_stretch", "max_latency_ms"}) == "makespan_stretch");
  CHECK(closest("zzzz", {"name", "domains"}).empty());
}
