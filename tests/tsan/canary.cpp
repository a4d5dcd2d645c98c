// The TSan stage's canary: two project threads write one int with no
// synchronisation; an actor of the engine's annotated base writes a second
// int that main() also writes after sending to it, with nothing ordering the
// two; two such actors, in two actor systems, each write a third int. Under the stage's TSAN_OPTIONS all three must be reported
// (tests/tsan/CMakeLists.txt expects the report): the suppressions,
// ignore_noninstrumented_modules and the annotations may hide CAF's own
// accesses, never a race between project code.
#include "../../actors/src/annotated_actor.hpp"

#include <caf/all.hpp>

#include <cstdio>
#include <thread>

namespace {

int plain_counter = 0;
int actor_counter = 0;
int pair_counter = 0;

void bump() {
  for (int i = 0; i < 1000; ++i) ++plain_counter;
}

struct writer_state {};

caf::behavior writer(causality::actors::stateful<writer_state>* self) {
  return {[self](int n) {
    actor_counter += n;
    self->quit();
  }};
}

// Two actors that each write pair_counter once, in two actor systems so that
// they surely run on two threads: nothing orders one handler before the other.
caf::behavior pair_writer(causality::actors::stateful<writer_state>* self) {
  return {[self](int n) {
    pair_counter += n;
    self->quit();
  }};
}

}  // namespace

int main() {
  std::thread a(bump), b(bump);
  a.join();
  b.join();
  caf::actor_system_config cfg;
  caf::actor_system sys{cfg};
  auto w = sys.spawn(writer);
  caf::anon_send(w, 1);
  actor_counter += 1;  // races with the actor's write: nothing orders them
  caf::actor_system_config cfg2;
  caf::actor_system sys2{cfg2};
  auto p1 = sys.spawn(pair_writer);
  auto p2 = sys2.spawn(pair_writer);
  caf::anon_send(p1, 1);
  caf::anon_send(p2, 2);
  sys.await_all_actors_done();
  sys2.await_all_actors_done();
  std::printf("plain %d, actor %d, pair %d\n", plain_counter, actor_counter, pair_counter);
  return 0;
}
