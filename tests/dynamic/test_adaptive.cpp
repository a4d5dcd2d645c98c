// Adaptive strategy selection and the monitor that feeds it, driven by a
// manual clock (times are plain numbers).
#include <catch2/catch.hpp>

#include "causality/strategies/adaptive_policy.hpp"
#include "causality/strategies/monitor_state.hpp"

using namespace causality::strategies;

namespace {
load_signals at_load(double load) {
  load_signals s;
  s.load = load;
  return s;
}
}  // namespace

TEST_CASE("the adaptive policy goes to latency under high load and to cost under low load",
          "[dynamic][adaptive]") {
  adaptive_policy p("balanced");
  CHECK(p.current() == "balanced");
  CHECK_FALSE(p.update(at_load(0.6), 0));
  auto up = p.update(at_load(1.2), 3000);
  REQUIRE(up);
  CHECK(up->from == "balanced");
  CHECK(up->to == "latency");
  CHECK(up->time_ms == 3000);
  CHECK(up->reason.find("high") != std::string::npos);
  // Between exit (0.7) and enter (1.0): stays high.
  CHECK_FALSE(p.update(at_load(0.8), 6000));
  CHECK(p.current() == "latency");
  auto back = p.update(at_load(0.6), 9000);
  REQUIRE(back);
  CHECK(back->to == "balanced");
  auto low = p.update(at_load(0.2), 12000);
  REQUIRE(low);
  CHECK(low->to == "cost-minimization");
  CHECK(low->reason.find("low") != std::string::npos);
  // Between low enter (0.3) and low exit (0.5): stays low.
  CHECK_FALSE(p.update(at_load(0.45), 15000));
  CHECK(p.switches() == 3);
  CHECK(p.history().back().to == "cost-minimization");
}

TEST_CASE("load oscillating around a threshold switches once, not on every swing",
          "[dynamic][adaptive]") {
  adaptive_policy p("balanced");
  for (int i = 0; i < 600; ++i) p.update(at_load(i % 2 ? 0.95 : 1.05), i * 100.0);
  CHECK(p.switches() == 1);
  CHECK(p.current() == "latency");

  adaptive_policy q("balanced");
  for (int i = 0; i < 600; ++i) q.update(at_load(i % 2 ? 0.25 : 0.35), i * 100.0);
  CHECK(q.switches() == 1);
  CHECK(q.current() == "cost-minimization");
}

TEST_CASE("without hysteresis the dwell time alone bounds the switching rate",
          "[dynamic][adaptive]") {
  adaptive_config cfg;
  cfg.high_load_exit = cfg.high_load_enter;  // no hysteresis band
  cfg.min_dwell_ms = 2000;
  adaptive_policy p("balanced", cfg);
  for (int i = 0; i <= 100; ++i) p.update(at_load(i % 2 ? 0.95 : 1.05), i * 100.0);
  // 10 s of flapping input, one switch per dwell at most.
  CHECK(p.switches() >= 2);
  CHECK(p.switches() <= 6);
  for (std::size_t i = 1; i < p.history().size(); ++i)
    CHECK(p.history()[i].time_ms - p.history()[i - 1].time_ms >= cfg.min_dwell_ms);
}

TEST_CASE("a switch waits for the minimum dwell time", "[dynamic][adaptive]") {
  adaptive_policy p("balanced");  // dwell 2000 ms
  REQUIRE(p.update(at_load(1.5), 1000));
  CHECK_FALSE(p.update(at_load(0.1), 1500));
  CHECK_FALSE(p.update(at_load(0.1), 2999));
  CHECK(p.current() == "latency");
  auto s = p.update(at_load(0.1), 3000);
  REQUIRE(s);
  CHECK(s->to == "cost-minimization");
  CHECK(s->time_ms == 3000);
}

TEST_CASE("a pinned strategy holds until unpinned", "[dynamic][adaptive]") {
  adaptive_policy p("balanced");
  REQUIRE(p.update(at_load(1.5), 0));
  auto pin = p.pin("capital-efficiency", 100);  // inside the dwell: pins apply at once
  REQUIRE(pin);
  CHECK(pin->reason == "pinned");
  CHECK_FALSE(p.update(at_load(0.1), 10000));
  CHECK_FALSE(p.update(at_load(2.0), 20000));
  CHECK(p.current() == "capital-efficiency");
  p.unpin();
  auto s = p.update(at_load(0.1), 30000);
  REQUIRE(s);
  CHECK(s->to == "cost-minimization");
}

TEST_CASE("deadline pressure and budget burn override the load regime", "[dynamic][adaptive]") {
  adaptive_policy p("balanced");
  load_signals s = at_load(0.1);
  s.deadline_pressure = 0.95;
  auto d = p.update(s, 0);
  REQUIRE(d);
  CHECK(d->to == "latency");
  CHECK(d->reason.find("deadline") != std::string::npos);
  s.deadline_pressure = 0.8;  // above the exit (0.75): still under pressure
  CHECK_FALSE(p.update(s, 5000));
  s.deadline_pressure = 0;
  s.budget_burn = 1.5;
  auto b = p.update(s, 10000);
  REQUIRE(b);
  CHECK(b->to == "cost-minimization");
  CHECK(b->reason.find("budget") != std::string::npos);
  CHECK(deadline_pressure(600, 400, 1000) == Approx(1.0));
  CHECK(deadline_pressure(600, 400, 0) == 0);
  CHECK(budget_burn(50, 100, 0.25) == Approx(2.0));
  CHECK(budget_burn(50, 0, 0.25) == 0);
}

TEST_CASE("the monitor reports utilisation, throughput, errors, cost and latency ratio",
          "[dynamic][monitor]") {
  monitor_config cfg;
  cfg.window_ms = 10000;
  cfg.tau_ms = 1000;
  monitor_state m({2, 1}, cfg);
  m.on_queued(0, 0);
  m.on_queued(0, 0);
  m.on_queued(0, 0);
  m.on_start(0, 0);
  m.on_start(0, 0);
  auto q = m.metrics(0, 0);
  CHECK(q.queued == 1);
  CHECK(q.running == 2);
  // Both slots busy for 10 time constants: utilisation close to 1.
  CHECK(m.metrics(0, 10000).utilisation == Approx(1.0).margin(1e-3));
  m.on_finish(0, 10000, 10000, 5000, 120);  // twice as slow as modelled
  m.on_fail(0, 10000);
  auto a = m.metrics(0, 10000);
  CHECK(a.running == 0);
  CHECK(a.finished == 1);
  CHECK(a.failed == 1);
  CHECK(a.cost_accrued == 120);
  CHECK(a.latency_ratio == Approx(2.0));
  CHECK(a.error_rate > 0);
  CHECK(a.throughput_per_s == Approx(0.1));  // 1 finish in a 10 s window
  CHECK(m.metrics(0, 25000).throughput_per_s == 0);  // it left the window
  CHECK(m.metrics(0, 25000).utilisation < 0.01);
  CHECK(m.metrics(1, 0).utilisation == 0);
}

TEST_CASE("a burst seen by the monitor moves the policy to latency and back to cost",
          "[dynamic][monitor][adaptive]") {
  monitor_config cfg;
  cfg.tau_ms = 500;
  cfg.window_ms = 2000;
  monitor_state m({2, 2}, cfg);
  adaptive_policy p("cost-minimization");
  double t = 0;
  // Burst: 40 nodes queued over one second, 4 slots running.
  for (int i = 0; i < 40; ++i) {
    m.on_queued(i % 2, t);
    t += 25;
    p.update(m.signals(t), t);
  }
  for (int i = 0; i < 4; ++i) m.on_start(i % 2, t);
  CHECK(m.signals(t).queue_growth_per_s > 0);
  p.update(m.signals(t), t);
  CHECK(p.current() == "latency");
  // Drain: one node finishes and the next starts every 100 ms, then idle.
  for (int i = 0; i < 40; ++i) {
    t += 100;
    m.on_finish(i % 2, t, 400, 400, 10);
    if (i < 36) m.on_start(i % 2, t);
    p.update(m.signals(t), t);
  }
  for (int i = 0; i < 30; ++i) {
    t += 200;
    p.update(m.signals(t), t);
  }
  CHECK(m.signals(t).load < 0.1);
  CHECK(p.current() == "cost-minimization");
  CHECK(p.switches() == 2);
}

TEST_CASE("sampled levels give the same load as events", "[dynamic][monitor]") {
  monitor_config cfg;
  cfg.tau_ms = 1000;
  monitor_state ev({2}, cfg), sampled({2}, cfg);
  for (int i = 0; i < 6; ++i) ev.on_queued(0, 0);
  ev.on_start(0, 0);
  ev.on_start(0, 0);
  sampled.set_levels(0, 2, 4, 0);
  CHECK(ev.signals(3000).load == Approx(sampled.signals(3000).load));
  CHECK(sampled.signals(20000).load == Approx(3.0).epsilon(1e-3));  // 6 nodes on 2 slots
  sampled.record_finish(0, 20000, 50, 100, 3);
  auto m = sampled.metrics(0, 20000);
  CHECK(m.running == 2);
  CHECK(m.latency_ratio == Approx(0.5));
  CHECK(m.cost_accrued == 3);
}

TEST_CASE("each workflow keeps its own preference in the normal regime", "[dynamic][adaptive]") {
  adaptive_policy p("balanced");
  CHECK(p.strategy_for("capital-efficiency") == "capital-efficiency");
  p.update(at_load(2.0), 0);
  CHECK(p.strategy_for("capital-efficiency") == "latency");
  p.update(at_load(0.6), 5000);
  CHECK(p.regime() == load_regime::normal);
  CHECK(p.strategy_for("capital-efficiency") == "capital-efficiency");
  p.pin("balanced", 6000);
  CHECK(p.strategy_for("capital-efficiency") == "balanced");
}

TEST_CASE("a new default applies in the normal regime without counting as a switch",
          "[dynamic][adaptive]") {
  adaptive_policy p("balanced");
  p.set_default("cost-minimization");
  CHECK(p.current() == "cost-minimization");
  CHECK(p.switches() == 0);
  // Low load maps to cost-minimization too: nothing changes, nothing recorded.
  CHECK_FALSE(p.update(at_load(0.1), 0));
  CHECK(p.regime() == load_regime::low);
  REQUIRE(p.update(at_load(1.5), 5000));
  p.set_default("balanced");  // under high load the regime decides
  CHECK(p.current() == "latency");
  auto back = p.update(at_load(0.1), 10000);
  REQUIRE(back);
  CHECK(back->from == "latency");
  CHECK(back->to == "cost-minimization");
  CHECK(p.switches() == 2);
}
