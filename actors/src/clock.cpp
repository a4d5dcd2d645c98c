#include "causality/actors/clock.hpp"

#include <vector>

namespace causality::actors {

clock::timer_id timer_table::add(clock::duration due, std::function<void()> fn) {
  auto id = next_id_++;
  timers_.emplace(due, entry{id, std::move(fn)});
  due_of_[id] = due;
  return id;
}

void timer_table::remove(clock::timer_id id) {
  auto it = due_of_.find(id);
  if (it == due_of_.end()) return;
  auto [lo, hi] = timers_.equal_range(it->second);
  for (auto t = lo; t != hi; ++t)
    if (t->second.id == id) {
      timers_.erase(t);
      break;
    }
  due_of_.erase(it);
}

real_clock::real_clock() : epoch_(std::chrono::steady_clock::now()), thread_([this] { loop(); }) {}

real_clock::~real_clock() {
  {
    std::lock_guard<std::mutex> g(mx_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

clock::duration real_clock::now() const {
  return std::chrono::duration_cast<duration>(std::chrono::steady_clock::now() - epoch_);
}

clock::timer_id real_clock::schedule_after(duration d, std::function<void()> fn) {
  std::lock_guard<std::mutex> g(mx_);
  auto id = add(now() + d, std::move(fn));
  cv_.notify_all();
  return id;
}

void real_clock::cancel(timer_id id) {
  std::lock_guard<std::mutex> g(mx_);
  remove(id);
}

void real_clock::loop() {
  std::unique_lock<std::mutex> lk(mx_);
  while (!stop_) {
    if (timers_.empty()) {
      cv_.wait(lk);
      continue;
    }
    auto due = timers_.begin()->first;
    if (now() < due) {
      cv_.wait_until(lk, epoch_ + due);
      continue;
    }
    auto fn = std::move(timers_.begin()->second.fn);
    due_of_.erase(timers_.begin()->second.id);
    timers_.erase(timers_.begin());
    lk.unlock();
    fn();
    lk.lock();
  }
}

clock::duration manual_clock::now() const {
  std::lock_guard<std::mutex> g(mx_);
  return now_;
}

clock::timer_id manual_clock::schedule_after(duration d, std::function<void()> fn) {
  std::lock_guard<std::mutex> g(mx_);
  auto id = add(now_ + d, std::move(fn));
  cv_.notify_all();
  return id;
}

void manual_clock::wait_pending(std::size_t n) const {
  std::unique_lock<std::mutex> lk(mx_);
  cv_.wait(lk, [&] { return timers_.size() >= n; });
}

void manual_clock::cancel(timer_id id) {
  std::lock_guard<std::mutex> g(mx_);
  remove(id);
}

void manual_clock::advance(duration d) {
  std::unique_lock<std::mutex> lk(mx_);
  auto target = now_ + d;
  while (!timers_.empty() && timers_.begin()->first <= target) {
    now_ = timers_.begin()->first;
    auto fn = std::move(timers_.begin()->second.fn);
    due_of_.erase(timers_.begin()->second.id);
    timers_.erase(timers_.begin());
    lk.unlock();
    fn();  // outside the lock: a callback may schedule again
    lk.lock();
  }
  now_ = target;
}

clock::duration manual_clock::next_due() const {
  std::lock_guard<std::mutex> g(mx_);
  return timers_.empty() ? duration::max() : timers_.begin()->first;
}

std::size_t manual_clock::pending() const {
  std::lock_guard<std::mutex> g(mx_);
  return timers_.size();
}

}  // namespace causality::actors
