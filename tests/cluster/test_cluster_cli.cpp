// `causality run` against real causality-domain servers, as an operator runs
// it: a workflow file of exec nodes on --allow-exec servers,
// --remote-optional, --strict-platform, and plugins (--node-types) loaded by
// both programs.

#include <stdlib.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <string>

#include "../cli_runner.hpp"
#include "cluster_server.hpp"
#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"

namespace {

using namespace causality;
using testing::domain;
using testing::run_cli;
using testing::server;

const std::string token = "tok-cli-0123456789abcdef";
const std::string pipeline = std::string(CAUSALITY_SOURCE_DIR) + "/examples/workflows/text_pipeline.json";

/// Writes the platform to a file of its own and returns the path.
std::string platform_file(const model::platform& p, const std::string& tag) {
  std::string path = "/tmp/causality-test-cluster-cli-" + std::to_string(::getpid()) + "-" + tag + ".json";
  std::ofstream(path) << model::platform_to_json(p).dump(2);
  return path;
}

/// A port nothing listens on: a server started and stopped.
std::string dead_endpoint() {
  server gone({"--name", "gone", "--port", "0"}, token);
  auto ep = gone.endpoint();
  gone.stop(SIGKILL);
  return ep;
}

}  // namespace

TEST_CASE("cli: causality run runs text_pipeline.json on two --allow-exec servers", "[cluster][cli]") {
  ::setenv("CAUSALITY_TOKEN", token.c_str(), 1);
  server a({"--name", "far0", "--slots", "2", "--port", "0", "--allow-exec"}, token);
  server b({"--name", "far1", "--slots", "2", "--port", "0", "--allow-exec"}, token);
  model::platform plat;
  plat.name = "two-servers";
  plat.domains.push_back(domain("far0", 2, a.endpoint()));
  plat.domains.push_back(domain("far1", 2, b.endpoint()));
  auto pf = platform_file(plat, "two");
  auto r = run_cli("run '" + pipeline + "' --platform '" + pf + "' --output -");
  INFO(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("\"count\":13") != std::string::npos);
  CHECK(r.output.find("\"verdict\":\"long\"") != std::string::npos);
  // A server without --allow-exec: refused at spawn, one line naming the flag.
  server c({"--name", "far0", "--port", "0"}, token);
  plat.domains.resize(1);
  plat.domains[0].endpoint = c.endpoint();
  auto refused = run_cli("run '" + pipeline + "' --platform '" + platform_file(plat, "noexec") + "'");
  INFO(refused.output);
  CHECK(refused.exit_code != 0);
  CHECK(refused.output.find("far0: its server does not run commands (start causality-domain with --allow-exec") !=
        std::string::npos);
}

TEST_CASE("cli: --remote-optional runs without a server that does not answer", "[cluster][cli]") {
  ::setenv("CAUSALITY_TOKEN", token.c_str(), 1);
  model::platform plat;
  plat.name = "one-gone";
  plat.domains.push_back(domain("local", 2, std::nullopt));
  plat.domains.push_back(domain("far", 2, dead_endpoint()));
  plat.domains[1].cost.base_cost = 0;  // cheaper and as fast: it would get work if it answered
  auto pf = platform_file(plat, "gone");
  auto strict = run_cli("run '" + pipeline + "' --platform '" + pf + "'");
  INFO(strict.output);
  CHECK(strict.exit_code == 1);
  CHECK(strict.output.find("causality: cannot start the runtime: domain 'far': cannot reach") != std::string::npos);
  auto optional = run_cli("run '" + pipeline + "' --platform '" + pf + "' --remote-optional");
  INFO(optional.output);
  CHECK(optional.exit_code == 0);
  CHECK(optional.output.find("domain 'far': cannot reach") != std::string::npos);  // the warning
  CHECK(optional.output.find("remote_optional: running without it") != std::string::npos);
}

TEST_CASE("cli: --strict-platform refuses a server unlike the platform file; without it a warning",
          "[cluster][cli]") {
  ::setenv("CAUSALITY_TOKEN", token.c_str(), 1);
  server srv({"--name", "far", "--slots", "2", "--speed", "0.5", "--port", "0"}, token);
  model::platform plat;
  plat.name = "mismatch";
  plat.domains.push_back(domain("local", 2, std::nullopt));
  plat.domains.push_back(domain("far", 2, srv.endpoint()));
  plat.domains[1].speed = 2;
  auto pf = platform_file(plat, "mismatch");
  auto warned = run_cli("run '" + pipeline + "' --platform '" + pf + "'");
  INFO(warned.output);
  CHECK(warned.exit_code == 0);
  CHECK(warned.output.find("domain 'far' at " + srv.endpoint() +
                           ": speed: the platform says 2, the server 0.5; planning with the platform's values") !=
        std::string::npos);
  auto strict = run_cli("run '" + pipeline + "' --platform '" + pf + "' --strict-platform");
  INFO(strict.output);
  CHECK(strict.exit_code == 1);
  CHECK(strict.output.find("causality: cannot start the runtime: domain 'far' at " + srv.endpoint() +
                           ": speed: the platform says 2, the server 0.5 (strict platform") != std::string::npos);
}

// ------------------------------------------------------------------ plugins

namespace {
/// A workflow of the example plugin's node types (examples/plugin/text_plugin.cpp).
std::string shout_workflow() {
  std::string path = "/tmp/causality-test-cluster-cli-" + std::to_string(::getpid()) + "-shout.json";
  std::ofstream(path) << R"({"name": "shout", "input_schema": {"text": "string"},
    "nodes": [{"node_id": "loud", "node_type": "shout"}, {"node_id": "n", "node_type": "count_chars"}],
    "edges": [{"edge_id": "e1", "source_node": "loud", "target_node": "n"}]})";
  return path;
}

/// Runs causality-domain with args until it exits (a refusal at start).
testing::run_result domain_refusal(const std::string& args) {
  testing::run_result r;
  std::string cmd = std::string("'") + CAUSALITY_DOMAIN_BIN + "' " + args + " 2>&1";
  FILE* pipe = popen(cmd.c_str(), "r");
  REQUIRE(pipe);
  char buf[4096];
  std::size_t got = 0;
  while ((got = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, got);
  int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}
}  // namespace

TEST_CASE("cli: a plugin's node types run with causality run --node-types and on a server loading it",
          "[cluster][cli][plugin]") {
  ::setenv("CAUSALITY_TOKEN", token.c_str(), 1);
  const std::string wf = shout_workflow();
  model::platform local;
  local.name = "here";
  local.domains.push_back(domain("local", 2, std::nullopt));
  auto here = run_cli("run '" + wf + "' --platform '" + platform_file(local, "here") + "' --node-types '" +
                      CAUSALITY_TEXT_PLUGIN + "' --input text=hello --output -");
  INFO(here.output);
  CHECK(here.exit_code == 0);
  CHECK(here.output.find("{\"n\":6}") != std::string::npos);  // "HELLO!"
  // Without the plugin the node type is unknown, and the error says how to load one.
  auto without = run_cli("run '" + wf + "' --platform '" + platform_file(local, "here") + "' --input text=hello");
  CHECK(without.exit_code == 1);
  CHECK(without.output.find("unknown node type 'shout'") != std::string::npos);
  CHECK(without.output.find("--node-types") != std::string::npos);
  // A server loading the plugin runs them; the runtime needs no plugin.
  server srv({"--name", "far", "--port", "0", "--node-types", CAUSALITY_TEXT_PLUGIN}, token);
  model::platform remote;
  remote.name = "there";
  remote.domains.push_back(domain("far", 1, srv.endpoint()));
  auto there = run_cli("run '" + wf + "' --platform '" + platform_file(remote, "there") +
                       "' --input text=remote --output -");
  INFO(there.output);
  CHECK(there.exit_code == 0);
  CHECK(there.output.find("{\"n\":7}") != std::string::npos);  // "REMOTE!"
}

TEST_CASE("cli: a bad plugin is refused in one line by causality run and causality-domain", "[cluster][cli][plugin]") {
  ::setenv("CAUSALITY_TOKEN", token.c_str(), 1);
  const std::string wf = shout_workflow();
  model::platform local;
  local.name = "here";
  local.domains.push_back(domain("local", 2, std::nullopt));
  const auto pf = platform_file(local, "bad");
  struct bad_case {
    std::string lib, says;
  };
  for (const auto& c : {bad_case{"/lib/x86_64-linux-gnu/libm.so.6", "not a causality plugin: no symbol causality_plugin_abi"},
                        bad_case{CAUSALITY_WRONG_ABI_PLUGIN, "built for plugin ABI 999, this program loads ABI 1"},
                        bad_case{"/nonexistent/plugin.so", "cannot load the plugin"}}) {
    auto r = run_cli("run '" + wf + "' --platform '" + pf + "' --node-types '" + c.lib + "' --input text=x");
    INFO(r.output);
    CHECK(r.exit_code == 1);
    CHECK(r.output.rfind("causality: --node-types " + c.lib + ": " + c.says, 0) == 0);
    CHECK(std::count(r.output.begin(), r.output.end(), '\n') == 1);
    auto d = domain_refusal("--name far --port 0 --node-types '" + c.lib + "'");
    INFO(d.output);
    CHECK(d.exit_code == 2);
    CHECK(d.output.rfind("causality-domain: --node-types " + c.lib + ": " + c.says, 0) == 0);
    CHECK(std::count(d.output.begin(), d.output.end(), '\n') == 1);
  }
}
