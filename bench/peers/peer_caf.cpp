// Raw CAF peer: what an actor runtime costs with nothing on top (no
// planning, no placement): spawn one actor per node, send one message along
// every edge, each actor runs its body once all its inputs arrived.
#include <atomic>
#include <chrono>
#include <future>

#include <caf/all.hpp>

#include "peers.hpp"

namespace causality::bench {

std::vector<double> run_caf(const workload& w, int threads, int reps) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", threads);
  caf::actor_system sys{cfg};
  std::vector<double> times;
  for (int r = 0; r < reps; ++r) {
    std::atomic<std::size_t> left{w.size()};
    std::promise<void> done;
    auto start = std::chrono::steady_clock::now();
    std::vector<caf::actor> actors(w.size());
    // Spawned sinks first so every actor knows its successors' handles.
    for (std::size_t k = w.size(); k-- > 0;) {
      std::vector<caf::actor> next;
      next.reserve(w.succs[k].size());
      for (auto s : w.succs[k]) next.push_back(actors[s]);
      // Sources wait for one kick message instead of inputs.
      std::size_t inputs = w.preds[k].empty() ? 1 : w.preds[k].size();
      double work = w.work_us[k];
      actors[k] = sys.spawn([inputs, work, next = std::move(next), &left,
                             &done](caf::event_based_actor* self) mutable -> caf::behavior {
        return {[=, &left, &done](int) mutable {
          if (--inputs > 0) return;
          busy_work(work);
          for (auto& a : next) self->send(a, 1);
          next.clear();
          if (left.fetch_sub(1) == 1) done.set_value();
          self->quit();
        }};
      });
    }
    for (std::size_t k = 0; k < w.size(); ++k)
      if (w.preds[k].empty()) caf::anon_send(actors[k], 1);
    actors.clear();
    done.get_future().wait();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return times;
}

}  // namespace causality::bench
