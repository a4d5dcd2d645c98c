// Re-planning decisions after an injected slowdown or failure, and the
// exactly-once ledger of results; times are plain numbers.
#include <catch2/catch.hpp>

#include <algorithm>

#include "causality/strategies/replan_policy.hpp"

using namespace causality::strategies;

TEST_CASE("a domain turning 4x slower triggers re-planning of what has not started",
          "[dynamic][replan]") {
  replan_policy p(3);  // ratio 2, min 3 samples, window 8
  for (int i = 0; i < 5; ++i) p.observe(1, 100, 100);
  CHECK_FALSE(p.due());
  for (int i = 0; i < 3; ++i) p.observe(1, 400, 100);
  CHECK_FALSE(p.due());  // 3 slow of 8: the median is still the model
  p.observe(1, 400, 100);
  p.observe(1, 400, 100);
  auto why = p.due();
  REQUIRE(why);
  CHECK(why->find("domain 1") != std::string::npos);
  CHECK(p.measured_slowdown(1) == Approx(4));

  std::vector<node_progress> nodes(5);
  nodes[0] = {node_phase::done, 0, 0, 100, 0, 10};
  nodes[1] = {node_phase::running, 1, 50, 0, 100, 10};  // started before the replan
  nodes[2] = {node_phase::queued, 1, 0, 0, 0, 0};
  nodes[3] = {node_phase::pending, 0, 0, 0, 0, 0};
  nodes[4] = {node_phase::running, 2, 90, 0, 100, 10};
  auto in = p.prepare(nodes, 120);
  CHECK(in.now_ms == 120);
  CHECK(in.slowdown == std::vector<double>{1, 4, 1});
  CHECK(in.unavailable == std::vector<bool>{false, false, false});
  REQUIRE(in.fixed[0]);
  CHECK(in.fixed[0]->finish_ms == 100);
  REQUIRE(in.fixed[1]);
  CHECK(in.fixed[1]->domain == 1);
  CHECK(in.fixed[1]->finish_ms == Approx(450));  // 50 + 100 * 4
  CHECK(in.fixed[4]->finish_ms == Approx(190));
  CHECK_FALSE(in.fixed[2]);
  CHECK_FALSE(in.fixed[3]);
  CHECK(in.replanned == std::vector<std::size_t>{2, 3});
  CHECK(in.withdrawn == std::vector<std::size_t>{2});
  CHECK(in.rerun.empty());
  CHECK_FALSE(p.due());  // handled: the new plan assumes 4x

  auto ctx = in.context([](std::size_t, std::size_t) { return std::optional<double>{}; },
                        [](std::size_t, std::size_t) { return 100.0; });
  CHECK(*ctx.exec_time_ms(3, 1) == Approx(400));
  CHECK(*ctx.exec_time_ms(3, 0) == Approx(100));
  CHECK(ctx.fixed.size() == 5);

  // Still 4x: nothing new. Back to normal speed: re-plan to use it again.
  for (int i = 0; i < 3; ++i) p.observe(1, 400, 100);
  CHECK_FALSE(p.due());
  for (int i = 0; i < 8; ++i) p.observe(1, 100, 100);
  REQUIRE(p.due());
  CHECK(p.prepare(nodes, 500).slowdown[1] == Approx(1));
}

TEST_CASE("one slow node or too few samples do not trigger re-planning", "[dynamic][replan]") {
  replan_policy p(2);
  for (int i = 0; i < 7; ++i) p.observe(0, 100, 100);
  p.observe(0, 1000, 100);
  CHECK_FALSE(p.due());
  p.observe(1, 900, 100);
  p.observe(1, 900, 100);
  CHECK_FALSE(p.due());  // 2 < min_samples
  p.observe(1, 900, 100);
  CHECK(p.due());
}

TEST_CASE("a failed domain's nodes are re-run elsewhere and it gets nothing new",
          "[dynamic][replan]") {
  replan_policy p(3);
  p.domain_failed(2);
  auto why = p.due();
  REQUIRE(why);
  CHECK(*why == "domain 2 failed");
  std::vector<node_progress> nodes(4);
  nodes[0] = {node_phase::done, 2, 0, 100, 0, 5};     // delivered before the failure
  nodes[1] = {node_phase::running, 2, 100, 0, 100, 5};
  nodes[2] = {node_phase::queued, 2, 0, 0, 0, 0};
  nodes[3] = {node_phase::running, 0, 100, 0, 100, 5};
  auto in = p.prepare(nodes, 150);
  CHECK(in.unavailable == std::vector<bool>{false, false, true});
  CHECK(in.rerun == std::vector<std::size_t>{1, 2});
  CHECK(in.withdrawn == std::vector<std::size_t>{2});
  REQUIRE(in.fixed[0]);
  CHECK_FALSE(in.fixed[1]);
  CHECK_FALSE(in.fixed[2]);
  REQUIRE(in.fixed[3]);
  CHECK(in.fixed[3]->finish_ms == Approx(200));
  CHECK_FALSE(p.due());
  auto ctx = in.context({}, [](std::size_t, std::size_t) { return 10.0; });
  CHECK(ctx.unavailable[2]);
  CHECK(ctx.now_ms == 150);
}

TEST_CASE("slow domains can be excluded outright", "[dynamic][replan]") {
  replan_config cfg;
  cfg.exclude_slow_domains = true;
  replan_policy p(2, cfg);
  for (int i = 0; i < 3; ++i) p.observe(0, 300, 100);
  REQUIRE(p.due());
  auto in = p.prepare({}, 0);
  CHECK(in.unavailable == std::vector<bool>{true, false});
}

TEST_CASE("a result is delivered once even when its node runs twice", "[dynamic][replan]") {
  result_ledger l(2);
  CHECK_FALSE(l.accept(0, 1));  // no attempt started
  auto a1 = l.begin_attempt(0);
  auto a2 = l.begin_attempt(0);  // re-run after its domain was lost
  CHECK(a1 == 1);
  CHECK(a2 == 2);
  CHECK(l.accept(0, a2));
  CHECK_FALSE(l.accept(0, a1));  // the lost attempt reports late
  CHECK_FALSE(l.accept(0, a2));
  CHECK(l.delivered_by(0) == 2);
  CHECK(l.duplicates() == 2);
  CHECK_FALSE(l.complete());
  CHECK(l.accept(1, l.begin_attempt(1)));
  CHECK(l.complete());
}

TEST_CASE("after a failure mid-run every node is delivered exactly once", "[dynamic][replan]") {
  // 30 independent nodes of 100 ms on two domains of one slot each, round
  // robin; domain 1 fails at t = 450 and its attempts report late.
  const std::size_t n = 30;
  replan_policy policy(2);
  result_ledger ledger(n);
  std::vector<node_progress> nodes(n);
  std::vector<std::uint32_t> attempt(n, 0);
  std::vector<double> busy_until(2, 0);
  std::vector<std::size_t> order;
  for (std::size_t i = 0; i < n; ++i) {
    nodes[i].phase = node_phase::queued;
    nodes[i].domain = i % 2;
  }
  std::vector<int> delivered(n, 0);
  auto deliver = [&](std::size_t i, std::uint32_t a) {
    if (ledger.accept(i, a)) ++delivered[i];
  };
  double t = 0;
  bool failed = false;
  std::vector<std::pair<std::size_t, std::uint32_t>> late;
  while (!ledger.complete() && t < 10000) {
    for (std::size_t d = 0; d < 2; ++d) {
      if (busy_until[d] > t || policy.failed(d)) continue;
      auto it = std::find_if(nodes.begin(), nodes.end(), [&](const node_progress& p) {
        return p.phase == node_phase::queued && p.domain == d;
      });
      if (it == nodes.end()) continue;
      std::size_t i = static_cast<std::size_t>(it - nodes.begin());
      *it = {node_phase::running, d, t, 0, 100, 1};
      attempt[i] = ledger.begin_attempt(i);
      busy_until[d] = t + 100;
    }
    t += 50;
    if (!failed && t >= 450) {
      failed = true;
      policy.domain_failed(1);
      REQUIRE(policy.due());
      auto in = policy.prepare(nodes, t);
      for (std::size_t i : in.rerun) {
        if (nodes[i].phase == node_phase::running) late.emplace_back(i, attempt[i]);
        nodes[i] = {node_phase::queued, 0, 0, 0, 0, 0};
      }
      for (std::size_t i : in.replanned) nodes[i].domain = 0;  // the new plan: all on 0
      CHECK_FALSE(in.rerun.empty());
    }
    for (std::size_t i = 0; i < n; ++i)
      if (nodes[i].phase == node_phase::running && nodes[i].start_ms + 100 <= t &&
          !policy.failed(nodes[i].domain)) {
        deliver(i, attempt[i]);
        nodes[i].phase = node_phase::done;
        nodes[i].finish_ms = t;
      }
  }
  for (auto [i, a] : late) deliver(i, a);  // the lost domain's results arrive after all
  CHECK(ledger.complete());
  for (std::size_t i = 0; i < n; ++i) CHECK(delivered[i] == 1);
  CHECK(ledger.duplicates() == late.size());
  CHECK_FALSE(late.empty());
}
