#include "causality/actors/run_state.hpp"

#include <stdexcept>

namespace causality::actors {

const char* to_string(run_status s) {
  switch (s) {
    case run_status::running: return "running";
    case run_status::succeeded: return "succeeded";
    case run_status::failed: return "failed";
    case run_status::cancelled: return "cancelled";
  }
  return "?";
}

const char* to_string(node_status s) {
  switch (s) {
    case node_status::pending: return "pending";
    case node_status::running: return "running";
    case node_status::succeeded: return "succeeded";
    case node_status::failed: return "failed";
    case node_status::skipped: return "skipped";
    case node_status::cancelled: return "cancelled";
    case node_status::timed_out: return "timed_out";
  }
  return "?";
}

run_state::run_state(std::shared_ptr<const program> prog, std::uint64_t id)
    : prog_(std::move(prog)), id_(id), future_(promise_.get_future().share()) {}

run_status run_state::status() const {
  std::lock_guard<std::mutex> g(mx_);
  return ended_ ? outcome_.status : run_status::running;
}

progress run_state::current_progress() const {
  progress p;
  p.total = prog_->size();
  p.done = n_done.load();
  p.running = n_running.load();
  p.failed = n_failed.load();
  p.skipped = n_skipped.load();
  auto settled = p.done + p.running + p.failed + p.skipped;
  p.pending = settled < p.total ? p.total - settled : 0;
  return p;
}

void run_state::wait() const {
  std::unique_lock<std::mutex> lk(mx_);
  cv_.wait(lk, [&] { return ended_; });
}

bool run_state::wait_for(std::chrono::nanoseconds d) const {
  std::unique_lock<std::mutex> lk(mx_);
  return cv_.wait_for(lk, d, [&] { return ended_; });
}

const run_outcome& run_state::outcome() const {
  wait();
  return outcome_;
}

std::shared_ptr<const strategies::plan> run_state::plan() const {
  std::lock_guard<std::mutex> g(mx_);
  return plan_;
}

void run_state::set_plan(std::shared_ptr<const strategies::plan> p) {
  std::lock_guard<std::mutex> g(mx_);
  if (!first_plan_) first_plan_ = p;
  plan_ = std::move(p);
}

std::shared_ptr<const strategies::plan> run_state::first_plan() const {
  std::lock_guard<std::mutex> g(mx_);
  return first_plan_;
}

std::vector<node_result> run_state::results() const {
  std::unique_lock<std::mutex> g(mx_);
  cv_.wait(g, [&] { return ended_; });
  auto& def = *prog_->def;
  std::vector<node_result> out(def.nodes.size());
  for (std::size_t i = 0; i < out.size(); ++i) {
    auto& r = out[i];
    r.node_id = def.nodes[i].node_id;
    if (i < rec_.status.size()) {
      r.status = rec_.status[i];
      if (i < rec_.output.size()) r.output = rec_.output[i];
      r.attempts = rec_.attempts[i];
      r.domain = rec_.domain[i];
      r.start_ms = rec_.start_ms[i];
      r.finish_ms = rec_.finish_ms[i];
      if (auto t = rec_.stderr_tail.find(static_cast<std::uint32_t>(i)); t != rec_.stderr_tail.end())
        r.stderr_tail = t->second;
      auto e = rec_.errors.find(static_cast<std::uint32_t>(i));
      if (e != rec_.errors.end()) {
        r.errors = e->second;
        // A node that succeeded at last keeps its earlier attempts' errors, not an error.
        if (!r.errors.empty() && r.status != node_status::succeeded) r.error = r.errors.back();
      }
    }
  }
  return out;
}

void run_state::cancel() {
  cancel_flag.store(true);
  std::function<void()> hook;
  {
    std::lock_guard<std::mutex> g(mx_);
    if (ended_) return;
    hook = cancel_hook_;
  }
  if (hook) hook();
}

void run_state::set_cancel_hook(std::function<void()> hook) {
  {
    std::lock_guard<std::mutex> g(mx_);
    if (ended_) return;
    cancel_hook_ = hook;
  }
  if (cancel_flag.load() && hook) hook();  // cancelled before the actor existed
}

double run_state::elapsed_ms() const {
  std::lock_guard<std::mutex> g(mx_);
  return end_ms_ - spawn_ms_;
}

bool run_state::finish(run_outcome o, node_records rec, double end_ms) {
  std::function<void()> end;
  {
    std::lock_guard<std::mutex> g(mx_);
    if (ended_) return false;
    ended_ = true;
    outcome_ = std::move(o);
    rec_ = std::move(rec);
    end_ms_ = end_ms;
    cancel_hook_ = nullptr;
    end = std::move(on_end);
  }
  if (outcome_.status != run_status::succeeded) cancel_flag.store(true);
  if (end) end();  // admission first: a waiter may spawn again at once
  promise_.set_value(outcome_);
  cv_.notify_all();
  return true;
}

}  // namespace causality::actors
