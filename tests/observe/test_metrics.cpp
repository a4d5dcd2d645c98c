#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <thread>

#include "causality/observe/metrics.hpp"
#include "causality/observe/runtime_metrics.hpp"
#include "prometheus_parser.hpp"

using namespace causality::observe;
using causality::test::parse_exposition;

TEST_CASE("a counter only goes up and renders with HELP and TYPE", "[observe][metrics]") {
  metric_registry r;
  auto c = r.get_counter("jobs_total", "Jobs done", {{"queue", "fast"}});
  REQUIRE(c);
  (*c)->inc();
  (*c)->inc(2.5);
  (*c)->inc(-10);  // ignored
  CHECK((*c)->value() == 3.5);
  auto e = parse_exposition(r.render_prometheus());
  CHECK(e.help.at("jobs_total") == "Jobs done");
  CHECK(e.type.at("jobs_total") == "counter");
  CHECK(e.value("jobs_total", {{"queue", "fast"}}) == 3.5);
}

TEST_CASE("the same name and labels give the same series, other labels a new one",
          "[observe][metrics]") {
  metric_registry r;
  auto a = r.get_gauge("depth", "d", {{"domain", "x"}});
  auto b = r.get_gauge("depth", "d", {{"domain", "x"}});
  auto c = r.get_gauge("depth", "d", {{"domain", "y"}});
  REQUIRE((a && b && c));
  CHECK(*a == *b);
  CHECK(*a != *c);
  (*a)->set(7);
  (*c)->add(-2);
  (*c)->add(0.5);
  auto e = parse_exposition(r.render_prometheus());
  CHECK(e.type.at("depth") == "gauge");
  CHECK(e.value("depth", {{"domain", "x"}}) == 7);
  CHECK(e.value("depth", {{"domain", "y"}}) == -1.5);
}

TEST_CASE("histogram buckets are cumulative with le inclusive, plus _sum and _count",
          "[observe][metrics]") {
  metric_registry r;
  auto h = r.get_histogram("lat_ms", "latency", {1, 5, 10}, {{"domain", "d"}});
  REQUIRE(h);
  for (double v : {0.5, 1.0, 1.5, 7.0, 1000.0}) (*h)->observe(v);
  auto e = parse_exposition(r.render_prometheus());
  CHECK(e.type.at("lat_ms") == "histogram");
  // Hand-counted from the five observations above.
  CHECK(e.value("lat_ms_bucket", {{"domain", "d"}, {"le", "1"}}) == 2);
  CHECK(e.value("lat_ms_bucket", {{"domain", "d"}, {"le", "5"}}) == 3);
  CHECK(e.value("lat_ms_bucket", {{"domain", "d"}, {"le", "10"}}) == 4);
  CHECK(e.value("lat_ms_bucket", {{"domain", "d"}, {"le", "+Inf"}}) == 5);
  CHECK(e.value("lat_ms_sum", {{"domain", "d"}}) == 1010);
  CHECK(e.value("lat_ms_count", {{"domain", "d"}}) == 5);
}

TEST_CASE("label values and help text are escaped so they parse back unchanged",
          "[observe][metrics]") {
  metric_registry r;
  const std::string nasty = "a\"b\\c\nd{e}=,f";
  REQUIRE(r.get_counter("odd_total", "help with \\ and\nnewline", {{"v", nasty}}));
  auto text = r.render_prometheus();
  CHECK(text.find("a\\\"b\\\\c\\nd") != std::string::npos);
  auto e = parse_exposition(text);
  CHECK(e.help.at("odd_total") == "help with \\ and\nnewline");
  CHECK(e.value("odd_total", {{"v", nasty}}) == 0);
}

TEST_CASE("control bytes in label values are shown as \\xNN, never raw", "[observe][metrics]") {
  metric_registry r;
  REQUIRE(r.get_counter("ctl_total", "h", {{"domain", std::string("x\x1b[2J\ry", 7)}}));
  auto text = r.render_prometheus();
  for (char c : text) CHECK((static_cast<unsigned char>(c) >= 0x20 || c == '\n'));
  auto e = parse_exposition(text);
  CHECK(e.value("ctl_total", {{"domain", "x\\x1b[2J\\x0dy"}}) == 0);
}

TEST_CASE("invalid names, type clashes and label mismatches are refused", "[observe][metrics]") {
  metric_registry r;
  CHECK_FALSE(r.get_counter("1bad", "h"));
  CHECK_FALSE(r.get_counter("bad-name", "h"));
  CHECK_FALSE(r.get_counter("ok_total", "h", {{"__reserved", "x"}}));
  CHECK_FALSE(r.get_counter("ok_total", "h", {{"a", "x"}, {"a", "y"}}));
  REQUIRE(r.get_counter("ok_total", "h", {{"domain", "x"}}));
  auto clash = r.get_gauge("ok_total", "h", {{"domain", "x"}});
  REQUIRE_FALSE(clash);
  CHECK(clash.err().message().find("already registered as a counter") != std::string::npos);
  CHECK_FALSE(r.get_counter("ok_total", "h", {{"other", "x"}}));
  CHECK_FALSE(r.get_histogram("h_ms", "h", {5, 1}));
  CHECK_FALSE(r.get_histogram("h_ms", "h", {1, 2}, {{"le", "3"}}));
  REQUIRE(r.get_histogram("h_ms", "h", {1, 2}));
  CHECK_FALSE(r.get_histogram("h_ms", "h", {1, 3}));
}

TEST_CASE("values render as Prometheus numbers", "[observe][metrics]") {
  CHECK(format_metric_value(3) == "3");
  CHECK(format_metric_value(0.1) == "0.1");
  CHECK(format_metric_value(-2.5) == "-2.5");
  CHECK(format_metric_value(1.0 / 3) == "0.3333333333333333");
  CHECK(format_metric_value(std::numeric_limits<double>::infinity()) == "+Inf");
  CHECK(format_metric_value(-std::numeric_limits<double>::infinity()) == "-Inf");
  CHECK(format_metric_value(std::nan("")) == "NaN");
}

TEST_CASE("concurrent updates are all counted while the registry is rendered",
          "[observe][metrics]") {
  metric_registry r;
  counter* c = r.get_counter("hits_total", "h").value();
  histogram* h = r.get_histogram("obs", "h", {10}).value();
  constexpr int threads = 4, per_thread = 20000;
  std::vector<std::thread> ts;
  for (int t = 0; t < threads; ++t)
    ts.emplace_back([&, t] {
      for (int i = 0; i < per_thread; ++i) {
        c->inc();
        h->observe(t % 2 ? 20.0 : 1.0);
      }
    });
  // Rendering while writers run must not block them or tear the text.
  for (int i = 0; i < 20; ++i) parse_exposition(r.render_prometheus());
  for (auto& t : ts) t.join();
  auto e = parse_exposition(r.render_prometheus());
  CHECK(e.value("hits_total") == threads * per_thread);
  CHECK(e.value("obs_count") == threads * per_thread);
  CHECK(e.value("obs_bucket", {{"le", "10"}}) == (threads / 2) * per_thread);
  CHECK(e.value("obs_sum") == (threads / 2) * per_thread * 21.0);
}

TEST_CASE("the runtime facade exposes the standard metric names per domain",
          "[observe][metrics]") {
  metric_registry r;
  runtime_metrics m(r);
  auto& d = m.domain("compute-a");
  CHECK(&d == &m.domain("compute-a"));
  for (int i = 0; i < 3; ++i) d.node_started();
  d.node_finished(12.5);
  d.node_finished(3000);
  d.node_failed();
  d.set_queue_depth(4);
  d.set_utilisation(0.75);
  d.cost_accrued(110.5);
  d.cost_accrued(20);
  m.strategy_switched();
  m.strategy_switched();
  m.domain("service-b").node_started();

  auto e = parse_exposition(r.render_prometheus());
  const std::map<std::string, std::string> a{{"domain", "compute-a"}};
  CHECK(e.value("causality_nodes_started_total", a) == 3);
  CHECK(e.value("causality_nodes_started_total", {{"domain", "service-b"}}) == 1);
  CHECK(e.value("causality_nodes_finished_total", a) == 2);
  CHECK(e.value("causality_nodes_failed_total", a) == 1);
  CHECK(e.value("causality_queue_depth", a) == 4);
  CHECK(e.value("causality_domain_utilisation_ratio", a) == 0.75);
  CHECK(e.value("causality_cost_accrued_total", a) == 130.5);
  CHECK(e.value("causality_strategy_switches_total") == 2);
  // Latency in seconds (Prometheus base unit): 12.5 ms and 3000 ms observed.
  CHECK(e.type.at("causality_node_latency_seconds") == "histogram");
  CHECK(e.value("causality_node_latency_seconds_count", a) == 2);
  CHECK(e.value("causality_node_latency_seconds_sum", a) == Approx(3.0125));
  auto with_le = [&](const char* le) {
    auto l = a;
    l["le"] = le;
    return e.value("causality_node_latency_seconds_bucket", l);
  };
  CHECK(with_le("0.01") == 0);
  CHECK(with_le("0.025") == 1);
  CHECK(with_le("2.5") == 1);
  CHECK(with_le("5") == 2);
  CHECK(with_le("+Inf") == 2);
  for (const char* n : {"causality_nodes_started_total", "causality_nodes_finished_total",
                        "causality_nodes_failed_total", "causality_queue_depth",
                        "causality_domain_utilisation_ratio", "causality_cost_accrued_total",
                        "causality_strategy_switches_total", "causality_node_latency_seconds"})
    CHECK_FALSE(e.help.at(n).empty());
}
