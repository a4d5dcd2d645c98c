// Calibrated performance models, the arrival forecast and the balancing
// policies: pure functions fed with explicit times.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "causality/strategies/balancing.hpp"
#include "causality/strategies/demand_forecast.hpp"
#include "causality/strategies/perf_model.hpp"

using namespace causality;
using namespace causality::strategies;

namespace {
// Uniform in [0, 1) from the engine's raw output: same numbers on every
// standard library (distributions are implementation-defined).
double unit(std::mt19937& g) { return static_cast<double>(g()) / 4294967296.0; }

std::filesystem::path temp_file(const std::string& name) {
  return std::filesystem::temp_directory_path() /
         ("causality_dynamic_" + std::to_string(::getpid()) + "_" + name);
}
}  // namespace

TEST_CASE("robust statistics: median, MAD and Huber", "[dynamic][perf]") {
  CHECK(median_of({3, 1, 2}) == 2);
  CHECK(median_of({4, 1, 3, 2}) == 2.5);
  CHECK(median_of({}) == 0);
  CHECK(mad_of({1, 2, 3, 4, 100}, 3) == Approx(1.4826));
  // Huber ignores the far value much like the median does.
  CHECK(huber_location({10, 10.5, 9.5, 10.2, 9.8, 1000}) == Approx(10).margin(0.3));
  CHECK(estimate_location({10, 10.5, 9.5, 10.2, 9.8, 1000}, estimator_kind::mean, 1.345) > 150);
}

TEST_CASE("5 % of 10x outliers barely move the robust model but ruin the mean",
          "[dynamic][perf]") {
  std::mt19937 g(42);
  perf_model_config robust_cfg, mean_cfg;
  mean_cfg.estimator = estimator_kind::mean;
  perf_model robust(robust_cfg), mean(mean_cfg);
  const double truth = 100;  // the node really takes 100 ms (static model says 80)
  for (int i = 0; i < 400; ++i) {
    double t = truth * (0.95 + 0.1 * unit(g));
    if (unit(g) < 0.05) t *= 10;
    robust.record("work", "compute-a", t, 80);
    mean.record("work", "compute-a", t, 80);
  }
  double robust_err = std::abs(*robust.exec_time_ms("work", "compute-a", 80) - truth) / truth;
  double mean_err = std::abs(*mean.exec_time_ms("work", "compute-a", 80) - truth) / truth;
  CHECK(robust_err < 0.03);
  CHECK(mean_err > 0.25);
}

TEST_CASE("a model replaces the static estimate only after min_samples and scales by size",
          "[dynamic][perf]") {
  perf_model pm;  // min_samples 5
  for (int i = 0; i < 4; ++i) pm.record("work", "gpu", 500, 1000);
  CHECK_FALSE(pm.exec_time_ms("work", "gpu", 1000));
  pm.record("work", "gpu", 500, 1000);
  REQUIRE(pm.exec_time_ms("work", "gpu", 1000));
  CHECK(*pm.exec_time_ms("work", "gpu", 1000) == Approx(500));
  // Same node type, twice the work: the ratio carries over.
  CHECK(*pm.exec_time_ms("work", "gpu", 2000) == Approx(1000));
  CHECK_FALSE(pm.exec_time_ms("work", "cpu", 1000));
  CHECK_FALSE(pm.exec_time_ms("noop", "gpu", 1000));
  // Zero-work nodes are modelled in ms.
  for (int i = 0; i < 5; ++i) pm.record("noop", "gpu", 0.2, 0);
  CHECK(*pm.exec_time_ms("noop", "gpu", 0) == Approx(0.2));
  pm.record("work", "gpu", -1, 1000);  // ignored
  CHECK(pm.samples("work", "gpu") == 5);
}

TEST_CASE("the planner hook uses calibrated times per node and domain", "[dynamic][perf]") {
  model::dataflow_definition def;
  def.nodes.resize(3);
  def.nodes[0].node_type = "work";
  def.nodes[0].resources.cpu_time_ms = 1000;
  def.nodes[1].node_type = "work";
  def.nodes[1].resources.cpu_time_ms = 3000;
  def.nodes[2].node_type = "other";
  model::platform plat;
  plat.domains.resize(2);
  plat.domains[0].name = "a";
  plat.domains[1].name = "b";
  plat.domains[1].speed = 2.0;
  perf_model pm;
  for (int i = 0; i < 5; ++i) pm.record("work", "b", 750, 500);  // 1.5x slower than static
  auto hook = pm.planner_hook(def, plat);
  pm.record("work", "a", 1, 1);  // after the snapshot: no effect on the hook
  CHECK_FALSE(hook(0, 0));
  REQUIRE(hook(0, 1));
  CHECK(*hook(0, 1) == Approx(750));   // 1000 / 2.0 * 1.5
  CHECK(*hook(1, 1) == Approx(2250));  // 3000 / 2.0 * 1.5
  CHECK_FALSE(hook(2, 1));
  CHECK_FALSE(hook(7, 0));
}

TEST_CASE("a saved model loads back calibrated", "[dynamic][perf]") {
  perf_model pm;
  for (int i = 0; i < 6; ++i) pm.record("work", "a", 100 + i, 50);
  for (int i = 0; i < 5; ++i) pm.record("noop", "b", 2, 0);
  auto path = temp_file("model.json");
  REQUIRE_FALSE(pm.save(path.string()));
  auto back = perf_model::load(path.string());
  std::filesystem::remove(path);
  REQUIRE(back);
  CHECK(back->size() == 2);
  CHECK(*back->exec_time_ms("work", "a", 50) == Approx(*pm.exec_time_ms("work", "a", 50)));
  CHECK(*back->exec_time_ms("noop", "b", 0) == Approx(2));
}

TEST_CASE("a bad model file is refused naming file, field and reason", "[dynamic][perf]") {
  auto j = nlohmann::json::parse(
      R"({"version": 1, "models": [{"node_type": "w", "domain": "a", "ratio_samples": [1, -2]}]})");
  auto r = perf_model::from_json(j, "m.json");
  REQUIRE_FALSE(r);
  CHECK(r.err().message() == "m.json: /models/0/ratio_samples/1: must be a finite non-negative number");
  auto v = perf_model::from_json(nlohmann::json::parse(R"({"version": 2, "models": []})"), "m.json");
  REQUIRE_FALSE(v);
  CHECK(v.err().path == "/version");
  auto e = perf_model::from_json(
      nlohmann::json::parse(R"({"version": 1, "estimator": "avg", "models": []})"), "m.json");
  REQUIRE_FALSE(e);
  CHECK(e.err().path == "/estimator");
  auto path = temp_file("broken.json");
  { std::ofstream(path) << "{not json"; }
  auto f = perf_model::load(path.string());
  std::filesystem::remove(path);
  REQUIRE_FALSE(f);
  CHECK(f.err().file == path.string());
  CHECK_FALSE(perf_model::load("/nonexistent/dir/model.json"));
}

namespace {
// Feeds `rate_per_s` arrivals for one bucket starting at t.
void feed(demand_forecast& f, double t, double rate_per_s, double bucket_ms) {
  f.record_arrival(0, t, rate_per_s * bucket_ms / 1000.0);
}
}  // namespace

TEST_CASE("the forecast follows a step in the arrival rate", "[dynamic][forecast]") {
  forecast_config cfg;  // bucket 500 ms
  demand_forecast f(1, cfg);
  double t = 0;
  for (; t < 20000; t += cfg.bucket_ms) feed(f, t, 10, cfg.bucket_ms);
  f.advance(t);
  CHECK(f.rate_per_s(0) == Approx(10).epsilon(0.01));
  for (double end = t + 5000; t < end; t += cfg.bucket_ms) feed(f, t, 50, cfg.bucket_ms);
  f.advance(t);
  CHECK(f.rate_per_s(0) == Approx(50).epsilon(0.1));
  CHECK(f.expected_arrivals(0, 2000) == Approx(100).epsilon(0.15));
}

TEST_CASE("Holt tracks a ramp with less lag than a plain EWMA", "[dynamic][forecast]") {
  forecast_config holt_cfg, ewma_cfg;
  ewma_cfg.beta = 0;
  demand_forecast holt(1, holt_cfg), ewma(1, ewma_cfg);
  auto rate = [](double t) { return 10 + t / 500.0; };  // +2 per second
  double t = 0;
  for (; t < 30000; t += 500) {
    feed(holt, t, rate(t), 500);
    feed(ewma, t, rate(t), 500);
  }
  holt.advance(t);
  ewma.advance(t);
  // The last closed bucket covered [t-500, t): forecast one second later.
  double truth = rate(t - 500 + 1000);
  double holt_err = std::abs(holt.forecast_rate_per_s(0, 1000) - truth) / truth;
  double ewma_err = std::abs(ewma.forecast_rate_per_s(0, 1000) - truth) / truth;
  CHECK(holt_err < 0.03);
  CHECK(ewma_err > 2 * holt_err);
}

TEST_CASE("an idle gap decays the forecast to nothing", "[dynamic][forecast]") {
  demand_forecast f(2);
  for (double t = 0; t < 5000; t += 100) f.record_arrival(1, t);
  f.advance(5000);
  CHECK(f.rate_per_s(1) == Approx(10).epsilon(0.05));
  CHECK(f.rate_per_s(0) == 0);
  f.advance(60000);
  CHECK(f.rate_per_s(1) < 0.01);
  CHECK(f.expected_arrivals(1, 1000) < 0.01);
  CHECK(f.expected_arrivals(1, 0) == 0);
}

TEST_CASE("round robin cycles, least loaded counts, predictive adds forecast and speed",
          "[dynamic][balancing]") {
  std::vector<domain_load> c(3);
  for (std::size_t i = 0; i < 3; ++i) c[i].domain = i;
  auto rr = balancer_policy::round_robin();
  CHECK(rr.choose(c) == 0);
  CHECK(rr.choose(c) == 1);
  CHECK(rr.choose(c) == 2);
  CHECK(rr.choose(c) == 0);
  CHECK_FALSE(rr.uses_forecast);

  auto ll = balancer_policy::least_loaded();
  c[0].queued = 2;
  c[1].running = 1;
  c[2].queued = 1;
  c[2].slots = 2;  // 0.5 per slot
  CHECK(ll.choose(c) == 2);

  // Equal queues, but many nodes are about to arrive on 0.
  std::vector<domain_load> d(2);
  d[0] = {0, 2, 1, 1, 1.0, false, 6.0};
  d[1] = {1, 2, 1, 1, 1.0, false, 0.0};
  auto pr = balancer_policy::predictive();
  CHECK(pr.uses_forecast);
  CHECK(ll.choose(d) == 0);
  CHECK(pr.choose(d) == 1);

  // A four times faster domain with a longer queue finishes the node sooner.
  std::vector<domain_load> e(2);
  e[0] = {0, 1, 0, 2, 1.0, false, 0};
  e[1] = {1, 1, 0, 4, 4.0, false, 0};
  CHECK(predicted_completion(e[0], 1) == Approx(3.0));
  CHECK(predicted_completion(e[1], 1) == Approx(1.25));
  CHECK(ll.choose(e) == 0);
  CHECK(pr.choose(e) == 1);
  // An idle domain starts at once; forecasts count only with a weight.
  CHECK(predicted_completion({0, 4, 1, 0, 2.0, false, 0}, 1) == Approx(0.5));
  CHECK(predicted_completion({0, 1, 0, 0, 1.0, false, 3}, 0) == Approx(1.0));
  CHECK(predicted_completion({0, 1, 0, 0, 1.0, false, 3}, 1) == Approx(4.0));
}

TEST_CASE("balancer policies are found by name", "[dynamic][balancing]") {
  for (const char* n : {"round-robin", "least-loaded", "predictive", "planned-only", "plan-first"}) {
    auto p = balancer_policy::by_name(n);
    REQUIRE(p);
    CHECK(p->name == n);
  }
  auto bad = balancer_policy::by_name("random");
  REQUIRE_FALSE(bad);
  CHECK(bad.err().reason.find("predictive") != std::string::npos);
}
