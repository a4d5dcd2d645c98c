// `causality run --explain`: why each node ran where it ran, from what happened
// (the plan, the balancer, a lost domain), with real processes.
#include <signal.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "child_process.hpp"
#include "cli/cli_support.hpp"

using namespace causality::testing;
using namespace std::chrono_literals;
using json = nlohmann::json;

namespace {

const std::string token = "explain-token-0123456789";

/// A platform of one local domain and one remote `far` (4x faster, so the
/// planner puts the node there).
std::string two_domain_platform(const scratch& s, const std::string& endpoint) {
  json p{{"name", "local-and-far"},
         {"domains",
          json::array({json{{"name", "local"}, {"kind", "compute"}, {"slots", 2}, {"speed", 1.0}},
                        json{{"name", "far"}, {"kind", "compute"}, {"slots", 2}, {"speed", 4.0},
                             {"endpoint", endpoint}}})}};
  return s.write("platform.json", p.dump());
}

std::string one_node_workflow(const scratch& s, double cpu_ms) {
  json w{{"name", "one-long-node"},
         {"nodes", json::array({json{{"node_id", "long"}, {"node_type", "work"},
                                     {"resources", {{"cpu_time_ms", cpu_ms}}}}})},
         {"edges", json::array()}};
  return s.write("wf.json", w.dump());
}

}  // namespace

TEST_CASE("cli run --explain=NODE after kill -9 of its domain server names the lost domain and where it ran again",
          "[cli][cluster]") {
  scratch s;
  child srv({CAUSALITY_DOMAIN_BIN, "--name", "far", "--slots", "2", "--port", "0"},
            {{"CAUSALITY_TOKEN", token}, {"CAUSALITY_LOG_LEVEL", "warn"}});
  REQUIRE(srv.read_until([](auto& out, auto&) { return out.find('\n') != std::string::npos; }, 20s));
  auto line = srv.out.substr(0, srv.out.find('\n'));
  REQUIRE(line.rfind("listening on 127.0.0.1:", 0) == 0);
  auto endpoint = line.substr(std::string("listening on ").size());
  auto plat = two_domain_platform(s, endpoint);
  auto wf = one_node_workflow(s, 2000);  // 500 ms on far, 2 s on local
  child run({CAUSALITY_CLI, "run", wf, "--platform", plat, "--strategy", "latency", "--format", "json",
             "--explain=long", "--log-level", "debug"},
            {{"CAUSALITY_TOKEN", token}});
  // The node's start on 'far' is a log line of the event stream: kill the server then.
  REQUIRE(run.read_until([](auto&, auto& err) { return err.find("node 'long' started on 'far'") != std::string::npos; },
                         30s));
  srv.signal(SIGKILL);
  REQUIRE(run.wait(60s) == 0);
  INFO(run.err);
  auto out = json::parse(run.out);
  CHECK(out["status"] == "succeeded");
  REQUIRE(out["nodes"].size() == 1);
  auto& n = out["nodes"][0];
  CHECK(n["planned_domain"] == "far");
  CHECK(n["domain"] == "local");
  CHECK(out["nodes_rerun"] == 1);
  bool far_lost = false;
  for (auto& d : out["domains"])
    if (d["domain"] == "far") far_lost = d["lost"].get<bool>();
  CHECK(far_lost);
  auto why = out["explain"]["long"].get<std::string>();
  CHECK(why.find("its domain 'far' was lost") != std::string::npos);
  CHECK(why.find("ran again on 'local'") != std::string::npos);
  CHECK(why.find("domain 'far' lost at") != std::string::npos);
}

TEST_CASE("cli run --explain without a node explains every node, an unknown node is one error line", "[cli]") {
  scratch s;
  json w{{"name", "pair"},
         {"nodes", json::array({json{{"node_id", "a"}, {"node_type", "noop"}},
                                json{{"node_id", "b"}, {"node_type", "noop"}}})},
         {"edges", json::array({json{{"edge_id", "e"}, {"source_node", "a"}, {"target_node", "b"}}})}};
  auto wf = s.write("wf.json", w.dump());
  child all({CAUSALITY_CLI, "run", wf, "--platform", hetero3, "--explain", "-q"});
  REQUIRE(all.wait(60s) == 0);
  CHECK(all.out.find("node 'a': succeeded on '") != std::string::npos);
  CHECK(all.out.find("node 'b': succeeded on '") != std::string::npos);
  // The per-node table names both, planned -> ran on.
  CHECK(all.out.find(" -> ") != std::string::npos);
  child bad({CAUSALITY_CLI, "run", wf, "--platform", hetero3, "--explain=nope", "-q"});
  CHECK(bad.wait(60s) == 1);
  CHECK(bad.err.find("--explain: no node 'nope' in") != std::string::npos);
  CHECK(bad.err.find("node 'a' started") == std::string::npos);  // refused before running
  CHECK(lines(bad.err) == 1);
}

TEST_CASE("cli run --output - writes the outputs alone to standard output", "[cli]") {
  scratch s;
  json w{{"name", "one"}, {"nodes", json::array({json{{"node_id", "a"}, {"node_type", "noop"}}})},
         {"edges", json::array()}};
  auto wf = s.write("wf.json", w.dump());
  child run({CAUSALITY_CLI, "run", wf, "--platform", hetero3, "--output", "-", "-q"});
  REQUIRE(run.wait(60s) == 0);
  auto out = json::parse(run.out);  // nothing else on stdout
  CHECK(out.is_object());
  CHECK(out.contains("a"));
  CHECK_FALSE(std::ifstream("-").good());  // no file named "-" in the working directory
}
