#include "causality/observe/node_metrics.hpp"

namespace causality::observe {

node_metrics::node_metrics(runtime_metrics& metrics, const model::platform& plat) {
  for (const auto& d : plat.domains) {
    domains_.push_back(&metrics.domain(d.name));
    slots_.push_back(d.slots);
  }
  queued_.assign(domains_.size(), 0);
  running_.assign(domains_.size(), 0);
  for (std::size_t d = 0; d < domains_.size(); ++d) publish(static_cast<int>(d));
}

void node_metrics::publish(int d) {
  if (d < 0 || static_cast<std::size_t>(d) >= domains_.size()) return;
  domains_[d]->set_queue_depth(static_cast<double>(queued_[d]));
  domains_[d]->set_utilisation(slots_[d] ? static_cast<double>(running_[d]) / slots_[d] : 0.0);
}

void node_metrics::leave(const entry& e) {
  if (e.domain < 0 || static_cast<std::size_t>(e.domain) >= domains_.size()) return;
  auto& n = e.state == phase::queued ? queued_[e.domain] : running_[e.domain];
  if (n > 0) --n;
  publish(e.domain);
}

void node_metrics::queued(std::uint64_t run, std::uint32_t node, int domain) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, fresh] = live_.try_emplace({run, node});
  if (!fresh) leave(it->second);  // a retry re-queues a node
  it->second = {phase::queued, domain, 0};
  if (domain >= 0 && static_cast<std::size_t>(domain) < domains_.size()) {
    ++queued_[domain];
    publish(domain);
  }
}

void node_metrics::started(std::uint64_t run, std::uint32_t node, int domain, double time_ms) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto [it, fresh] = live_.try_emplace({run, node});
  if (!fresh) leave(it->second);
  it->second = {phase::running, domain, time_ms};
  if (domain >= 0 && static_cast<std::size_t>(domain) < domains_.size()) {
    ++running_[domain];
    domains_[domain]->node_started();
    publish(domain);
  }
}

void node_metrics::finished(std::uint64_t run, std::uint32_t node, double time_ms, double cost) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = live_.find({run, node});
  if (it == live_.end()) return;  // never seen starting: nothing to attribute
  entry e = it->second;
  live_.erase(it);
  leave(e);
  if (e.domain < 0 || static_cast<std::size_t>(e.domain) >= domains_.size()) return;
  domains_[e.domain]->node_finished(time_ms - e.start_ms);
  domains_[e.domain]->cost_accrued(cost);
}

void node_metrics::failed(std::uint64_t run, std::uint32_t node) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto it = live_.find({run, node});
  if (it == live_.end()) return;
  entry e = it->second;
  live_.erase(it);
  leave(e);
  if (e.domain >= 0 && static_cast<std::size_t>(e.domain) < domains_.size())
    domains_[e.domain]->node_failed();
}

}  // namespace causality::observe
