#include "causality/observe/runtime_metrics.hpp"

namespace causality::observe {

const std::vector<double>& node_latency_buckets_seconds() {
  static const std::vector<double> b{0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5,
                                     1,     2.5,   5,     10,   30,    60,   300, 600};
  return b;
}

// The names below are constants and valid, so registration cannot fail;
// .value() would throw only on a programming error caught by the tests.
runtime_metrics::runtime_metrics(metric_registry& registry) : registry_(registry) {
  switches_ = registry_
                  .get_counter(metric_names::strategy_switches,
                               "Times the running optimization strategy was switched")
                  .value();
}

domain_metrics& runtime_metrics::domain(const std::string& name) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto& slot = domains_[name];
  if (slot) return *slot;
  auto m = std::make_unique<domain_metrics>();
  const labels l{{"domain", name}};
  auto& r = registry_;
  m->started_ = r.get_counter(metric_names::nodes_started, "Nodes started on a domain", l).value();
  m->finished_ =
      r.get_counter(metric_names::nodes_finished, "Nodes finished successfully on a domain", l)
          .value();
  m->failed_ = r.get_counter(metric_names::nodes_failed, "Nodes failed on a domain", l).value();
  m->queue_ = r.get_gauge(metric_names::queue_depth, "Nodes waiting for a slot of a domain", l)
                  .value();
  m->util_ =
      r.get_gauge(metric_names::utilisation, "Busy slots over slots of a domain (0..1)", l).value();
  m->cost_ =
      r.get_counter(metric_names::cost_accrued, "Effect cost accrued on a domain", l).value();
  m->latency_ = r.get_histogram(metric_names::node_latency,
                                "Node run time from start to finish on a domain (seconds)",
                                node_latency_buckets_seconds(), l)
                    .value();
  slot = std::move(m);
  return *slot;
}

}  // namespace causality::observe
