// exec nodes on remote domains: a server started with --allow-exec runs the
// command a workflow file gives (argv, env, cwd), with the output, the exit
// code, the stderr tail and cancellation as when it runs locally; a server
// without it neither offers nor runs exec.

#include <signal.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdlib>
#include <fstream>
#include <string>

#include "cluster_server.hpp"
#include "causality/runtime/runtime.hpp"

namespace {

using namespace causality;
using testing::domain;
using testing::server;
using actors::node_status;

const std::string token = "tok-exec-0123456789abcdef";
const std::string pipeline = std::string(CAUSALITY_SOURCE_DIR) + "/examples/workflows/text_pipeline.json";

/// A platform of remote domains only: nothing can run in the test process.
runtime_config remote_only(const std::vector<const server*>& servers) {
  model::platform plat;
  plat.name = "remote-only";
  for (std::size_t i = 0; i < servers.size(); ++i)
    plat.domains.push_back(domain("far" + std::to_string(i), 2, servers[i]->endpoint()));
  runtime_config cfg;
  cfg.platform = plat;
  cfg.cluster_token = token;
  return cfg;
}

workflow one_exec_node(const std::string& id, std::vector<std::string> argv) {
  return workflow(id).node_of_type(id, "exec").exec(model::exec_spec{std::move(argv), {}, ""});
}

/// Whether a process with this exact command line is alive.
bool command_running(const std::string& needle) {
  std::string cmd = "pgrep -f -x '" + needle + "' >/dev/null";
  return std::system(cmd.c_str()) == 0;
}

}  // namespace

TEST_CASE("cluster: text_pipeline.json runs on two servers started with --allow-exec", "[cluster][exec]") {
  server a({"--name", "far0", "--slots", "2", "--port", "0", "--allow-exec"}, token);
  server b({"--name", "far1", "--slots", "2", "--port", "0", "--allow-exec"}, token);
  runtime rt(remote_only({&a, &b}));
  auto wf = runtime::load_workflow(pipeline);
  REQUIRE(wf);
  auto run = rt.spawn(*wf);
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(60)));
  INFO(run->outcome().error);
  REQUIRE(run->outcome().status == run_status::succeeded);
  // The values the same file gives locally (tests/runtime/test_exec_workflow.cpp).
  const auto& o = run->output().as_object();
  CHECK(o.at("count").as_int() == 13);
  CHECK(o.at("verdict").as_string() == "long");
  const auto& top = o.at("top").as_array();
  REQUIRE(top.size() == 3);
  CHECK(top[0].as_string() == "the");
  CHECK(top[1].as_string() == "dog");
  CHECK(top[2].as_string() == "and");
  int ran = 0;
  for (const auto& r : run->results()) {
    if (r.status != node_status::done) continue;
    ++ran;
    CHECK((r.domain == 0 || r.domain == 1));
  }
  CHECK(ran == 5);  // short_report was routed around
}

TEST_CASE("cluster: a failing remote command reports its exit code and stderr as locally", "[cluster][exec]") {
  server a({"--name", "far0", "--port", "0", "--allow-exec"}, token);
  runtime rt(remote_only({&a}));
  auto run = rt.spawn(one_exec_node("bad", {"/bin/sh", "-c", "echo 'disk full' >&2; exit 7"}));
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(60)));
  CHECK(run->outcome().status == run_status::failed);
  CHECK_THAT(run->outcome().error, Catch::Contains("exit 7: disk full"));
  CHECK_THAT(run->outcome().error, Catch::Contains("bad"));
  // A command that succeeds keeps what it wrote to stderr, as locally.
  auto ok = rt.spawn(one_exec_node("warns", {"/bin/sh", "-c", "echo 'low disk' >&2; echo fine"}));
  REQUIRE(ok);
  REQUIRE(ok->wait_for(std::chrono::seconds(60)));
  REQUIRE(ok->outcome().status == run_status::succeeded);
  REQUIRE(ok->results().size() == 1);
  CHECK(ok->results()[0].output == value("fine"));
  CHECK(ok->results()[0].stderr_tail == "low disk");
}

TEST_CASE("cluster: a node timeout kills the remote command's process", "[cluster][exec]") {
  server a({"--name", "far0", "--port", "0", "--allow-exec"}, token);
  runtime rt(remote_only({&a}));
  // A command line no other test runs, to find its process.
  const std::string marker = "exec sleep 997.25";
  spawn_options opts;
  opts.node_timeout_ms = 300;
  auto started = std::chrono::steady_clock::now();
  auto run = rt.spawn(one_exec_node("sleeper", {"/bin/sh", "-c", marker}), {}, std::move(opts));
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(60)));
  CHECK(run->outcome().status == run_status::failed);
  REQUIRE(run->results().size() == 1);
  CHECK(run->results()[0].status == node_status::timed_out);
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
  // The server answers the cancellation once the process is gone: a
  // following node on the one slot runs, so the slot came back.
  auto next = rt.spawn(one_exec_node("after", {"/bin/echo", "free"}));
  REQUIRE(next);
  REQUIRE(next->wait_for(std::chrono::seconds(60)));
  INFO(next->outcome().error);
  CHECK(next->outcome().status == run_status::succeeded);
  CHECK_FALSE(command_running("sleep 997.25"));
}

TEST_CASE("cluster: a server without --allow-exec neither offers nor runs exec", "[cluster][exec]") {
  server a({"--name", "far0", "--port", "0"}, token);
  runtime_config cfg = remote_only({&a});
  runtime rt(cfg);
  auto wf = runtime::load_workflow(pipeline);
  REQUIRE(wf);
  auto run = rt.spawn(*wf);
  REQUIRE_FALSE(run);
  INFO(run.err().message());
  CHECK_THAT(run.err().message(), Catch::Contains("needs node type 'exec'"));
  CHECK_THAT(run.err().message(), Catch::Contains("far0: its server does not run commands"));
  CHECK_THAT(run.err().message(), Catch::Contains("--allow-exec"));
  // Beside a local domain, the exec nodes run locally instead.
  cfg.platform->domains.push_back(domain("local", 2, std::nullopt));
  runtime mixed(cfg);
  auto run2 = mixed.spawn(*wf);
  REQUIRE(run2);
  REQUIRE(run2->wait_for(std::chrono::seconds(60)));
  INFO(run2->outcome().error);
  REQUIRE(run2->outcome().status == run_status::succeeded);
  for (const auto& r : run2->results())
    if (r.status == node_status::done) CHECK(r.domain == 1);
}
