// The run recorder and the engine history: the observers behind run summaries.
#include <algorithm>

#include "causality/observe/run_summary.hpp"

namespace causality::observe {

std::size_t approx_json_bytes(const model::value& v) {
  if (v.is_null()) return 4;
  if (v.is_bool()) return 5;
  if (v.is_number()) return 8;
  if (v.is_string()) return v.as_string().size() + 2;
  if (v.is_array()) {
    std::size_t n = 2;
    for (auto& e : v.as_array()) n += approx_json_bytes(e) + 1;
    return n;
  }
  if (v.is_object()) {
    std::size_t n = 2;
    for (auto& [k, e] : v.as_object()) n += k.size() + 4 + approx_json_bytes(e);
    return n;
  }
  return 8;  // a user type: opaque
}

void engine_history::on_strategy_switched(const strategy_switched& e) {
  std::lock_guard<std::mutex> g(mx_);
  if (switches_.size() >= max_) switches_.erase(switches_.begin());
  switches_.push_back({e.time_ms, std::string(e.from), std::string(e.to), std::string(e.reason), e.load});
}

void engine_history::on_domain_changed(const domain_changed& e) {
  std::lock_guard<std::mutex> g(mx_);
  if (domains_.size() >= max_) domains_.erase(domains_.begin());
  domains_.push_back({e.time_ms, std::string(e.domain), e.available, std::string(e.why)});
}

std::vector<switch_record> engine_history::switches() const {
  std::lock_guard<std::mutex> g(mx_);
  return switches_;
}

std::vector<domain_record> engine_history::domain_changes() const {
  std::lock_guard<std::mutex> g(mx_);
  return domains_;
}

void run_recorder::on_node_placed(const node_placed& e) {
  if (e.how != placement::moved) {
    // Back on plan after an earlier move (a retry): the move no longer holds.
    std::lock_guard<std::mutex> g(mx_);
    if (!moves_.empty()) moves_.erase(e.index);
    return;
  }
  std::lock_guard<std::mutex> g(mx_);
  moves_[e.index] = move{std::string(e.planned_domain), std::string(e.domain), std::string(e.reason)};
}

void run_recorder::on_node_retried(const node_retried& e) {
  std::lock_guard<std::mutex> g(mx_);
  retries_[e.index].emplace_back(e.why);
}

void run_recorder::on_node_lost(const node_lost& e) {
  std::lock_guard<std::mutex> g(mx_);
  losses_[e.index].push_back(loss{std::string(e.domain), e.time_ms});
}

void run_recorder::on_replanned(const replanned& e) {
  std::lock_guard<std::mutex> g(mx_);
  replans_.push_back(replan_record{e.time_ms, std::string(e.reason), e.nodes_replanned, e.nodes_moved,
                                   e.slowdowns, e.makespan_before_ms, e.makespan_after_ms});
}

std::map<std::uint32_t, run_recorder::move> run_recorder::moves() const {
  std::lock_guard<std::mutex> g(mx_);
  return moves_;
}
std::map<std::uint32_t, std::vector<run_recorder::loss>> run_recorder::losses() const {
  std::lock_guard<std::mutex> g(mx_);
  return losses_;
}
std::map<std::uint32_t, std::vector<std::string>> run_recorder::retries() const {
  std::lock_guard<std::mutex> g(mx_);
  return retries_;
}
std::vector<replan_record> run_recorder::replans() const {
  std::lock_guard<std::mutex> g(mx_);
  return replans_;
}

}  // namespace causality::observe
