#include "causality/observe/observers.hpp"

#include <algorithm>

namespace causality::observe {

metrics_observer::metrics_observer(runtime_metrics& series, const model::platform& platform) : series_(series) {
  for (auto& d : platform.domains) {
    auto x = std::make_unique<dom>();
    x->name = d.name;
    x->series = &series.domain(d.name);
    doms_.push_back(std::move(x));
  }
}

metrics_observer::dom* metrics_observer::find(std::string_view name) {
  for (auto& d : doms_)
    if (d->name == name) return d.get();
  return nullptr;
}

void metrics_observer::on_node_started(const node_started& e) {
  if (auto* d = find(e.domain)) d->series->node_started();
}

void metrics_observer::on_node_finished(const node_finished& e) {
  if (auto* d = find(e.domain)) {
    d->series->node_finished(e.duration_ms);
    d->series->cost_accrued(e.cost);
  }
}

void metrics_observer::on_node_failed(const node_failed& e) {
  if (auto* d = find(e.domain)) d->series->node_failed();
}

void metrics_observer::on_domains_sampled(const domains_sampled& e) {
  for (auto& x : e.domains)
    if (auto* d = find(x.domain)) {
      d->series->set_queue_depth(x.queued);
      d->series->set_utilisation(std::clamp(static_cast<double>(x.running) / std::max(1u, x.slots), 0.0, 1.0));
    }
}

void metrics_observer::on_strategy_switched(const strategy_switched&) { series_.strategy_switched(); }

}  // namespace causality::observe

// ------------------------------------------------------------------ log lines

#include "causality/observe/log.hpp"

namespace causality::observe {

log_observer::log_observer()
    : domain_(logger("domain")),
      runtime_(logger("runtime")),
      cluster_(logger("cluster")),
      planner_(logger("planner")),
      monitor_(logger("monitor")) {}

std::uint32_t log_observer::interests() const {
  std::uint32_t b = ev_lost | ev_replanned | ev_switched | ev_domain;
  if (domain_->should_log(spdlog::level::debug)) b |= ev_started | ev_finished;
  if (runtime_->should_log(spdlog::level::debug)) b |= ev_moved | ev_ended;
  if (runtime_->should_log(spdlog::level::info)) b |= ev_failed | ev_retried;
  return b;
}

void log_observer::on_node_placed(const node_placed& e) {
  if (e.how == placement::moved && runtime_->should_log(spdlog::level::debug))
    runtime_->debug("run {}: node '{}' placed on '{}': {}", e.run, e.node, e.domain, placement_reason(e));
}

void log_observer::on_node_started(const node_started& e) {
  if (domain_->should_log(spdlog::level::debug))
    domain_->debug("run {}: node '{}' started on '{}' (attempt {})", e.run, e.node, e.domain, e.attempt);
}

void log_observer::on_node_finished(const node_finished& e) {
  if (domain_->should_log(spdlog::level::debug))
    domain_->debug("run {}: node '{}' finished on '{}' in {:.1f} ms", e.run, e.node, e.domain, e.duration_ms);
}

void log_observer::on_node_failed(const node_failed& e) {
  if (runtime_->should_log(spdlog::level::info))
    runtime_->info("run {}: node '{}' failed on '{}' (attempt {}{}): {}", e.run, e.node, e.domain, e.attempt,
                   e.final ? ", no attempt left" : "", e.error);
}

void log_observer::on_node_retried(const node_retried& e) {
  if (runtime_->should_log(spdlog::level::info))
    runtime_->info("run {}: node '{}' attempt {} in {:.0f} ms after: {}", e.run, e.node, e.attempt, e.delay_ms,
                   e.why);
}

void log_observer::on_node_lost(const node_lost& e) {
  cluster_->warn("run {}: node '{}' lost with domain '{}', running it again", e.run, e.node, e.domain);
}

void log_observer::on_replanned(const replanned& e) {
  if (!planner_->should_log(spdlog::level::info)) return;
  std::string factors;
  for (auto& d : e.slowdowns) factors += fmt::format("{}'{}' {:.2f}x", factors.empty() ? "" : ", ", d.domain, d.factor);
  planner_->info("run {}: re-planned {} nodes, {} moved ({}); measured slowdown: {}", e.run, e.nodes_replanned,
                 e.nodes_moved, e.reason, factors);
}

void log_observer::on_strategy_switched(const strategy_switched& e) {
  monitor_->info("strategy switch: {} -> {} at load {:.2f} ({})", e.from, e.to, e.load, e.reason);
}

void log_observer::on_domain_changed(const domain_changed& e) {
  if (e.available) cluster_->info("domain '{}' re-admitted: it gets work again ({})", e.domain, e.why);
  else cluster_->error("domain '{}' lost ({}): its nodes run elsewhere", e.domain, e.why);
}

void log_observer::on_run_ended(const run_ended& e) {
  if (runtime_->should_log(spdlog::level::debug))
    runtime_->debug("run {} ({}) {} after {:.1f} ms{}{}", e.run, e.workflow, e.status, e.time_ms,
                    e.error.empty() ? "" : ": ", e.error);
}

}  // namespace causality::observe
