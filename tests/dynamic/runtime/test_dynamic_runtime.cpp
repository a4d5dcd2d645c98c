// Dynamic optimization wired into the actor runtime, on a manual clock that
// only the node bodies move: no sleeps, and a chain runs one node at a time,
// so every decision happens at the same point on every run.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <vector>

#include <unistd.h>

#include "causality/runtime/runtime.hpp"

using namespace causality;

namespace {

model::platform two_domains() {
  model::platform p;
  p.name = "two";
  for (const char* n : {"a", "b"}) {
    model::domain_spec d;
    d.name = n;
    d.slots = 1;
    p.domains.push_back(d);
  }
  return p;
}

/// A chain of n nodes of type `clocked`, 100 ms each, all planned on "a".
struct chain {
  model::dataflow_definition def;
  strategies::plan plan;
  explicit chain(std::size_t n) {
    def.definition_id = def.name = "chain";
    for (std::size_t i = 0; i < n; ++i) {
      model::dataflow_node node;
      node.node_id = node.name = "n" + std::to_string(i);
      node.node_type = "clocked";
      node.resources.cpu_time_ms = 100;
      def.nodes.push_back(node);
      plan.assignments.push_back({i, 0, 100.0 * i, 100.0 * (i + 1), 110});
      if (i == 0) continue;
      model::dataflow_edge e;
      e.edge_id = "e" + std::to_string(i);
      e.source_node = "n" + std::to_string(i - 1);
      e.target_node = node.node_id;
      def.edges.push_back(e);
    }
    plan.workflow = "chain";
    plan.strategy = "latency";
    plan.makespan_ms = 100.0 * n;
  }
};

struct fixture {
  std::shared_ptr<actors::manual_clock> clk = std::make_shared<actors::manual_clock>();
  std::vector<std::atomic<int>> runs;
  std::atomic<int> done{0};
  int slow_after;
  explicit fixture(std::size_t n, int slow_after_nodes) : runs(n), slow_after(slow_after_nodes) {}

  /// Each node moves the clock by its modelled time; "a" is 4x slower once
  /// `slow_after` nodes finished. Adds one to its input.
  void register_on(runtime& rt) {
    rt.register_node_type("clocked", [this](const value& in, actors::node_context& ctx) {
      double f = ctx.domain.name == "a" && done.load() >= slow_after ? 4.0 : 1.0;
      clk->advance(std::chrono::duration_cast<actors::clock::duration>(
          std::chrono::duration<double, std::milli>(100.0 * f)));
      ++runs[ctx.node_index];
      ++done;
      return value(in.as_int() + 1);
    });
  }
};

}  // namespace

TEST_CASE("a domain turning 4x slower is re-planned away and every node runs once",
          "[dynamic][runtime]") {
  const std::size_t n = 24;
  chain c(n);
  fixture fx(n, 6);
  runtime_config cfg;
  cfg.platform = two_domains();
  cfg.clock = fx.clk;
  cfg.balancer = actors::balancer_policy::planned_only();
  cfg.dynamic.replan = true;
  runtime rt(cfg);
  fx.register_on(rt);
  spawn_options so;
  so.plan = c.plan;
  so.inputs = value(std::int64_t{0});
  auto run = rt.spawn(workflow::from_definition(c.def), {}, so);
  REQUIRE(run);
  REQUIRE(run->outcome().status == run_status::succeeded);
  CHECK(run->output().as_int() == static_cast<std::int64_t>(n));  // every node's +1, once
  CHECK(rt.replans() == 1);
  std::size_t on_b = 0;
  auto res = run->results();
  for (std::size_t i = 0; i < n; ++i) {
    CHECK(fx.runs[i].load() == 1);
    CHECK(res[i].attempts == 1);
    CHECK(res[i].status == actors::node_status::done);
    on_b += res[i].domain == 1;
  }
  // Slow from node 6 on; judged after 4 slow nodes (median of 8 > 2x): the
  // rest of the chain moved to "b".
  CHECK(on_b == n - 10);
  REQUIRE(run->plan());
  CHECK(run->plan()->assignments[n - 1].domain == 1);
}

TEST_CASE("without re-planning the run keeps the slowed domain", "[dynamic][runtime]") {
  const std::size_t n = 24;
  chain c(n);
  fixture fx(n, 6);
  runtime_config cfg;
  cfg.platform = two_domains();
  cfg.clock = fx.clk;
  cfg.balancer = actors::balancer_policy::planned_only();
  runtime rt(cfg);
  fx.register_on(rt);
  spawn_options so;
  so.plan = c.plan;
  so.inputs = value(std::int64_t{0});
  auto run = rt.spawn(workflow::from_definition(c.def), {}, so);
  REQUIRE(run);
  REQUIRE(run->outcome().status == run_status::succeeded);
  CHECK(rt.replans() == 0);
  for (const auto& r : run->results()) CHECK(r.domain == 0);
}

TEST_CASE("calibrated models are learned from runs and saved for the next start",
          "[dynamic][runtime]") {
  auto file = (std::filesystem::temp_directory_path() /
               ("causality_dynamic_models_" + std::to_string(::getpid()) + ".json"))
                  .string();
  std::remove(file.c_str());
  const std::size_t n = 12;
  chain c(n);
  {
    fixture fx(n, 0);  // "a" is 4x slower than modelled from the start
    runtime_config cfg;
    cfg.platform = two_domains();
    cfg.clock = fx.clk;
    cfg.balancer = actors::balancer_policy::planned_only();
    cfg.dynamic.calibrate = true;
    cfg.dynamic.perf_model_file = file;
    runtime rt(cfg);
    fx.register_on(rt);
    spawn_options so;
    so.plan = c.plan;
    so.inputs = value(std::int64_t{0});
    auto run = rt.spawn(workflow::from_definition(c.def), {}, so);
    REQUIRE(run);
    REQUIRE(run->outcome().status == run_status::succeeded);
  }  // shutdown saves the models
  auto saved = strategies::perf_model::load(file);
  std::remove(file.c_str());
  REQUIRE(saved);
  CHECK(saved->samples("clocked", "a") == n);
  REQUIRE(saved->exec_time_ms("clocked", "a", 100));
  CHECK(*saved->exec_time_ms("clocked", "a", 100) == Approx(400));
  CHECK_FALSE(saved->exec_time_ms("clocked", "b", 100));
}
