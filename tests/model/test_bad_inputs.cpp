// Every malformed input under tests/data/bad/ gives its own one-line error
// naming the file, the JSON path and the reason.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"

using namespace causality::model;

namespace {

enum class input { workflow, platform, hint };

struct bad_case {
  const char* file;
  input kind;
  const char* fragment;  ///< the specific part of the message this input must produce
};

/// Loads a file as its kind and returns the error message ("" when it loaded).
std::string load_error(const std::string& path, input kind) {
  switch (kind) {
    case input::workflow: {
      auto d = load_workflow_file(path);
      return d ? "" : d.err().message();
    }
    case input::platform: {
      auto p = load_platform_file(path);
      return p ? "" : p.err().message();
    }
    case input::hint: {
      auto text = read_text_file(path);
      if (!text) return text.err().message();
      auto j = parse_json(*text, path);
      if (!j) return j.err().message();
      auto h = hint_from_json(*j, path);
      if (!h) return h.err().message();
      std::vector<std::string> known;
      for (const auto& s : builtin_strategies()) known.push_back(s.name);
      auto bad = validate_hint(*h, known, path);
      return bad ? bad->message() : "";
    }
  }
  return "";
}

}  // namespace

TEST_CASE("each malformed input gives its own one-line error naming file, path and reason",
          "[model][bad]") {
  auto c = GENERATE(values<bad_case>({
      {"empty.json", input::workflow, "file is empty"},
      {"malformed.json", input::workflow, "malformed JSON at line 2, column 19"},
      {"truncated.json", input::workflow, "malformed JSON at line 3, column 1: "},
      {"top_level_array.json", input::workflow, "expected an object, got array"},
      {"missing_nodes.json", input::workflow, "/nodes: missing required field"},
      {"node_missing_id.json", input::workflow, "/nodes/1/node_id: missing required field"},
      {"cpu_time_wrong_type.json", input::workflow,
       "/nodes/0/resources/cpu_time_ms: expected a number, got string"},
      {"negative_memory.json", input::workflow,
       "/nodes/0/resources/memory_bytes: must be non-negative, got -5"},
      {"duplicate_node_id.json", input::workflow,
       "/nodes/2/node_id: duplicate node id 'b' (first at /nodes/1)"},
      {"duplicate_edge_id.json", input::workflow,
       "/edges/1/edge_id: duplicate edge id 'e1' (first at /edges/0)"},
      {"edge_unknown_node.json", input::workflow, "/edges/0/target_node: unknown node 'ghost'"},
      {"edge_unknown_port.json", input::workflow,
       "/edges/0/target_port: node 'b' has no input port 'wrong' (input ports: in, aux)"},
      {"edge_missing_target.json", input::workflow,
       "/edges/0/target_node: missing required field"},
      {"cycle.json", input::workflow, "/edges/3: cycle: a -> b -> c -> a"},
      {"self_loop.json", input::workflow, "/edges/1: cycle: b -> b"},
      {"unknown_schema_type.json", input::workflow,
       "/input_schema/record: unknown schema type 'strng' (known: any,"},
      {"unknown_port_type.json", input::workflow,
       "/nodes/0/input_ports/0/type: unknown schema type 'blob'"},
      {"zero_complexity.json", input::workflow, "/nodes/1/complexity: must be positive, got 0"},
      {"unknown_required_kind.json", input::workflow,
       "/nodes/0/required_kind: unknown domain kind 'quantum'"},
      {"edges_not_array.json", input::workflow, "/edges: expected an array, got object"},
      {"fractional_bytes.json", input::workflow,
       "/edges/0/bytes: must be a whole number, got 1.5"},
      {"capabilities_not_strings.json", input::workflow,
       "/nodes/0/capabilities/1: expected a string, got number"},
      {"wf_no_specification.json", input::workflow,
       "/workflow/specification: missing required field (WfCommons schema 1.5 expected)"},
      {"wf_unknown_parent.json", input::workflow,
       "/workflow/specification/tasks/1/parents/0: unknown task 'nope'"},
      {"wf_unknown_file.json", input::workflow,
       "/workflow/specification/tasks/0/outputFiles/0: unknown file 'f9'"},
      {"wf_negative_runtime.json", input::workflow,
       "/workflow/execution/tasks/0/runtimeInSeconds: must be non-negative, got -1"},
      {"wf_runtime_wrong_type.json", input::workflow,
       "/workflow/execution/tasks/0/runtimeInSeconds: expected a number, got string"},
      {"wf_cycle.json", input::workflow, "/workflow/specification/tasks: cycle: t1 -> t2 -> t1"},
      {"wf_empty_task_id.json", input::workflow, "/workflow/specification/tasks/1/id: must not be empty"},
      {"wf_huge_runtime.json", input::workflow,
       "/workflow/execution/tasks/0/runtimeInSeconds: must be at most 1e+06, got 1e+300 (seconds)"},
      {"number_overflow.json", input::workflow, "malformed JSON at line 3, column 39: number overflow parsing '1e400'"},
      {"wf_duplicate_task.json", input::workflow,
       "/workflow/specification/tasks/1/id: duplicate task id 't1'"},
      {"wf_tasks_not_array.json", input::workflow,
       "/workflow/specification/tasks: expected an array, got object"},
      {"pf_zero_slots.json", input::platform, "/domains/0/slots: must be at least 1, got 0"},
      {"pf_zero_speed.json", input::platform, "/domains/1/speed: must be at least 0.001, got 0"},
      {"pf_negative_cost_factor.json", input::platform,
       "/domains/0/cost/domain_cost_factor: must be non-negative, got -2"},
      {"pf_negative_base_cost.json", input::platform,
       "/domains/0/cost/base_cost: must be non-negative, got -100"},
      {"pf_negative_proof_cost.json", input::platform,
       "/domains/0/cost/proof_cost_per_unit: must be non-negative, got -0.5"},
      {"pf_duplicate_domain.json", input::platform,
       "/domains/1/name: duplicate domain name 'a' (first at /domains/0)"},
      {"pf_bad_multiplier_key.json", input::platform,
       "/network/cross_domain_multiplier/compute->gpu: bad multiplier key 'compute->gpu'"},
      {"pf_negative_multiplier.json", input::platform,
       "/network/cross_domain_multiplier/service->compute: must be at least 0.001, got -1"},
      {"pf_no_domains.json", input::platform, "/domains: a platform needs at least one domain"},
      {"pf_unknown_kind.json", input::platform,
       "/domains/0/kind: unknown domain kind 'quantum' (known: compute, service, verifiable)"},
      {"pf_zero_bandwidth.json", input::platform,
       "/network/bandwidth_bytes_per_s: must be at least 1e+06, got 0"},
      {"pf_domain_missing_name.json", input::platform, "/domains/0/name: missing required field"},
      {"pf_endpoint_not_string.json", input::platform,
       "/domains/0/endpoint: expected a string, got number"},
      {"hint_unknown_strategy.json", input::hint,
       "/preferred_strategy_id: unknown strategy 'fastest' (known: capital-efficiency, latency, "
       "cost-minimization, balanced)"},
      {"hint_negative_budget.json", input::hint, "/cost_budget: must be non-negative, got -10"},
      {"hint_negative_completion.json", input::hint,
       "/resource_constraints/completion_time_ms: must be non-negative, got -1.5"},
  }));
  const std::string path = std::string(CAUSALITY_TEST_DATA) + "/bad/" + c.file;
  CAPTURE(path);
  const std::string msg = load_error(path, c.kind);
  CAPTURE(msg);
  REQUIRE_FALSE(msg.empty());
  CHECK(msg.rfind(path + ": ", 0) == 0);  // starts with the file
  CHECK(msg.find(c.fragment) != std::string::npos);
  CHECK(msg.find('\n') == std::string::npos);
}

TEST_CASE("a node no domain can host is reported with the requirement no domain meets",
          "[model][bad]") {
  using row = std::pair<const char*, const char*>;
  auto c = GENERATE(values<row>({
      {"pinned_unknown.json",
       "/nodes/1/domain: pinned domain 'gpu' is not in platform 'placement-2' (domains: cpu, zk)"},
      {"pinned_cannot_host.json",
       "/nodes/1/domain: pinned domain 'zk' cannot host node 'n': needs 4294967296 bytes of "
       "memory per slot, 'zk' has 2147483648"},
      {"memory_too_large.json",
       "/nodes/1: no domain of platform 'placement-2' can host node 'n': it needs 17179869184 "
       "bytes of memory per slot, the most any domain has is 8589934592"},
      {"security_too_high.json",
       "it needs security level 5, the highest any domain has is 3"},
      {"capability_missing.json", "it needs capability 'gpu', which no domain has"},
      {"kind_missing.json", "it needs a service domain and the platform has none available"},
      {"no_single_domain.json",
       "no single domain meets all its requirements (needs security level 3, 'cpu' has 1; needs "
       "4294967296 bytes of memory per slot, 'zk' has 2147483648)"},
  }));
  const std::string dir = std::string(CAUSALITY_TEST_DATA) + "/placement/";
  auto platform = load_platform_file(dir + "platform.json");
  REQUIRE(platform);
  const std::string path = dir + c.first;
  CAPTURE(path);
  auto d = load_workflow_file(path);
  REQUIRE(d);  // structurally fine; only placement fails
  auto bad = validate_against_platform(*d, *platform, path);
  REQUIRE(bad);
  CHECK(bad->file == path);
  CHECK_THAT(bad->message(), Catch::Contains(c.second));
}

TEST_CASE("a node every requirement of which one domain meets passes platform validation",
          "[model]") {
  const std::string dir = std::string(CAUSALITY_TEST_DATA) + "/placement/";
  auto platform = load_platform_file(dir + "platform.json");
  auto d = load_workflow_file(dir + "hostable.json");
  REQUIRE(platform);
  REQUIRE(d);
  CHECK_FALSE(validate_against_platform(*d, *platform, "hostable.json"));
}

TEST_CASE("missing files and directories are errors naming the path", "[model][bad]") {
  const std::string missing = std::string(CAUSALITY_TEST_DATA) + "/bad/no-such-file.json";
  auto d = load_workflow_file(missing);
  REQUIRE_FALSE(d);
  CHECK(d.err().message() == missing + ": no such file");
  auto p = load_platform_file(CAUSALITY_TEST_DATA);
  REQUIRE_FALSE(p);
  CHECK(p.err().message() == std::string(CAUSALITY_TEST_DATA) + ": is a directory, not a file");
}
