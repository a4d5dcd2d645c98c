// The base of every event-based actor of the engine. Under ThreadSanitizer it
// tells TSan about the hand-offs that Debian's uninstrumented libcaf_core
// makes through atomics TSan cannot see (its lock-free mailbox, scheduler
// queues and reference counts); in any other build it is exactly
// caf::event_based_actor, with no override on the message path.
//
// The edges, all on the actor's own address:
//  - spawn: the spawning thread releases in launch(), after the constructor
//    and the spawn arguments (init_fun_factory's tuple) are stored; the first
//    resume() acquires on the worker that runs it;
//  - messages: enqueue() releases on the sender's thread before CAF pushes the
//    element; consume() acquires before the handler reads it;
//  - moves between workers: initialize(), consume() and resume() release when
//    they end, resume() acquires when it starts (the worker that runs the
//    actor next);
//  - termination: cleanup() acquires before CAF drops the messages still
//    queued (sent after the last consume());
//  - destruction: on_destroy() acquires on the thread that drops the last
//    strong reference, before any destructor of the actor runs.
#pragma once

#include <caf/all.hpp>

#if defined(__SANITIZE_THREAD__)
#define CAUSALITY_TSAN 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CAUSALITY_TSAN 1
#endif
#endif

#ifdef CAUSALITY_TSAN
#include <sanitizer/tsan_interface.h>
#endif

namespace causality::actors {

#ifdef CAUSALITY_TSAN

class annotated_actor : public caf::event_based_actor {
public:
  using super = caf::event_based_actor;
  using super::super;

  void launch(caf::execution_unit* eu, bool lazy, bool hide) override {
    __tsan_release(this);
    super::launch(eu, lazy, hide);
  }

  void enqueue(caf::mailbox_element_ptr ptr, caf::execution_unit* eu) override {
    __tsan_release(this);
    super::enqueue(std::move(ptr), eu);
  }

  caf::resumable::resume_result resume(caf::execution_unit* eu, size_t max_throughput) override {
    __tsan_acquire(this);
    auto r = super::resume(eu, max_throughput);
    __tsan_release(this);  // what on_exit() destroyed, for the thread that frees the actor
    return r;
  }

  caf::invoke_message_result consume(caf::mailbox_element& x) override {
    __tsan_acquire(this);
    auto r = super::consume(x);
    __tsan_release(this);
    return r;
  }

  bool cleanup(caf::error&& reason, caf::execution_unit* eu) override {
    __tsan_acquire(this);  // the messages it drops arrived after the last consume()
    return super::cleanup(std::move(reason), eu);
  }

  void on_destroy() override {
    __tsan_acquire(this);
    super::on_destroy();
  }

protected:
  void initialize() override {
    __tsan_acquire(this);
    super::initialize();
    __tsan_release(this);
  }
};

using actor_base = annotated_actor;

#else

using actor_base = caf::event_based_actor;

#endif

/// A function-based actor with managed state on the engine's actor base.
template <class State>
using stateful = caf::stateful_actor<State, actor_base>;

}  // namespace causality::actors
