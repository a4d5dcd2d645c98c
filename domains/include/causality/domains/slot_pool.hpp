#pragma once
/// \file Slot accounting of one domain: at most `slots` nodes run at once.
/// Lock-free, so the balancer takes a free slot without a message; whoever
/// holds the queue (the domain actor, the domain server) waits on release.

#include <atomic>

namespace causality::domains {

/// A counting pool of `slots` execution slots plus a count of queued work.
class slot_pool {
 public:
  explicit slot_pool(int slots = 1) : slots_(slots < 1 ? 1 : slots) {}
  slot_pool(const slot_pool&) = delete;
  slot_pool& operator=(const slot_pool&) = delete;

  /// Takes a slot when one is free.
  bool try_acquire() {
    int r = running_.load();
    while (r < slots_)
      if (running_.compare_exchange_weak(r, r + 1)) return true;
    return false;
  }
  /// Gives a slot back; true when work is queued (the queue owner should drain).
  bool release() {
    running_.fetch_sub(1);
    // Pairs with a queue owner's queued++ then try_acquire: one side sees the other.
    return queued_.load() > 0;
  }
  /// Work waiting for a slot (kept by the queue owner).
  void add_queued(int n) { queued_.fetch_add(n); }
  void remove_queued(int n) { queued_.fetch_sub(n); }

  int slots() const { return slots_; }
  int running() const { return running_.load(); }
  int queued() const { return queued_.load(); }

 private:
  int slots_;
  std::atomic<int> running_{0};
  std::atomic<int> queued_{0};
};

}  // namespace causality::domains
