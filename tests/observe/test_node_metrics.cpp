#include <catch2/catch.hpp>

#include <thread>

#include "causality/observe/node_metrics.hpp"
#include "prometheus_parser.hpp"

using namespace causality;
using namespace causality::observe;
using causality::test::parse_exposition;

namespace {
model::platform two_domains() {
  model::platform p;
  p.domains.resize(2);
  p.domains[0].name = "cpu";
  p.domains[0].slots = 2;
  p.domains[1].name = "svc";
  p.domains[1].slots = 1;
  return p;
}
const std::map<std::string, std::string> cpu{{"domain", "cpu"}}, svc{{"domain", "svc"}};
}  // namespace

TEST_CASE("node events drive queue depth, utilisation, counters, latency and cost",
          "[observe][metrics]") {
  metric_registry reg;
  runtime_metrics m(reg);
  node_metrics nm(m, two_domains());
  auto scrape = [&] { return parse_exposition(reg.render_prometheus()); };
  CHECK(scrape().value("causality_queue_depth", cpu) == 0);  // published at once

  nm.queued(1, 0, 0);
  nm.queued(1, 1, 0);
  nm.queued(1, 2, 1);
  auto e = scrape();
  CHECK(e.value("causality_queue_depth", cpu) == 2);
  CHECK(e.value("causality_queue_depth", svc) == 1);

  nm.started(1, 0, 0, 10);
  nm.started(1, 1, 0, 12);
  e = scrape();
  CHECK(e.value("causality_queue_depth", cpu) == 0);
  CHECK(e.value("causality_domain_utilisation", cpu) == 1.0);  // 2 running / 2 slots
  CHECK(e.value("causality_nodes_started_total", cpu) == 2);

  nm.finished(1, 0, 40, 110);  // ran 30 ms
  nm.failed(1, 1);
  e = scrape();
  CHECK(e.value("causality_domain_utilisation", cpu) == 0);
  CHECK(e.value("causality_nodes_finished_total", cpu) == 1);
  CHECK(e.value("causality_nodes_failed_total", cpu) == 1);
  CHECK(e.value("causality_cost_accrued_total", cpu) == 110);
  CHECK(e.value("causality_node_latency_ms_sum", cpu) == 30);
  CHECK(e.value("causality_node_latency_ms_bucket", {{"domain", "cpu"}, {"le", "25"}}) == 0);
  CHECK(e.value("causality_node_latency_ms_bucket", {{"domain", "cpu"}, {"le", "50"}}) == 1);

  // A retry re-queues the failed node; the same node index of another run is separate.
  nm.queued(1, 1, 0);
  nm.queued(2, 1, 0);
  CHECK(scrape().value("causality_queue_depth", cpu) == 2);
  // The balancer may start a node on another domain than it was queued for.
  nm.started(1, 2, 0, 50);
  e = scrape();
  CHECK(e.value("causality_queue_depth", svc) == 0);
  CHECK(e.value("causality_domain_utilisation", cpu) == 0.5);
  // Events for nodes never seen are ignored, not miscounted.
  nm.finished(9, 9, 1, 1);
  nm.failed(9, 9);
  CHECK(scrape().value("causality_nodes_failed_total", cpu) == 1);
}

TEST_CASE("node events from many threads add up exactly", "[observe][metrics]") {
  metric_registry reg;
  runtime_metrics m(reg);
  node_metrics nm(m, two_domains());
  constexpr int threads = 4, nodes = 2000;
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (std::uint32_t n = 0; n < nodes; ++n) {
        int d = static_cast<int>(n % 2);
        nm.queued(t, n, d);
        nm.started(t, n, d, n);
        nm.finished(t, n, n + 2.0, 1.5);
      }
    });
  for (auto& t : ts) t.join();
  auto e = parse_exposition(reg.render_prometheus());
  for (const auto& l : {cpu, svc}) {
    CHECK(e.value("causality_nodes_finished_total", l) == threads * nodes / 2);
    CHECK(e.value("causality_cost_accrued_total", l) == threads * nodes / 2 * 1.5);
    CHECK(e.value("causality_node_latency_ms_sum", l) == threads * nodes / 2 * 2.0);
    CHECK(e.value("causality_queue_depth", l) == 0);
    CHECK(e.value("causality_domain_utilisation", l) == 0);
  }
}
