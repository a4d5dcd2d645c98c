#pragma once
/// \file Ready-made observers of the event stream (events.hpp): the runtime's
/// Prometheus series, and callbacks for code that wants a lambda or two.

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

#include <spdlog/spdlog.h>

#include "causality/model/types.hpp"
#include "causality/observe/events.hpp"
#include "causality/observe/runtime_metrics.hpp"

namespace causality::observe {

/// Feeds runtime_metrics from the stream: started / finished / failed counts,
/// latency and cost accrued per domain (node events), queue depth and
/// utilisation (domains_sampled), switches. `series` must outlive the observer.
class metrics_observer : public observer {
 public:
  metrics_observer(runtime_metrics& series, const model::platform& platform);
  std::uint32_t interests() const override {
    return ev_started | ev_finished | ev_failed | ev_switched | ev_sampled;
  }
  void on_node_started(const node_started& e) override;
  void on_node_finished(const node_finished& e) override;
  void on_node_failed(const node_failed& e) override;
  void on_strategy_switched(const strategy_switched& e) override;
  void on_domains_sampled(const domains_sampled& e) override;

 private:
  struct dom {
    std::string name;
    domain_metrics* series = nullptr;
  };
  dom* find(std::string_view name);
  runtime_metrics& series_;
  std::vector<std::unique_ptr<dom>> doms_;
};

/// The runtime's log lines, from the stream: node starts and finishes at
/// debug (logger "domain"), moves at debug, failures and retries at info
/// ("runtime"), losses at warn ("cluster"), re-plans ("planner"), switches ("monitor"), domains lost
/// (error) and re-admitted (info, "cluster"). Every engine has one.
class log_observer : public observer {
 public:
  log_observer();
  /// Node-level lines only at the levels that print them (asked when a run starts).
  std::uint32_t interests() const override;
  void on_node_placed(const node_placed& e) override;
  void on_node_started(const node_started& e) override;
  void on_node_finished(const node_finished& e) override;
  void on_node_failed(const node_failed& e) override;
  void on_node_retried(const node_retried& e) override;
  void on_node_lost(const node_lost& e) override;
  void on_replanned(const replanned& e) override;
  void on_strategy_switched(const strategy_switched& e) override;
  void on_domain_changed(const domain_changed& e) override;
  void on_run_ended(const run_ended& e) override;

 private:
  std::shared_ptr<spdlog::logger> domain_, runtime_, cluster_, planner_, monitor_;
};

/// Calls the functions that are set; each runs on an actor thread (thread-safe, cheap).
struct callbacks : observer {
  std::function<void(const node_queued&)> queued;
  std::function<void(const node_placed&)> placed;
  std::function<void(const node_started&)> started;
  std::function<void(const node_finished&)> finished;
  std::function<void(const node_failed&)> failed;
  std::function<void(const node_retried&)> retried;
  std::function<void(const node_lost&)> lost;
  std::function<void(const replanned&)> replan;
  std::function<void(const strategy_switched&)> switched;
  std::function<void(const domain_changed&)> domain;
  std::function<void(const run_ended&)> ended;
  std::function<void(const domains_sampled&)> sampled;

  void on_node_queued(const node_queued& e) override { if (queued) queued(e); }
  void on_node_placed(const node_placed& e) override { if (placed) placed(e); }
  void on_node_started(const node_started& e) override { if (started) started(e); }
  void on_node_finished(const node_finished& e) override { if (finished) finished(e); }
  void on_node_failed(const node_failed& e) override { if (failed) failed(e); }
  void on_node_retried(const node_retried& e) override { if (retried) retried(e); }
  void on_node_lost(const node_lost& e) override { if (lost) lost(e); }
  void on_replanned(const replanned& e) override { if (replan) replan(e); }
  void on_strategy_switched(const strategy_switched& e) override { if (switched) switched(e); }
  void on_domain_changed(const domain_changed& e) override { if (domain) domain(e); }
  void on_run_ended(const run_ended& e) override { if (ended) ended(e); }
  void on_domains_sampled(const domains_sampled& e) override { if (sampled) sampled(e); }
};

}  // namespace causality::observe
