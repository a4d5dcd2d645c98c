// The run recorder and the engine history: the observers behind run summaries.
#include <algorithm>

#include "causality/observe/run_summary.hpp"

namespace causality::observe {

namespace {

/// Walks at most `budget` values: outputs may share sub-values (a join's
/// output holding its inputs), so a full walk can be exponential in the DAG.
std::size_t approx(const model::value& v, std::size_t& budget) {
  if (budget == 0) return 0;
  --budget;
  if (v.is_null()) return 4;
  if (v.is_bool()) return 5;
  if (v.is_number()) return 8;
  if (v.is_string()) return v.as_string().size() + 2;
  std::size_t n = 2;
  if (v.is_array()) {
    for (auto& e : v.as_array()) {
      if (budget == 0) break;
      n += approx(e, budget) + 1;
    }
  } else if (v.is_object()) {
    for (auto& [k, e] : v.as_object()) {
      if (budget == 0) break;
      n += k.size() + 4 + approx(e, budget);
    }
  } else {
    n = 8;  // a user type: opaque
  }
  return n;
}

}  // namespace

std::size_t approx_json_bytes(const model::value& v) {
  std::size_t budget = 256;
  return approx(v, budget);
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
  if (e.how != placement::moved) return;  // the summary checks a move against where the node last ran
  std::lock_guard<std::mutex> g(mx_);
  move_rec r{e.index, e.planned_domain, e.domain, {}, {}};
  if (e.detail) {
    r.detail = *e.detail;
    if (policy_.empty()) policy_ = std::string(e.detail->policy);
  } else {
    texts_.emplace_back(e.reason);  // rare (a queued node following a re-plan): keep the words
    r.reason = texts_.back();
  }
  moves_.push_back(r);
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
  std::map<std::uint32_t, move> out;
  for (auto& r : moves_) {
    auto d = r.detail;
    d.policy = policy_;
    out[r.index] = move{std::string(r.planned), std::string(r.chosen),
                        r.reason.empty() ? move_reason(r.planned, r.chosen, d) : std::string(r.reason)};
  }
  return out;
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
