// Retries, node timeouts and continue-on-failure from a workflow file and
// from `causality run`'s flags behave exactly as the same workflow built in
// C++: one workflow with a node that fails its first attempts and then
// succeeds (its own retry), one that fails once under the workflow's retry,
// one that times out on each of its attempts, their descendants and an
// independent branch. Each node's final state, attempts and per-attempt
// errors are compared between the C++ run (runtime::workflow builder, in
// this process) and the real `causality` binary (a child process), and
// against the expected values written below.
#include <catch2/catch.hpp>

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/runtime/runtime.hpp"
#include "child_process.hpp"
#include "cli_support.hpp"

namespace {

using namespace causality::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

/// One node as a run ended it.
struct node_end {
  std::string status;
  std::uint32_t attempts = 0;
  std::vector<std::string> errors;
  bool operator==(const node_end& o) const {
    return status == o.status && attempts == o.attempts && errors == o.errors;
  }
};
using ends = std::map<std::string, node_end>;

std::ostream& operator<<(std::ostream& os, const ends& e) {
  for (auto& [id, n] : e) {
    os << id << ": " << n.status << " after " << n.attempts << " [";
    for (auto& x : n.errors) os << x << "; ";
    os << "]\n";
  }
  return os;
}

/// Exits 1 with "attempt N fails" on stderr until its Kth attempt, counted in
/// $DIR/NAME; then prints N.
std::string fails_until(const std::string& name, int k) {
  return "n=$(cat \"$DIR/" + name + "\" 2>/dev/null || echo 0); n=$((n+1)); echo $n > \"$DIR/" + name +
         "\"; if [ $n -lt " + std::to_string(k) + " ]; then echo \"attempt $n fails\" >&2; exit 1; fi; echo $n";
}

const char* platform_json = R"({"name": "four", "domains": [{"name": "cpu", "kind": "compute", "slots": 4}]})";

/// The workflow as a file. With `policies`, the workflow-level retry and
/// continue_on_failure are in it; without, the flags must give them.
std::string workflow_file(const std::string& dir, bool policies) {
  auto exec = [&](const std::string& script) {
    return json{{"argv", {"/bin/sh", "-c", script}}, {"env", {{"DIR", dir}}}};
  };
  json j{{"name", "policies"},
         {"nodes",
          {{{"node_id", "flaky"}, {"node_type", "exec"}, {"exec", exec(fails_until("flaky", 3))},
            {"retry", {{"max_attempts", 4}, {"initial_backoff_ms", 10}, {"multiplier", 1}}}},
           {{"node_id", "flaky_default"}, {"node_type", "exec"}, {"exec", exec(fails_until("flaky_default", 2))}},
           {{"node_id", "after_flaky"}, {"node_type", "noop"}},
           {{"node_id", "slow"}, {"node_type", "exec"}, {"exec", exec("exec sleep 30")},
            {"retry", {{"max_attempts", 2}, {"initial_backoff_ms", 10}}}, {"timeout_ms", 300}},
           {{"node_id", "after_slow"}, {"node_type", "noop"}},
           {{"node_id", "independent"}, {"node_type", "exec"}, {"exec", exec("echo 7")}}}},
         {"edges",
          {{{"edge_id", "f-a"}, {"source_node", "flaky"}, {"target_node", "after_flaky"}},
           {{"edge_id", "s-a"}, {"source_node", "slow"}, {"target_node", "after_slow"}}}}};
  if (policies)
    j["policies"] = {{"retry", {{"max_attempts", 2}, {"initial_backoff_ms", 10}}}, {"continue_on_failure", true}};
  return j.dump(2);
}

/// The same workflow with the C++ builder.
causality::workflow workflow_built(const std::string& dir) {
  using causality::retry_policy;
  auto exec = [&](const std::string& script) {
    causality::model::exec_spec e;
    e.argv = {"/bin/sh", "-c", script};
    e.env = {{"DIR", dir}};
    return e;
  };
  retry_policy own{4, 10, 1, 30000, 0}, twice{2, 10, 2, 30000, 0};
  causality::model::run_policies policies;
  policies.retry = twice;
  policies.continue_on_failure = true;
  causality::workflow wf("policies");
  wf.node_of_type("flaky", "exec").exec(exec(fails_until("flaky", 3))).retry(own)
      .node_of_type("flaky_default", "exec").exec(exec(fails_until("flaky_default", 2)))
      .node_of_type("after_flaky", "noop")
      .node_of_type("slow", "exec").exec(exec("exec sleep 30")).retry(twice).timeout_ms(300)
      .node_of_type("after_slow", "noop")
      .node_of_type("independent", "exec").exec(exec("echo 7"))
      .edge("flaky", "after_flaky")
      .edge("slow", "after_slow")
      .policies(policies);
  return wf;
}

/// What the run must end with (written here, not produced by the code under test).
const ends& expected() {
  static const ends e{
      {"flaky", {"succeeded", 3, {"/bin/sh: exit 1: attempt 1 fails", "/bin/sh: exit 1: attempt 2 fails"}}},
      {"flaky_default", {"succeeded", 2, {"/bin/sh: exit 1: attempt 1 fails"}}},
      {"after_flaky", {"succeeded", 1, {}}},
      {"slow", {"timed_out", 2, {"timed out after 300 ms", "timed out after 300 ms"}}},
      {"after_slow", {"skipped", 0, {}}},
      {"independent", {"succeeded", 1, {}}},
  };
  return e;
}
const char* expected_error = "node 'slow' failed after 2 attempts: timed out after 300 ms";

/// `causality run` on the file; the run's status and error, the nodes' ends.
ends run_cli(const scratch& s, bool policies, const std::vector<std::string>& flags, std::string& status,
             std::string& error, std::string& text) {
  auto wf = s.write(policies ? "wf.json" : "wf-bare.json", workflow_file(s.file(policies ? "cli" : "flags"), policies));
  auto pf = s.write("platform.json", platform_json);
  std::system(("mkdir -p '" + s.file(policies ? "cli" : "flags") + "'").c_str());
  std::vector<std::string> argv{CAUSALITY_CLI, "run", wf, "--platform", pf, "--format", "json", "-q"};
  argv.insert(argv.end(), flags.begin(), flags.end());
  child c(argv, {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
  int rc = c.wait(120s);
  INFO(c.err);
  CHECK(rc == 1);  // the run failed (slow timed out), after finishing what it could
  auto j = json::parse(c.out);
  status = j["status"];
  error = j["error"];
  ends out;
  for (auto& n : j["nodes"])
    out[n["node"]] = node_end{n["status"], n["attempts"], n["attempt_errors"].get<std::vector<std::string>>()};
  text = c.out;
  return out;
}

}  // namespace

TEST_CASE("retries, a node timeout and continue-on-failure: file and flags behave as the C++ workflow",
          "[cli][run][policies]") {
  scratch s;
  // C++: the builder, a runtime on the same platform file, in this process.
  std::system(("mkdir -p '" + s.file("cpp") + "'").c_str());
  auto cfg = causality::runtime_config::from_platform_file(s.write("platform.json", platform_json));
  REQUIRE(cfg);
  causality::runtime rt(*cfg);
  auto run = rt.spawn(workflow_built(s.file("cpp")));
  REQUIRE(run);
  REQUIRE(run->wait_for(120s));
  ends cpp;
  for (auto& r : run->results())
    cpp[r.node_id] = node_end{causality::actors::to_string(r.status), r.attempts, r.errors};
  CHECK(causality::actors::to_string(run->outcome().status) == std::string("failed"));
  CHECK(run->outcome().error == expected_error);
  CHECK(cpp == expected());

  // The file, with its "policies".
  std::string status, error, text;
  auto file = run_cli(s, true, {}, status, error, text);
  CHECK(status == "failed");
  CHECK(error == expected_error);
  CHECK(file == expected());
  CHECK(file == cpp);

  // The file without "policies": the flags give the run's retry and continue-on-failure.
  auto flagged = run_cli(s, false, {"--retries", "2", "--retry-backoff-ms", "10", "--continue-on-failure"}, status,
                         error, text);
  CHECK(status == "failed");
  CHECK(error == expected_error);
  CHECK(flagged == expected());
  CHECK(flagged == cpp);
}

TEST_CASE("run's text report shows each node's final state, attempts and every attempt's error",
          "[cli][run][policies]") {
  scratch s;
  auto wf = s.write("wf.json", workflow_file(s.file("d"), true));
  auto pf = s.write("platform.json", platform_json);
  std::system(("mkdir -p '" + s.file("d") + "'").c_str());
  child c({CAUSALITY_CLI, "run", wf, "--platform", pf, "-q"}, {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
  REQUIRE(c.wait(120s) == 1);
  INFO(c.out);
  CHECK(c.out.find("status:    failed (node 'slow' failed after 2 attempts: timed out after 300 ms)") !=
        std::string::npos);
  // Node rows: id, status, domains, tries.
  CHECK(c.out.find("  slow                    timed_out ") != std::string::npos);
  CHECK(c.out.find("  after_slow              skipped   ") != std::string::npos);
  CHECK(c.out.find("  flaky                   succeeded ") != std::string::npos);
  // The attempts section: one line per failed attempt, in order.
  auto at = c.out.find("attempts:\n");
  REQUIRE(at != std::string::npos);
  auto section = c.out.substr(at);
  CHECK(section.find("  flaky                   1     /bin/sh: exit 1: attempt 1 fails\n") != std::string::npos);
  CHECK(section.find("  flaky                   2     /bin/sh: exit 1: attempt 2 fails\n") != std::string::npos);
  CHECK(section.find("  slow                    2     timed out after 300 ms\n") != std::string::npos);
}

TEST_CASE("run's policy flags are range-checked like every numeric flag", "[cli][run][policies][limits]") {
  scratch s;
  auto wf = s.write("wf.json", workflow_file(s.file("d"), true));
  auto one_line = [&](std::vector<std::string> flags, const std::string& line) {
    std::vector<std::string> argv{CAUSALITY_CLI, "run", wf, "--platform", "/nonexistent.json"};
    argv.insert(argv.end(), flags.begin(), flags.end());
    child c(argv, {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
    int rc = c.wait(60s);
    INFO(c.err);
    CHECK(rc == 2);
    CHECK(c.err == "causality: " + line + " (try --help)\n");
    CHECK(c.out.empty());
  };
  one_line({"--retries", "0"}, "--retries: must be a whole number from 1 to 100, got '0'");
  one_line({"--retries", "101"}, "--retries: must be a whole number from 1 to 100, got '101'");
  one_line({"--retry-backoff-ms", "-1"}, "--retry-backoff-ms: must be a number from 0 to 8.64e+07, got '-1'");
  one_line({"--retry-backoff-ms", "nan"}, "--retry-backoff-ms: must be finite (a number from 0 to 8.64e+07), got 'nan'");
  one_line({"--node-timeout-ms", "0"},
           "--node-timeout-ms: must be a number greater than 0 and at most 1e+09, got '0'");
  one_line({"--node-timeout-ms", "1e10"},
           "--node-timeout-ms: must be a number greater than 0 and at most 1e+09, got '1e10'");
}

TEST_CASE("a workflow file's out-of-range policy is one error line naming file, path and reason",
          "[cli][run][policies][limits]") {
  scratch s;
  auto j = json::parse(workflow_file(s.file("d"), true));
  j["nodes"][3]["retry"]["max_attempts"] = 1000;
  auto wf = s.write("bad.json", j.dump());
  auto pf = s.write("platform.json", platform_json);
  child c({CAUSALITY_CLI, "run", wf, "--platform", pf}, {{"CAUSALITY_LOG_LEVEL", std::nullopt}});
  CHECK(c.wait(60s) == 1);
  CHECK(c.err == "causality: " + wf + ": /nodes/3/retry/max_attempts: must be at most 100, got 1000\n");
}

TEST_CASE("examples/workflows/retries.json ends as it says", "[cli][run][policies]") {
  scratch s;
  auto pf = s.write("platform.json", platform_json);
  child c({CAUSALITY_CLI, "run", std::string(CAUSALITY_SHARED_DIR) + "/workflows/retries.json", "--platform", pf,
           "--format", "json", "-q"},
          {{"CAUSALITY_LOG_LEVEL", std::nullopt}, {"TMPDIR", s.dir}});
  REQUIRE(c.wait(120s) == 1);
  auto j = json::parse(c.out);
  CHECK(j["error"] == "node 'stuck' failed after 2 attempts: timed out after 500 ms");
  std::map<std::string, std::pair<std::string, int>> got;
  for (auto& n : j["nodes"]) got[n["node"]] = {n["status"], n["attempts"]};
  CHECK(got == std::map<std::string, std::pair<std::string, int>>{{"flaky", {"succeeded", 3}},
                                                                   {"report", {"succeeded", 1}},
                                                                   {"stuck", {"timed_out", 2}},
                                                                   {"after_stuck", {"skipped", 0}},
                                                                   {"independent", {"succeeded", 1}}});
}
