// Node policies in the C++ API: a node past its timeout ends timed_out and
// is retried like a failure; with continue_on_failure the independent
// branches finish; each attempt's error is kept; the builder's node options
// land in the definition (so a workflow written to JSON keeps them) and apply
// to the last node also after an edge; a wrong-type value accessor names both
// types.
#include <catch2/catch.hpp>

#include <thread>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"
#include "causality/runtime/runtime.hpp"
#include "helpers.hpp"

using namespace causality;
using namespace std::chrono_literals;
using actors::node_status;

namespace {
value until_cancelled(node_context& ctx) {
  while (!ctx.cancelled()) std::this_thread::yield();
  throw std::runtime_error("stopped");
}
}  // namespace

TEST_CASE("a timed-out attempt is retried; the node ends timed_out, its descendants skipped, the rest finish",
          "[runtime][policies]") {
  auto clk = std::make_shared<actors::manual_clock>();
  runtime_config cfg;
  cfg.clock = clk;
  cfg.platform = test::one_domain(2);
  runtime rt(cfg);
  test::counter started;
  retry_policy twice{2, 10, 2, 30000, 0};
  auto wf = workflow("t")
                .node("slow", [&](const value&, node_context& ctx) -> value {
                  started.hit();
                  return until_cancelled(ctx);
                })
                .retry(twice)
                .timeout_ms(50)
                .node("after", [](const value& in, node_context&) { return in; })
                .node("other", [](const value&, node_context&) { return value(7); })
                .edge("slow", "after");
  spawn_options so = test::with_plan(wf);
  so.continue_on_failure = true;
  auto run = rt.spawn(wf, {}, std::move(so));
  REQUIRE(run);
  started.wait(1);
  clk->advance(50ms);  // attempt 1 times out; its retry waits 10 ms
  clk->wait_pending(1);
  clk->advance(10ms);
  started.wait(2);
  clk->advance(50ms);  // attempt 2 times out: no attempt left
  auto& o = run->outcome();
  CHECK(o.status == run_status::failed);
  CHECK(o.error == "node 'slow' failed after 2 attempts: timed out after 50 ms");
  auto res = run->results();
  CHECK(res[0].status == node_status::timed_out);
  CHECK(res[0].attempts == 2);
  CHECK(res[0].errors == std::vector<std::string>{"timed out after 50 ms", "timed out after 50 ms"});
  CHECK(res[0].error == "timed out after 50 ms");
  CHECK(res[1].status == node_status::skipped);
  CHECK(res[1].attempts == 0);
  CHECK(res[2].status == node_status::succeeded);
  CHECK(res[2].errors.empty());
  auto sum = run->summary();
  CHECK(sum.nodes[0].status == "timed_out");
  CHECK(sum.nodes[2].status == "succeeded");
}

TEST_CASE("a node that succeeds after failed attempts keeps their errors but has none itself", "[runtime][policies]") {
  auto clk = std::make_shared<actors::manual_clock>();
  runtime_config cfg;
  cfg.clock = clk;
  runtime rt(cfg);
  auto wf = workflow("r").node("flaky", [](const value&, node_context& ctx) -> value {
    if (ctx.attempt < 3) throw std::runtime_error("no " + std::to_string(ctx.attempt));
    return value(1);
  });
  wf.retry(retry_policy{3, 5, 1, 100, 0});
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  clk->wait_pending(1);
  clk->advance(5ms);
  clk->wait_pending(1);
  clk->advance(5ms);
  REQUIRE(run->outcome().status == run_status::succeeded);
  auto r = run->results()[0];
  CHECK(r.status == node_status::succeeded);
  CHECK(r.attempts == 3);
  CHECK(r.errors == std::vector<std::string>{"no 1", "no 2"});
  CHECK(r.error.empty());
}

TEST_CASE("the workflow's policies are the run's defaults; a spawn's options and a node's own beat them",
          "[runtime][policies]") {
  runtime rt;
  std::atomic<int> a{0}, b{0};
  auto body = [](std::atomic<int>& n) {
    return [&n](const value&, node_context&) -> value {
      ++n;
      throw std::runtime_error("always");
    };
  };
  model::run_policies pol;
  pol.retry = retry_policy{3, 0, 1, 0, 0};
  pol.continue_on_failure = true;
  auto wf = workflow("p").node("own", body(a)).retry(retry_policy{2, 0, 1, 0, 0}).node("dflt", body(b)).policies(pol);
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  REQUIRE(run->wait_for(60s));
  CHECK(a == 2);  // its own
  CHECK(b == 3);  // the workflow's
  CHECK(run->results()[1].status == node_status::failed);  // continue_on_failure: both ran to their end
  CHECK(run->results()[0].status == node_status::failed);
  a = 0, b = 0;
  spawn_options so = test::with_plan(wf);
  so.retry = retry_policy{1, 0, 1, 0, 0};
  auto again = rt.spawn(wf, {}, std::move(so));
  REQUIRE(again);
  REQUIRE(again->wait_for(60s));
  CHECK(a == 2);  // still its own
  CHECK(b == 1);  // the spawn's
}

TEST_CASE("builder node options apply to the last node, also after an edge, and reach the definition",
          "[runtime][policies]") {
  auto wf = workflow("b").node_of_type("a", "noop").node_of_type("b", "noop").edge("a", "b")
                .retry(retry_policy{5, 1, 1, 1, 0})
                .timeout_ms(250);
  const auto& d = wf.definition();
  CHECK_FALSE(d.nodes[0].retry);
  REQUIRE(d.nodes[1].retry);
  CHECK(d.nodes[1].retry->max_attempts == 5);
  CHECK(d.nodes[1].timeout_ms == 250.0);
  // Written as a file and read back, the options are still there.
  auto back = model::definition_from_json(model::definition_to_json(d), "mem");
  REQUIRE(back);
  CHECK(*back == d);
  // An out-of-range option is refused at spawn naming the field.
  runtime rt;
  auto bad = workflow("x").node_of_type("a", "noop").retry(retry_policy{0, 1, 1, 1, 0});
  auto run = rt.spawn(bad);
  REQUIRE_FALSE(run);
  CHECK(run.err().message() == "/nodes/0/retry/max_attempts: must be at least 1, got 0");
  // Before any node there is nothing to apply it to.
  CHECK_THROWS_WITH(workflow("e").timeout_ms(5), Catch::Contains("before any node was added"));
}

TEST_CASE("retry and timeout settings in code are held to the bounds of a file", "[runtime][policies]") {
  runtime rt;
  auto wf = workflow("ok").node_of_type("a", "noop");
  spawn_options so;
  so.retry = retry_policy{1000, 1, 2, 1, 0};
  auto r = rt.spawn(wf, {}, so);
  REQUIRE_FALSE(r);
  CHECK(r.err().message() == "spawn_options: /retry/max_attempts: must be at most 100, got 1000");
  spawn_options neg;
  neg.node_timeout_ms = -5;
  auto t = rt.spawn(wf, {}, neg);
  REQUIRE_FALSE(t);
  CHECK(t.err().message().rfind("spawn_options: /node_timeout_ms: ", 0) == 0);
  spawn_options jitter;
  jitter.retry = retry_policy{3, 1, 2, 1, 7};
  auto j = rt.spawn(wf, {}, jitter);
  REQUIRE_FALSE(j);
  CHECK(j.err().message().rfind("spawn_options: /retry/jitter: ", 0) == 0);

  runtime_config cfg;
  cfg.retry.max_attempts = 0;
  CHECK_THROWS_WITH(runtime(cfg), "runtime_config: /retry/max_attempts: must be at least 1, got 0");
  runtime_config slow;
  slow.node_timeout_ms = 0;
  CHECK_THROWS_WITH(runtime(slow), Catch::StartsWith("runtime_config: /node_timeout_ms: "));
}

TEST_CASE("a value accessor on the wrong type names the expected and the actual type", "[runtime][policies]") {
  CHECK_THROWS_WITH(value(42).as_string(), "value::as_string: expected a string, got an int (42)");
  CHECK_THROWS_WITH(value("x").as_int(), "value::as_int: expected an int, got a string (\"x\")");
  CHECK_THROWS_WITH(value().as_object(), "value::as_object: expected an object, got a null");
  CHECK_THROWS_AS(value(1.5).as_bool(), std::bad_variant_access);  // what callers caught before
  // A node body that makes the mistake fails with that message.
  runtime rt;
  auto wf = workflow("v").node("n", [](const value&, node_context&) { return value(value(3).as_string()); });
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  CHECK(run->outcome().error == "node 'n' failed after 1 attempt: value::as_string: expected a string, got an int (3)");
}
