// Failures, retries with a manual clock, cancellation, deadlines, timeouts,
// priorities and backpressure. No sleeps: tests wait on events.
#include <catch2/catch.hpp>

#include <future>
#include <thread>

#include "causality/observe/observers.hpp"
#include "helpers.hpp"

using namespace causality;
using namespace std::chrono_literals;

namespace {
node_fn constant(value v) {
  return [v](const value&, node_context&) { return v; };
}
/// Spins until its token is set (cooperative node), then throws.
value until_cancelled(node_context& ctx) {
  while (!ctx.cancelled()) std::this_thread::yield();
  throw std::runtime_error("stopped");
}
}  // namespace

TEST_CASE("a node that throws fails the run with its id and message", "[runtime]") {
  runtime rt;
  auto wf = workflow("f").node("ok", constant(value(1)))
                .node("boom", [](const value&, node_context&) -> value { throw std::runtime_error("disk full"); })
                .edge("ok", "boom");
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  auto& o = run->outcome();
  CHECK(o.status == run_status::failed);
  CHECK(o.failed_node == "boom");
  CHECK(o.error.find("boom") != std::string::npos);
  CHECK(o.error.find("disk full") != std::string::npos);
  CHECK(run->results()[1].error == "disk full");
}

TEST_CASE("continue_on_failure finishes independent branches and skips dependents", "[runtime]") {
  runtime rt;
  auto wf = workflow("c")
                .node("bad", [](const value&, node_context&) -> value { throw std::runtime_error("x"); })
                .node("after_bad", constant(value(1)))
                .node("good", constant(value(2)))
                .node("after_good", [](const value& in, node_context&) { return value(in.as_int() * 10); })
                .edge("bad", "after_bad").edge("good", "after_good");
  spawn_options o = test::with_plan(wf);
  o.continue_on_failure = true;
  auto run = rt.spawn(wf, {}, o);
  REQUIRE(run);
  CHECK(run->outcome().status == run_status::failed);
  auto res = run->results();
  CHECK(res[0].status == actors::node_status::failed);
  CHECK(res[1].status == actors::node_status::skipped);
  CHECK(res[3].status == actors::node_status::done);
  CHECK(res[3].output.as_int() == 20);
}

TEST_CASE("retries back off exponentially on the injected clock", "[runtime]") {
  auto clk = std::make_shared<actors::manual_clock>();
  runtime_config cfg;
  cfg.clock = clk;
  runtime rt(cfg);
  std::atomic<int> tries{0};
  retry_policy p;
  p.max_attempts = 3;
  p.initial_backoff_ms = 100;
  p.multiplier = 2;
  auto wf = workflow("r").node("flaky", [&](const value&, node_context& ctx) -> value {
    ++tries;
    if (ctx.attempt < 3) throw std::runtime_error("try again");
    return value(static_cast<std::int64_t>(ctx.attempt));
  }).retry(p);
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  clk->wait_pending(1);  // first failure: retry timer armed
  CHECK(tries == 1);
  CHECK(clk->next_due() - clk->now() == 100ms);
  clk->advance(99ms);
  CHECK(clk->pending() == 1);  // not yet
  CHECK(tries == 1);
  clk->advance(1ms);  // fires the retry
  clk->wait_pending(1);  // second failure
  CHECK(tries == 2);
  CHECK(clk->next_due() - clk->now() == 200ms);
  clk->advance(200ms);
  REQUIRE(run->outcome().status == run_status::succeeded);
  CHECK(run->output().as_int() == 3);
  CHECK(run->results()[0].attempts == 3);
}

TEST_CASE("a retried node gets the same input again", "[runtime]") {
  auto clk = std::make_shared<actors::manual_clock>();
  runtime_config cfg;
  cfg.clock = clk;
  runtime rt(cfg);
  retry_policy p;
  p.max_attempts = 2;
  p.initial_backoff_ms = 10;
  auto wf = workflow("r").node("src", constant(value(41)))
                .node("flaky", [](const value& in, node_context& ctx) -> value {
                  if (ctx.attempt == 1) throw std::runtime_error("once");
                  return value(in.as_int() + 1);
                }).retry(p)
                .edge("src", "flaky");
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  clk->wait_pending(1);
  clk->advance(std::chrono::milliseconds(10));
  REQUIRE(run->outcome().status == run_status::succeeded);
  CHECK(run->output().as_int() == 42);
}

TEST_CASE("jitter stays within its bound and exhausted retries fail the run", "[runtime]") {
  actors::retry_policy p;
  p.initial_backoff_ms = 100;
  p.jitter = 0.5;
  CHECK(actors::backoff_ms(p, 2, 0.0) == 100);
  CHECK(actors::backoff_ms(p, 2, 0.999) < 150.0);
  CHECK(actors::backoff_ms(p, 3, 0.0) == 200);
  p.max_backoff_ms = 150;
  CHECK(actors::backoff_ms(p, 5, 0.0) == 150);

  auto clk = std::make_shared<actors::manual_clock>();
  runtime_config cfg;
  cfg.clock = clk;
  cfg.retry.max_attempts = 2;
  cfg.retry.initial_backoff_ms = 10;
  cfg.retry.jitter = 1.0;
  runtime rt(cfg);
  auto wf = workflow("r").node("always", [](const value&, node_context&) -> value { throw std::runtime_error("no"); });
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  clk->wait_pending(1);
  auto d = clk->next_due() - clk->now();
  CHECK(d >= 10ms);
  CHECK(d < 20ms);
  clk->advance(20ms);
  CHECK(run->outcome().status == run_status::failed);
  CHECK(run->outcome().error.find("after 2 attempts") != std::string::npos);
}

TEST_CASE("cancel stops pending nodes and signals running ones", "[runtime]") {
  runtime_config cfg;
  cfg.platform = test::one_domain(1);
  runtime rt(cfg);
  test::counter started;
  std::atomic<int> later{0};
  auto wf = workflow("c").node("spin", [&](const value&, node_context& ctx) -> value {
    started.hit();
    return until_cancelled(ctx);
  }).node("next", [&](const value&, node_context&) { ++later; return value{}; }).edge("spin", "next");
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  started.wait(1);
  run->cancel();
  auto o = run->future().get();
  CHECK(o.status == run_status::cancelled);
  CHECK(o.error.find("cancelled") != std::string::npos);
  CHECK(later == 0);
  // The summary says what became of each: the running node was cancelled, the next never ran.
  auto sum = run->summary();
  REQUIRE(sum.nodes.size() == 2);
  CHECK(sum.nodes[0].status == "cancelled");
  CHECK(sum.nodes[1].status == "pending");
  CHECK(sum.nodes[1].why == "not run: the run ended first");
  CHECK(sum.status == "cancelled");
}

TEST_CASE("max_latency_ms is a deadline: exceeded means cancelled", "[runtime]") {
  auto clk = std::make_shared<actors::manual_clock>();
  runtime_config cfg;
  cfg.clock = clk;
  runtime rt(cfg);
  test::counter started;
  auto wf = workflow("d").node("spin", [&](const value&, node_context& ctx) -> value {
    started.hit();
    return until_cancelled(ctx);
  });
  model::initiation_hint h;
  h.max_latency_ms = 500;
  auto run = rt.spawn(wf, h, test::with_plan(wf));
  REQUIRE(run);
  started.wait(1);
  clk->advance(499ms);
  CHECK(run->status() == run_status::running);
  clk->advance(1ms);
  auto& o = run->outcome();
  CHECK(o.status == run_status::cancelled);
  CHECK(o.error.find("deadline exceeded") != std::string::npos);
}

TEST_CASE("a node past its timeout ends timed_out and fails the run naming the node", "[runtime]") {
  auto clk = std::make_shared<actors::manual_clock>();
  runtime_config cfg;
  cfg.clock = clk;
  runtime rt(cfg);
  test::counter started;
  auto wf = workflow("t").node("slow", [&](const value&, node_context& ctx) -> value {
    started.hit();
    return until_cancelled(ctx);
  }).timeout_ms(50);
  auto run = rt.spawn(wf, {}, test::with_plan(wf));
  REQUIRE(run);
  started.wait(1);
  clk->advance(50ms);
  auto& o = run->outcome();
  CHECK(o.status == run_status::failed);
  CHECK(o.failed_node == "slow");
  CHECK(o.error == "node 'slow' failed after 1 attempt: timed out after 50 ms");
  auto res = run->results();
  CHECK(res[0].status == actors::node_status::timed_out);
  CHECK(res[0].attempts == 1);
  CHECK(res[0].errors == std::vector<std::string>{"timed out after 50 ms"});
  CHECK(std::string(actors::to_string(res[0].status)) == "timed_out");
}

TEST_CASE("on contended slots, nodes of higher-priority workflows start first", "[runtime]") {
  test::counter queued;
  runtime_config cfg;
  cfg.platform = test::one_domain(1);
  auto obs = std::make_shared<observe::callbacks>();
  obs->queued = [&](const observe::node_queued&) { queued.hit(); };
  cfg.observers.push_back(obs);
  runtime rt(cfg);
  test::gate g;
  test::counter started;
  std::mutex mx;
  std::vector<std::string> order;
  auto blocker = workflow("block").node("b", [&](const value&, node_context&) {
    started.hit();
    g.f.wait();
    return value{};
  });
  auto tagged = [&](std::string tag) {
    return workflow(tag).node(tag, [&, tag](const value&, node_context&) {
      std::lock_guard<std::mutex> l(mx);
      order.push_back(tag);
      return value{};
    });
  };
  auto low = tagged("low"), high = tagged("high");
  auto b = rt.spawn(blocker, {}, test::with_plan(blocker));
  started.wait(1);
  model::initiation_hint hl, hh;
  hl.priority = 10;
  hh.priority = 90;
  auto l = rt.spawn(low, hl, test::with_plan(low));
  queued.wait(1);
  auto h = rt.spawn(high, hh, test::with_plan(high));
  queued.wait(2);
  g.open();
  l->wait();
  h->wait();
  REQUIRE(order.size() == 2);
  CHECK(order[0] == "high");
  CHECK(order[1] == "low");
}

TEST_CASE("backpressure: a saturated runtime rejects or makes spawn wait", "[runtime]") {
  runtime_config cfg;
  cfg.max_active_runs = 1;
  test::counter started;
  SECTION("reject") {
    cfg.when_saturated = saturation_policy::reject;
    runtime rt(cfg);
    test::gate g;
    auto wf = workflow("w").node("b", [&](const value&, node_context&) {
      started.hit();
      g.f.wait();
      return value{};
    });
    auto first = rt.spawn(wf, {}, test::with_plan(wf));
    REQUIRE(first);
    auto second = rt.spawn(wf, {}, test::with_plan(wf));
    REQUIRE_FALSE(second);
    CHECK(second.err().code == model::errc::busy);
    CHECK(second.err().reason.find("busy") != std::string::npos);  // and the message says so
    g.open();
    first->wait();
    auto third = rt.spawn(workflow("x").node("n", constant(value(1))), {}, test::with_plan(workflow("x").node("n", constant(value(1)))));
    CHECK(third);
  }
  SECTION("wait") {
    cfg.when_saturated = saturation_policy::wait;
    runtime rt(cfg);
    test::gate g;
    auto wf = workflow("w").node("b", [&](const value&, node_context&) {
      started.hit();
      g.f.wait();
      return value{};
    });
    auto first = rt.spawn(wf, {}, test::with_plan(wf));
    REQUIRE(first);
    auto quick = workflow("q").node("n", constant(value(1)));
    auto second = std::async(std::launch::async, [&] {
      auto r = rt.spawn(quick, {}, test::with_plan(quick));
      return std::make_pair(first->status(), static_cast<bool>(r));
    });
    started.wait(1);
    g.open();
    auto [first_status_when_admitted, ok] = second.get();
    CHECK(ok);
    CHECK(first_status_when_admitted == run_status::succeeded);
  }
}
