#include "causality/observe/observers.hpp"

#include <algorithm>

namespace causality::observe {

metrics_observer::metrics_observer(runtime_metrics& series, const model::platform& platform) : series_(series) {
  for (auto& d : platform.domains) {
    auto x = std::make_unique<dom>();
    x->name = d.name;
    x->series = &series.domain(d.name);
    x->slots = std::max<double>(1, d.slots);
    doms_.push_back(std::move(x));
  }
}

metrics_observer::dom* metrics_observer::find(std::string_view name) {
  for (auto& d : doms_)
    if (d->name == name) return d.get();
  return nullptr;
}

void metrics_observer::gauges(dom& d) {
  d.series->set_queue_depth(static_cast<double>(std::max(0L, d.queued.load(std::memory_order_relaxed))));
  d.series->set_utilisation(std::clamp(d.running.load(std::memory_order_relaxed) / d.slots, 0.0, 1.0));
}

void metrics_observer::on_node_placed(const node_placed& e) {
  if (auto* d = find(e.domain)) {
    d->queued.fetch_add(1, std::memory_order_relaxed);
    gauges(*d);
  }
}

void metrics_observer::on_node_started(const node_started& e) {
  if (auto* d = find(e.domain)) {
    d->queued.fetch_sub(1, std::memory_order_relaxed);
    d->running.fetch_add(1, std::memory_order_relaxed);
    d->series->node_started();
    gauges(*d);
  }
}

void metrics_observer::on_node_finished(const node_finished& e) {
  if (auto* d = find(e.domain)) {
    d->running.fetch_sub(1, std::memory_order_relaxed);
    d->series->node_finished(e.duration_ms);
    d->series->cost_accrued(e.cost);
    gauges(*d);
  }
}

void metrics_observer::on_node_failed(const node_failed& e) {
  if (auto* d = find(e.domain)) {
    d->running.fetch_sub(1, std::memory_order_relaxed);
    d->series->node_failed();
    gauges(*d);
  }
}

void metrics_observer::on_node_lost(const node_lost& e) {
  if (auto* d = find(e.domain)) {
    d->running.store(0, std::memory_order_relaxed);  // the domain is gone with what ran there
    d->queued.store(0, std::memory_order_relaxed);
    gauges(*d);
  }
}

void metrics_observer::on_strategy_switched(const strategy_switched&) { series_.strategy_switched(); }

}  // namespace causality::observe
