// Retry, timeout and continue-on-failure policies in workflow files: read
// with their defaults, range-checked against limits.hpp (one error naming
// file, JSON path and reason), written back unchanged.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"

using namespace causality::model;
using json = nlohmann::json;

namespace {

expected<dataflow_definition> wf(const std::string& text) { return workflow_from_json(json::parse(text), "p.json"); }

std::string refusal(const std::string& text) {
  auto r = wf(text);
  REQUIRE_FALSE(r);
  return r.err().message();
}

/// A workflow of one node "a" with `node` added to it and `rest` at the top level.
std::string one_node(const std::string& node, const std::string& rest = "") {
  return R"({"name": "w", "nodes": [{"node_id": "a")" + (node.empty() ? "" : ", " + node) + "}]" +
         (rest.empty() ? "" : ", " + rest) + "}";
}

}  // namespace

TEST_CASE("a node's retry and timeout_ms and the workflow's policies are read with their defaults",
          "[model][policies]") {
  auto d = wf(one_node(R"("retry": {"max_attempts": 3}, "timeout_ms": 250)",
                       R"("policies": {"retry": {"max_attempts": 2, "initial_backoff_ms": 5, "multiplier": 1,
                           "max_backoff_ms": 50, "jitter": 0.5}, "timeout_ms": 1000, "continue_on_failure": true})"));
  REQUIRE(d);
  const auto& n = d->nodes[0];
  REQUIRE(n.retry);
  CHECK(n.retry->max_attempts == 3);
  CHECK(n.retry->initial_backoff_ms == 100);  // the defaults of retry_policy
  CHECK(n.retry->multiplier == 2);
  CHECK(n.retry->max_backoff_ms == 30000);
  CHECK(n.retry->jitter == 0);
  CHECK(n.timeout_ms == 250.0);
  CHECK(d->policies.retry == retry_policy{2, 5, 1, 50, 0.5});
  CHECK(d->policies.timeout_ms == 1000.0);
  CHECK(d->policies.continue_on_failure == true);
  // Absent: no policy of its own, nothing at the workflow level.
  auto plain = wf(one_node(""));
  REQUIRE(plain);
  CHECK_FALSE(plain->nodes[0].retry);
  CHECK_FALSE(plain->nodes[0].timeout_ms);
  CHECK(plain->policies.empty());
  CHECK_FALSE(definition_to_json(*plain).contains("policies"));
}

TEST_CASE("policies survive writing the definition back", "[model][policies][roundtrip]") {
  auto d = wf(one_node(R"("retry": {"max_attempts": 4, "initial_backoff_ms": 0, "jitter": 1}, "timeout_ms": 0.5)",
                       R"("policies": {"timeout_ms": 1e9, "continue_on_failure": false})"));
  REQUIRE(d);
  auto j = definition_to_json(*d);
  CHECK(j["nodes"][0]["retry"]["max_attempts"] == 4);
  CHECK(j["nodes"][0]["timeout_ms"] == 0.5);
  CHECK(j["policies"]["continue_on_failure"] == false);
  CHECK_FALSE(j["policies"].contains("retry"));
  auto back = workflow_from_json(json::parse(j.dump()), "back.json");
  REQUIRE(back);
  CHECK(*back == *d);
}

TEST_CASE("every policy number is range-checked, naming file, path and reason", "[model][policies][limits]") {
  CHECK(refusal(one_node(R"("retry": {"max_attempts": 0})")) ==
        "p.json: /nodes/0/retry/max_attempts: must be at least 1, got 0");
  CHECK(refusal(one_node(R"("retry": {"max_attempts": 101})")) ==
        "p.json: /nodes/0/retry/max_attempts: must be at most 100, got 101");
  CHECK(refusal(one_node(R"("retry": {"max_attempts": -3})")) ==
        "p.json: /nodes/0/retry/max_attempts: must be non-negative, got -3");
  CHECK(refusal(one_node(R"("retry": {"initial_backoff_ms": -1})")) ==
        "p.json: /nodes/0/retry/initial_backoff_ms: must be non-negative, got -1");
  CHECK(refusal(one_node(R"("retry": {"max_backoff_ms": 86400001})")) ==
        "p.json: /nodes/0/retry/max_backoff_ms: must be at most 8.64e+07, got 86400001");
  CHECK(refusal(one_node(R"("retry": {"multiplier": 0.5})")) ==
        "p.json: /nodes/0/retry/multiplier: must be at least 1, got 0.5");
  CHECK(refusal(one_node(R"("retry": {"jitter": 1.5})")) ==
        "p.json: /nodes/0/retry/jitter: must be at most 1, got 1.5");
  CHECK(refusal(one_node(R"("timeout_ms": 0)")) == "p.json: /nodes/0/timeout_ms: must be positive, got 0");
  CHECK(refusal(one_node(R"("timeout_ms": 1e10)")) ==
        "p.json: /nodes/0/timeout_ms: must be at most 1e+09, got 1e+10");
  CHECK(refusal(one_node(R"("timeout_ms": "fast")")).rfind("p.json: /nodes/0/timeout_ms: expected a number", 0) == 0);
  CHECK(refusal(one_node("", R"("policies": {"retry": {"max_attempts": 1000}})")) ==
        "p.json: /policies/retry/max_attempts: must be at most 100, got 1000");
  CHECK(refusal(one_node("", R"("policies": {"timeout_ms": -5})")) ==
        "p.json: /policies/timeout_ms: must be positive, got -5");
  CHECK(refusal(one_node("", R"("policies": {"continue_on_failure": "yes"})"))
            .rfind("p.json: /policies/continue_on_failure: expected a boolean", 0) == 0);
  CHECK(refusal(one_node("", R"("policies": [])")).rfind("p.json: /policies: expected an object", 0) == 0);
}
