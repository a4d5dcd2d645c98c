#pragma once
// Shared test helpers: small platforms, a fixed plan (tests may build plans
// directly), and an event counter to wait on instead of sleeping.

#include <condition_variable>
#include <mutex>

#include "causality/runtime/runtime.hpp"

namespace test {

/// One domain named "d" with `slots` slots.
inline causality::model::platform one_domain(std::uint32_t slots) {
  causality::model::platform p;
  p.name = "one";
  causality::model::domain_spec d;
  d.name = "d";
  d.slots = slots;
  p.domains.push_back(d);
  return p;
}

/// Every node on domain 0 (a plan is data; the planner is tested elsewhere).
inline causality::strategies::plan plan_on_first(const causality::workflow& wf) {
  causality::strategies::plan p;
  p.workflow = wf.definition().name;
  for (std::size_t i = 0; i < wf.definition().nodes.size(); ++i) {
    causality::strategies::assignment a;
    a.node = i;
    p.assignments.push_back(a);
  }
  return p;
}

inline causality::spawn_options with_plan(const causality::workflow& wf, causality::spawn_options o = {}) {
  o.plan = plan_on_first(wf);
  return o;
}

/// Counts events; wait(n) blocks until n happened.
class counter {
 public:
  void hit() {
    // Notified under the lock: a waiter that returns may destroy the counter
    // at once, and must not do so while this thread is still in notify_all
    // (TSan: pthread_cond_destroy against pthread_cond_broadcast).
    std::lock_guard<std::mutex> g(mx_);
    ++n_;
    cv_.notify_all();
  }
  void wait(int n) {
    std::unique_lock<std::mutex> lk(mx_);
    cv_.wait(lk, [&] { return n_ >= n; });
  }
  int count() {
    std::lock_guard<std::mutex> g(mx_);
    return n_;
  }

 private:
  std::mutex mx_;
  std::condition_variable cv_;
  int n_ = 0;
};

/// A gate a node body waits on until the test opens it.
struct gate {
  std::promise<void> p;
  std::shared_future<void> f = p.get_future().share();
  void open() { p.set_value(); }
};

}  // namespace test
