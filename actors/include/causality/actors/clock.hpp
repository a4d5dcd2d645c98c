#pragma once
/// \file The one clock of the runtime: reads time and fires timers. Injected
/// so retries, timeouts and deadlines are testable without sleeping.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>

namespace causality::actors {

/// Time source plus one-shot timers. Callbacks run on a thread of the clock
/// (real) or inside advance() (manual); they must be short (send a message).
class clock {
 public:
  using duration = std::chrono::nanoseconds;
  /// Timer handle; 0 is never a valid id.
  using timer_id = std::uint64_t;
  virtual ~clock() = default;
  /// Time since the clock's epoch.
  virtual duration now() const = 0;
  /// Calls fn once after d has elapsed.
  virtual timer_id schedule_after(duration d, std::function<void()> fn) = 0;
  /// Cancels a pending timer (no effect when it already fired).
  virtual void cancel(timer_id id) = 0;
};

/// Shared base: a due-time-ordered table of timers.
class timer_table {
 protected:
  struct entry {
    clock::timer_id id;
    std::function<void()> fn;
  };
  std::multimap<clock::duration, entry> timers_;
  std::map<clock::timer_id, clock::duration> due_of_;
  clock::timer_id next_id_ = 1;
  clock::timer_id add(clock::duration due, std::function<void()> fn);
  void remove(clock::timer_id id);
};

/// std::chrono::steady_clock with one timer thread.
class real_clock final : public clock, private timer_table {
 public:
  real_clock();
  ~real_clock() override;
  duration now() const override;
  timer_id schedule_after(duration d, std::function<void()> fn) override;
  void cancel(timer_id id) override;

 private:
  void loop();
  std::chrono::steady_clock::time_point epoch_;
  std::mutex mx_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

/// A clock that moves only when told (tests): advance() fires due timers in
/// due order on the calling thread.
class manual_clock final : public clock, private timer_table {
 public:
  duration now() const override;
  timer_id schedule_after(duration d, std::function<void()> fn) override;
  void cancel(timer_id id) override;
  /// Moves time forward by d, firing every timer due on the way.
  void advance(duration d);
  /// Due time of the earliest pending timer, or duration::max() when none.
  duration next_due() const;
  /// Number of pending timers.
  std::size_t pending() const;
  /// Blocks until at least n timers are pending (tests wait on this, not sleep).
  void wait_pending(std::size_t n) const;

 private:
  mutable std::mutex mx_;
  mutable std::condition_variable cv_;
  duration now_{0};
};

}  // namespace causality::actors
