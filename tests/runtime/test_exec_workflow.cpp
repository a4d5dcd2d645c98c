// A workflow file of real commands (examples/workflows/text_pipeline.json):
// exec nodes, a router, a filter and a transform, run on the actor runtime.
#include <catch2/catch.hpp>

#include <chrono>

#include <causality/causality.hpp>

using namespace causality;

namespace {
const std::string pipeline = std::string(CAUSALITY_SOURCE_DIR) + "/examples/workflows/text_pipeline.json";

/// A workflow of one exec node running argv.
workflow one_exec_node(const std::string& id, std::vector<std::string> argv) {
  return workflow(id).node_of_type(id, "exec").exec(model::exec_spec{std::move(argv), {}, ""});
}
}

TEST_CASE("the text pipeline of exec nodes runs, routes, filters and transforms", "[exec]") {
  runtime rt;
  auto wf = runtime::load_workflow(pipeline);
  REQUIRE(wf);
  auto run = rt.spawn(*wf);
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(60)));
  INFO(run->outcome().error);
  REQUIRE(run->outcome().status == run_status::succeeded);
  // The one sink is summary: an object keyed by target port.
  auto out = run->output();
  REQUIRE(out.is_object());
  const auto& o = out.as_object();
  CHECK(o.at("count").as_int() == 13);        // transform get:words
  CHECK(o.at("verdict").as_string() == "long");  // routed by:size to long_report
  REQUIRE(o.at("top").is_array());            // filter truthy let it through
  const auto& top = o.at("top").as_array();
  REQUIRE(top.size() == 3);
  CHECK(top[0].as_string() == "the");
  CHECK(top[1].as_string() == "dog");
  CHECK(top[2].as_string() == "and");
  // short_report was not routed to: skipped, never ran.
  for (const auto& r : run->results())
    if (r.node_id == "short_report") CHECK(r.status == node_status::skipped);
}

TEST_CASE("an exec node whose command fails fails the run with the exit code and stderr", "[exec]") {
  runtime rt;
  auto run = rt.spawn(one_exec_node("bad", {"/bin/sh", "-c", "echo 'disk full' >&2; exit 7"}));
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(60)));
  CHECK(run->outcome().status == run_status::failed);
  CHECK_THAT(run->outcome().error, Catch::Contains("exit 7: disk full"));
  CHECK_THAT(run->outcome().error, Catch::Contains("bad"));
}

TEST_CASE("an exec node that succeeds keeps what its command wrote to stderr", "[exec]") {
  runtime rt;
  auto run = rt.spawn(one_exec_node("warns", {"/bin/sh", "-c", "echo 'low disk' >&2; echo fine"}));
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(60)));
  REQUIRE(run->outcome().status == run_status::succeeded);
  auto res = run->results();
  REQUIRE(res.size() == 1);
  CHECK(res[0].output == value("fine"));
  CHECK(res[0].stderr_tail == "low disk");  // its last newline trimmed, as in errors
  // A quiet command leaves it empty; a failed one has its stderr in its error instead.
  auto quiet = rt.spawn(one_exec_node("quiet", {"/bin/sh", "-c", "echo fine"}));
  REQUIRE(quiet);
  REQUIRE(quiet->wait_for(std::chrono::seconds(60)));
  CHECK(quiet->results()[0].stderr_tail.empty());
  auto bad = rt.spawn(one_exec_node("bad", {"/bin/sh", "-c", "echo 'disk full' >&2; exit 3"}));
  REQUIRE(bad);
  REQUIRE(bad->wait_for(std::chrono::seconds(60)));
  CHECK(bad->results()[0].stderr_tail.empty());
  CHECK_THAT(bad->results()[0].error, Catch::Contains("exit 3: disk full"));
}

TEST_CASE("a node timeout kills the exec node's process", "[exec]") {
  runtime rt;
  spawn_options opts;
  opts.node_timeout_ms = 200;
  auto started = std::chrono::steady_clock::now();
  auto run = rt.spawn(one_exec_node("sleeper", {"/bin/sh", "-c", "exec sleep 1000"}), {}, std::move(opts));
  REQUIRE(run);
  REQUIRE(run->wait_for(std::chrono::seconds(60)));
  CHECK(run->outcome().status == run_status::failed);
  CHECK(run->results()[0].status == actors::node_status::timed_out);
  // Well under the 1000 s the command would take: the process group was killed.
  CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(30));
}
