// The run -> balancer -> node -> run path on its own: the real actors
// (run, balancer, domain, node, monitor) spawned from their narrow contexts
// (actors/src/context.hpp), without the engine, under CAF's test_coordinator
// (every message delivered by the test, one job at a time) and the manual
// clock. The order of events is therefore exact.
#include <catch2/catch.hpp>

#include <caf/all.hpp>

#include "../../actors/src/context.hpp"
#include "causality/observe/observers.hpp"

using namespace causality;
using namespace causality::actors;
using namespace std::chrono_literals;

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

/// Records the events of a run as one line each, in delivery order.
struct event_log : observe::observer {
  std::vector<std::string> lines;
  void on_node_placed(const observe::node_placed& e) override {
    lines.push_back("placed " + std::string(e.node) + " " + observe::to_string(e.how) + " on " +
                    std::string(e.domain));
    if (e.how == observe::placement::moved) move_reason = observe::placement_reason(e);
  }
  void on_node_started(const observe::node_started& e) override {
    lines.push_back("started " + std::string(e.node) + " on " + std::string(e.domain));
  }
  void on_node_finished(const observe::node_finished& e) override {
    lines.push_back("finished " + std::string(e.node));
  }
  void on_node_failed(const observe::node_failed& e) override {
    lines.push_back("failed " + std::string(e.node) + ": " + std::string(e.error));
  }
  void on_node_retried(const observe::node_retried& e) override {
    lines.push_back("retried " + std::string(e.node) + " attempt " + std::to_string(e.attempt));
  }
  void on_run_ended(const observe::run_ended& e) override { lines.push_back("ended " + std::string(e.status)); }
  std::string move_reason;
};

/// The actors of one engine minus the engine: contexts by hand.
struct rig {
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  caf::scheduler::test_coordinator* sched = nullptr;
  std::shared_ptr<const model::platform> plat = std::make_shared<const model::platform>(two_domains());
  domain_table domains{*plat};
  manual_clock clk;
  dynamic_board board;
  observe::observer_list engine_events;
  std::atomic<std::uint64_t> next_remote{1}, next_seq{0};
  attempt_context attempts;
  balancer_context balancing;
  std::vector<domain_context> dctx;
  monitor_context monitoring;
  run_context running;
  caf::actor balancer, monitor;

  rig() {
    cfg.set("scheduler.policy", caf::atom("testing"));
    sys = std::make_unique<caf::actor_system>(cfg);
    sched = &dynamic_cast<caf::scheduler::test_coordinator&>(sys->scheduler());
    attempts = attempt_context{&domains, &clk, 1.0, 250, "", &next_remote};
    balancing.domains = &domains;
    balancing.attempts = &attempts;
    balancing.clk = &clk;
    balancing.policy = balancer_policy::plan_first();
    balancing.board = &board;
    balancing.next_seq = &next_seq;
    balancer = spawn_balancer_actor(*sys, &balancing);
    dctx.resize(domains.size());
    for (std::size_t d = 0; d < domains.size(); ++d) {
      dctx[d] = domain_context{&domains[d], &domains, &attempts, &clk, balancer};
      domains[d].actor = spawn_domain_actor(*sys, &dctx[d]);
    }
    monitoring = monitor_context{&domains, &clk, nullptr, &board, &engine_events, 100, 1.0};
    monitor = spawn_monitor_actor(*sys, &monitoring);
    running.clk = &clk;
    running.balancer = balancer;
    running.monitor = monitor;
    running.board = &board;
  }
  ~rig() {
    for (auto& a : {balancer, monitor, domains[0].actor, domains[1].actor})
      caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
    sched->run();
  }

  /// A chain x -> y with the given bodies, x planned on `px`, y on `py`.
  std::shared_ptr<run_core> chain(node_fn x, node_fn y, std::size_t px, std::size_t py,
                                  std::shared_ptr<event_log> log, std::optional<retry_policy> retry = {}) {
    auto def = std::make_shared<model::dataflow_definition>();
    def->definition_id = def->name = "chain";
    for (const char* id : {"x", "y"}) {
      model::dataflow_node n;
      n.node_id = n.name = id;
      n.node_type = "code";
      def->nodes.push_back(n);
    }
    model::dataflow_edge e;
    e.edge_id = "e";
    e.source_node = "x";
    e.target_node = "y";
    def->edges.push_back(e);
    workflow_code code;
    code.bodies["x"] = std::move(x);
    code.bodies["y"] = std::move(y);
    if (retry) code.options["x"].retry = retry;
    auto prog = compile(def, code, {}, plat);
    REQUIRE(prog);
    auto rc = std::make_shared<run_core>();
    rc->state = std::make_shared<run_state>(*prog, 1);
    rc->state->wstate = std::make_shared<workflow_state>(value::object{}, def->state_schema);
    rc->req.prog = *prog;
    rc->req.inputs = value(std::int64_t{1});
    strategies::plan p;
    p.workflow = "chain";
    p.strategy = "latency";
    p.assignments = {{0, px, 0, 1, 100}, {1, py, 1, 2, 100}};
    rc->plan = std::make_shared<const strategies::plan>(p);
    rc->state->set_plan(rc->plan);
    rc->events = observe::observer_list({log});
    return rc;
  }
};

value plus_one(const value& in, node_context&) { return value(in.as_int() + 1); }

}  // namespace

TEST_CASE("protocol: a run actor drives balancer, domain and node actors to its outcome, events in order",
          "[actors][protocol]") {
  rig r;
  auto log = std::make_shared<event_log>();
  auto rc = r.chain(plus_one, plus_one, 0, 1, log);
  spawn_run_actor(*r.sys, rc, &r.running);
  r.sched->run();  // every message until nothing is left
  REQUIRE(rc->state->wait_for(0s));
  CHECK(rc->state->outcome().status == run_status::succeeded);
  CHECK(rc->state->outcome().outputs["y"].as_int() == 3);
  CHECK(log->lines == std::vector<std::string>{"placed x as planned on a", "started x on a", "finished x",
                                               "placed y as planned on b", "started y on b", "finished y",
                                               "ended succeeded"});
  // The slots went back: the domain table is as it started.
  CHECK(r.domains[0].pool.running() == 0);
  CHECK(r.domains[1].pool.running() == 0);
}

TEST_CASE("protocol: a failed attempt is retried when the manual clock reaches its backoff", "[actors][protocol]") {
  rig r;
  auto log = std::make_shared<event_log>();
  int tries = 0;
  retry_policy rp;
  rp.max_attempts = 2;
  rp.initial_backoff_ms = 50;
  rp.jitter = 0;
  auto flaky = [&tries](const value& in, node_context&) -> value {
    if (++tries == 1) throw std::runtime_error("first try fails");
    return value(in.as_int() + 1);
  };
  auto rc = r.chain(flaky, plus_one, 0, 0, log, rp);
  spawn_run_actor(*r.sys, rc, &r.running);
  r.sched->run();
  CHECK_FALSE(rc->state->wait_for(0s));  // waiting for the backoff
  CHECK(r.clk.pending() == 1);
  r.clk.advance(49ms);
  r.sched->run();
  CHECK(tries == 1);
  r.clk.advance(1ms);  // the retry timer sends retry_atom
  r.sched->run();
  REQUIRE(rc->state->wait_for(0s));
  CHECK(rc->state->outcome().status == run_status::succeeded);
  CHECK(tries == 2);
  CHECK(log->lines == std::vector<std::string>{"placed x as planned on a", "started x on a",
                                               "failed x: first try fails", "retried x attempt 2",
                                               "placed x as planned on a", "started x on a", "finished x",
                                               "placed y as planned on a", "started y on a", "finished y",
                                               "ended succeeded"});
}

TEST_CASE("protocol: the balancer moves a node off its busy planned domain and says why", "[actors][protocol]") {
  rig r;
  REQUIRE(r.domains[0].pool.try_acquire());  // "a"'s one slot is taken by someone else
  auto log = std::make_shared<event_log>();
  auto rc = r.chain(plus_one, plus_one, 0, 0, log);
  spawn_run_actor(*r.sys, rc, &r.running);
  r.sched->run();
  REQUIRE(rc->state->wait_for(0s));
  CHECK(rc->state->outcome().status == run_status::succeeded);
  REQUIRE(log->lines.size() >= 2);
  CHECK(log->lines[0] == "placed x moved on b");
  CHECK(log->move_reason.rfind("moved off the planned domain 'a' (1 running, 0 queued on 1 slots", 0) == 0);
  auto res = rc->state->results();
  CHECK(res[0].domain == 1);
  r.domains[0].pool.release();
}
