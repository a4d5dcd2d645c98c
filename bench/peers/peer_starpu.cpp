// StarPU peer: one task per node with explicit task dependencies, scheduled
// by dmda. No performance model is attached, so nothing is calibrated; the
// driver sets STARPU_NCPU and STARPU_SCHED unless the caller already did.
#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include <starpu.h>

#include "peers.hpp"

namespace causality::bench {

namespace {

void node_body(void* /*buffers*/[], void* arg) { busy_work(*static_cast<const double*>(arg)); }

}  // namespace

std::vector<double> run_starpu(const workload& w, int threads, int reps) {
  const std::string ncpu = std::to_string(threads);
  setenv("STARPU_NCPU", ncpu.c_str(), 0);
  setenv("STARPU_SCHED", "dmda", 0);
  setenv("STARPU_CALIBRATE", "0", 0);
  setenv("STARPU_NCUDA", "0", 0);
  setenv("STARPU_NOPENCL", "0", 0);
  setenv("STARPU_SILENT", "1", 0);
  if (starpu_init(nullptr) != 0) throw std::runtime_error("starpu_init failed");
  starpu_codelet cl;
  starpu_codelet_init(&cl);
  cl.cpu_funcs[0] = node_body;
  cl.nbuffers = 0;
  cl.name = "node";
  std::vector<double> times;
  std::vector<double> work = w.work_us;  // stable addresses for cl_arg
  for (int r = 0; r < reps; ++r) {
    auto start = std::chrono::steady_clock::now();
    std::vector<starpu_task*> tasks(w.size());
    for (std::size_t k = 0; k < w.size(); ++k) {
      tasks[k] = starpu_task_create();
      tasks[k]->cl = &cl;
      tasks[k]->cl_arg = &work[k];
      tasks[k]->destroy = 0;  // freed below, after every dependency was resolved
    }
    std::vector<starpu_task*> deps;
    for (std::size_t k = 0; k < w.size(); ++k) {
      if (w.preds[k].empty()) continue;
      deps.clear();
      for (auto p : w.preds[k]) deps.push_back(tasks[p]);
      starpu_task_declare_deps_array(tasks[k], static_cast<unsigned>(deps.size()), deps.data());
    }
    for (auto* t : tasks)
      if (starpu_task_submit(t) != 0) throw std::runtime_error("starpu_task_submit failed");
    starpu_task_wait_for_all();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    for (auto* t : tasks) starpu_task_destroy(t);
  }
  starpu_shutdown();
  return times;
}

}  // namespace causality::bench
