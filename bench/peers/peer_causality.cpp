// Causality peer: the workload built with the workflow builder (one C++
// node body per node, one edge per dependency) and run through the runtime
// facade: planning, placement, an actor per node, one message per edge.
#include <chrono>
#include <stdexcept>
#include <string>

#include "causality/runtime/runtime.hpp"
#include "peers.hpp"

namespace causality::bench {

std::vector<double> run_causality(const workload& w, int threads, int reps) {
  runtime_config cfg;
  cfg.scheduler_threads = static_cast<unsigned>(threads);
  runtime rt(cfg);
  std::vector<double> times;
  for (int r = 0; r < reps; ++r) {
    auto start = std::chrono::steady_clock::now();
    workflow wf(w.name);
    for (std::size_t k = 0; k < w.size(); ++k) {
      double work = w.work_us[k];
      wf.node("n" + std::to_string(k), [work](const value&, node_context&) -> value {
        busy_work(work);
        return value();
      });
    }
    for (std::size_t k = 0; k < w.size(); ++k)
      for (auto s : w.succs[k]) wf.edge("n" + std::to_string(k), "n" + std::to_string(s));
    spawn_options opts;
    opts.keep_outputs = false;
    auto h = rt.spawn(wf, {}, std::move(opts));
    if (!h) throw std::runtime_error(h.err().message());
    h->wait();
    if (h->status() != run_status::succeeded)
      throw std::runtime_error("causality run did not succeed: " + h->outcome().error);
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return times;
}

}  // namespace causality::bench
