// Scenario 3: real execution timings (CPU time of real work) with 5 % of
// the runs ten times slower; the robust model (Huber) against a plain mean,
// both fed the same samples; the truth is the mean of the normal runs.

#include <ctime>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

#include "causality/strategies/perf_model.hpp"
#include "scenarios.hpp"

namespace bench_adaptive {
namespace {

volatile double sink = 0;

// Real CPU work: `iters` rounds of a dependent floating-point recurrence.
double work(std::size_t iters) {
  double x = 1.0;
  for (std::size_t i = 0; i < iters; ++i) x = x * 1.0000001 + 1e-9 / x;
  return x;
}

// CPU time of this thread: time slices lost to other processes on a shared
// machine would otherwise add outliers nobody injected.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double timed_ms(std::size_t iters) {
  double t0 = cpu_ms();
  sink = sink + work(iters);
  return cpu_ms() - t0;
}

}  // namespace

nlohmann::json outliers(const options& o) {
  using namespace causality::strategies;
  // Calibrate the iteration count to 200 model ms at the time scale (2 ms
  // real by default: 600 runs and their outliers take a few seconds).
  const double target_ms = std::max(0.2, 200.0 * o.time_scale);
  std::size_t iters = 100000;
  double t = timed_ms(iters);
  iters = static_cast<std::size_t>(static_cast<double>(iters) * target_ms / std::max(t, 1e-3));

  const int n = o.quick ? 200 : 600;
  std::mt19937 rng(2026);
  // Both models keep every sample, so they and the truth see the same runs.
  perf_model_config rc;
  rc.max_samples = static_cast<std::size_t>(n);
  perf_model robust(rc);  // Huber
  perf_model_config mc = rc;
  mc.estimator = estimator_kind::mean;
  perf_model mean(mc);
  std::vector<double> normal;
  int outliers = 0;
  for (int i = 0; i < n; ++i) {
    bool slow = rng() % 100 < 5;  // 5 %: the node is ten times slower
    double ms = timed_ms(slow ? iters * 10 : iters);
    outliers += slow;
    if (!slow) normal.push_back(ms);
    // Static estimate = target: the models learn the ratio actual / static.
    robust.record("work", "compute", ms, target_ms);
    mean.record("work", "compute", ms, target_ms);
  }
  // Truth: the typical (non-outlier) time, measured on the same runs.
  double truth = 0;
  for (double x : normal) truth += x;
  truth /= static_cast<double>(normal.size());
  double r = *robust.exec_time_ms("work", "compute", target_ms);
  double m = *mean.exec_time_ms("work", "compute", target_ms);
  double robust_error = std::abs(r - truth) / truth;
  double mean_error = std::abs(m - truth) / truth;
  char buf[128];
  std::snprintf(buf, sizeof buf, "%d runs, %d outliers (10x)", n, outliers);
  row("outliers", "samples", buf);
  std::snprintf(buf, sizeof buf, "%.3f ms", truth);
  row("outliers", "typical time (truth)", buf);
  std::snprintf(buf, sizeof buf, "%.3f ms, error %.1f %%", r, 100 * robust_error);
  row("outliers", "robust (Huber) estimate", buf);
  std::snprintf(buf, sizeof buf, "%.3f ms, error %.1f %%", m, 100 * mean_error);
  row("outliers", "plain mean estimate", buf);
  return {{"scenario", "outliers"}, {"robust_error", robust_error}, {"mean_error", mean_error}};
}

}  // namespace bench_adaptive
