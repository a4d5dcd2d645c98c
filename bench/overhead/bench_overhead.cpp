// Per-node overhead of the actor runtime, from spawn to result, on no-op
// nodes: a chain, a fan-out/fan-in and a random DAG, next to a raw CAF
// chain (one actor spawned per node, one message per hop) in the same run.
// Usage: bench_overhead [--json] [--reps N] [--scale F] [--threads N] [--planner]
//                       [--workloads chain,fan,random] [--no-raw]
//   --planner    plan every spawn with make_plan (default: a fixed plan given
//                at spawn, so the figures are the runtime's own overhead)
//   --workloads  which workloads to run (default all three)
//   --no-raw     skip the raw CAF chain (for profiling one workload alone)
#include <malloc.h>

#include <cstdlib>
#include <new>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <future>
#include <random>
#include <string>
#include <thread>

#include <caf/all.hpp>

#include "causality/runtime/runtime.hpp"

// Every allocation of the process is counted so memory per node is exact.
namespace heap {
std::atomic<std::int64_t> live{0};
std::atomic<std::int64_t> peak{0};
std::atomic<bool> tracking{false};
std::atomic<std::int64_t> allocs{0};  ///< operator new calls (all threads)
inline void note(std::int64_t delta) {
  auto now = live.fetch_add(delta, std::memory_order_relaxed) + delta;
  if (tracking.load(std::memory_order_relaxed)) {
    auto p = peak.load(std::memory_order_relaxed);
    while (now > p && !peak.compare_exchange_weak(p, now, std::memory_order_relaxed)) {}
  }
}
}  // namespace heap

void* operator new(std::size_t n) {
  void* p = std::malloc(n ? n : 1);
  if (!p) throw std::bad_alloc();
  heap::allocs.fetch_add(1, std::memory_order_relaxed);
  heap::note(static_cast<std::int64_t>(malloc_usable_size(p)));
  return p;
}
void operator delete(void* p) noexcept {
  if (!p) return;
  heap::note(-static_cast<std::int64_t>(malloc_usable_size(p)));
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept { operator delete(p); }
void* operator new(std::size_t n, std::align_val_t a) {
  auto al = static_cast<std::size_t>(a);
  void* p = std::aligned_alloc(al, ((n ? n : 1) + al - 1) / al * al);
  if (!p) throw std::bad_alloc();
  heap::allocs.fetch_add(1, std::memory_order_relaxed);
  heap::note(static_cast<std::int64_t>(malloc_usable_size(p)));
  return p;
}
void operator delete(void* p, std::align_val_t) noexcept { operator delete(p); }
void operator delete(void* p, std::size_t, std::align_val_t) noexcept { operator delete(p); }

namespace {

using wall = std::chrono::steady_clock;
using causality::model::dataflow_definition;

dataflow_definition make_def(const std::string& name, std::size_t n) {
  dataflow_definition d;
  d.definition_id = d.name = name;
  d.nodes.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    d.nodes[i].node_id = "n" + std::to_string(i);
    d.nodes[i].node_type = "noop";
  }
  return d;
}

void add_edge(dataflow_definition& d, std::size_t a, std::size_t b) {
  causality::model::dataflow_edge e;
  e.edge_id = "e" + std::to_string(d.edges.size());
  e.source_node = d.nodes[a].node_id;
  e.target_node = d.nodes[b].node_id;
  d.edges.push_back(std::move(e));
}

dataflow_definition chain(std::size_t n) {
  auto d = make_def("chain", n);
  for (std::size_t i = 1; i < n; ++i) add_edge(d, i - 1, i);
  return d;
}

dataflow_definition fan(std::size_t width) {
  auto d = make_def("fanout-fanin", width + 2);
  for (std::size_t i = 1; i <= width; ++i) {
    add_edge(d, 0, i);
    add_edge(d, i, width + 1);
  }
  return d;
}

dataflow_definition random_dag(std::size_t n, std::uint64_t seed) {
  auto d = make_def("random-dag", n);
  std::mt19937_64 rng(seed);
  for (std::size_t v = 1; v < n; ++v) {
    std::size_t k = 1 + rng() % 3;
    std::vector<std::size_t> ps;
    for (std::size_t j = 0; j < k; ++j) {
      // Mostly recent predecessors: a DAG with depth, not a star.
      auto back = 1 + rng() % std::min<std::size_t>(v, 64);
      auto u = v - back;
      if (std::find(ps.begin(), ps.end(), u) == ps.end()) ps.push_back(u);
    }
    for (auto u : ps) add_edge(d, u, v);
  }
  return d;
}

/// Peak growth of live heap bytes (operator new/delete, counted below)
/// while `f` runs: exact, not sampled. `allocs` gets the number of
/// operator new calls made meanwhile (every thread).
template <class F>
std::size_t peak_heap_growth(F&& f, std::int64_t& allocs);

// ------------------------------------------------------------ raw CAF chain

caf::behavior raw_sink(caf::event_based_actor* self, std::promise<void>* done) {
  return {[=](int) {
    done->set_value();
    self->quit();
  }};
}

caf::behavior raw_hop(caf::event_based_actor* self, caf::actor next) {
  return {[=](int v) {
    self->send(next, v + 1);
    self->quit();
  }};
}

/// µs per node of a chain of n actors: spawn them all, then one message per hop.
double raw_caf_chain_us(std::size_t n, unsigned threads) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", static_cast<size_t>(threads));
  caf::actor_system sys{cfg};
  std::promise<void> done;
  auto f = done.get_future();
  auto t0 = wall::now();
  caf::actor next = sys.spawn(raw_sink, &done);
  for (std::size_t i = 1; i < n; ++i) next = sys.spawn(raw_hop, next);
  caf::anon_send(next, 0);
  next = caf::actor{};
  f.wait();
  auto t1 = wall::now();
  return std::chrono::duration<double, std::micro>(t1 - t0).count() / static_cast<double>(n);
}

// ----------------------------------------------------------------- workloads

struct figures {
  std::string workload;
  std::size_t nodes = 0;
  double us_per_node = 0;
  double raw_us = 0;
  double bytes_per_node = 0;
  double allocs_per_node = 0;
  bool ok = true;
};

template <class F>
std::size_t peak_heap_growth(F&& f, std::int64_t& allocs) {
  // The previous run's actors are torn down asynchronously after its result:
  // let that finish so its frees do not offset this run's growth.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto base = heap::live.load();
  heap::peak.store(base);
  auto a0 = heap::allocs.load();
  heap::tracking.store(true);
  f();
  heap::tracking.store(false);
  allocs = heap::allocs.load() - a0;
  auto p = heap::peak.load();
  return p > base ? static_cast<std::size_t>(p - base) : 0;
}

figures measure(causality::runtime& rt, const dataflow_definition& def, int reps, bool planner, double raw_us) {
  figures out;
  out.workload = def.name;
  out.nodes = def.nodes.size();
  out.raw_us = raw_us;
  auto wf = causality::workflow::from_definition(def);
  causality::spawn_options base;
  if (!planner) {
    causality::strategies::plan p;
    p.assignments.resize(def.nodes.size());
    for (std::size_t i = 0; i < p.assignments.size(); ++i) p.assignments[i].node = i;
    base.plan = std::move(p);
  }
  auto once = [&] {
    auto o = base;
    auto r = rt.spawn(wf, {}, std::move(o));
    if (!r) {
      std::fprintf(stderr, "bench_overhead: %s\n", r.err().message().c_str());
      std::exit(1);
    }
    if (r->outcome().status != causality::run_status::succeeded) {
      std::fprintf(stderr, "bench_overhead: %s: %s\n", def.name.c_str(), r->outcome().error.c_str());
      out.ok = false;
    }
  };
  once();  // compiles the workflow (cached) and warms the runtime up
  std::vector<double> times;
  for (int i = 0; i < reps; ++i) {
    auto t0 = wall::now();
    once();
    times.push_back(std::chrono::duration<double, std::micro>(wall::now() - t0).count());
  }
  std::sort(times.begin(), times.end());
  out.us_per_node = times[times.size() / 2] / static_cast<double>(out.nodes);  // median
  std::int64_t allocs = 0;
  out.bytes_per_node = static_cast<double>(peak_heap_growth(once, allocs)) / static_cast<double>(out.nodes);
  out.allocs_per_node = static_cast<double>(allocs) / static_cast<double>(out.nodes);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  bool json = false, planner = false, raw_chain = true;
  std::string workloads = "chain,fan,random";
  causality::runtime_config cfg;
  int reps = 5;
  double scale = 1.0;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--json")) json = true;
    else if (!std::strcmp(argv[i], "--planner")) planner = true;
    else if (!std::strcmp(argv[i], "--no-raw")) raw_chain = false;
    else if (!std::strcmp(argv[i], "--workloads") && i + 1 < argc) workloads = argv[++i];
    else if (!std::strcmp(argv[i], "--reps") && i + 1 < argc) reps = std::max(1, std::atoi(argv[++i]));
    else if (!std::strcmp(argv[i], "--scale") && i + 1 < argc) scale = std::atof(argv[++i]);
    else if (!std::strcmp(argv[i], "--threads") && i + 1 < argc) cfg.scheduler_threads = static_cast<unsigned>(std::atoi(argv[++i]));
    else {
      std::fprintf(stderr,
                   "usage: bench_overhead [--json] [--reps N] [--scale F] [--threads N] [--planner] "
                   "[--workloads chain,fan,random] [--no-raw]\n");
      return 2;
    }
  }
  auto sz = [&](std::size_t n) { return std::max<std::size_t>(10, static_cast<std::size_t>(n * scale)); };
  causality::runtime rt(cfg);
  unsigned threads = rt.config().scheduler_threads;
  if (!threads) threads = causality::actors::default_scheduler_threads(rt.platform());
  std::vector<figures> all;
  auto wanted = [&](const char* w) { return ("," + workloads + ",").find(std::string(",") + w + ",") != std::string::npos; };
  double raw = raw_chain ? raw_caf_chain_us(sz(100000), threads) : 0.0;
  if (wanted("chain")) all.push_back(measure(rt, chain(sz(100000)), reps, planner, raw));
  if (wanted("fan")) all.push_back(measure(rt, fan(sz(100000)), reps, planner, raw));
  if (wanted("random")) all.push_back(measure(rt, random_dag(sz(10000), 42), reps, planner, raw));
  if (!json) {
    std::printf("%-14s %8s %12s %10s %10s %8s %10s %11s\n", "workload", "nodes", "nodes/s", "us/node", "raw_caf",
                "ratio", "bytes/node", "allocs/node");
    for (auto& f : all)
      std::printf("%-14s %8zu %12.0f %10.3f %10.3f %8.2f %10.0f %11.1f\n", f.workload.c_str(), f.nodes,
                  1e6 / f.us_per_node, f.us_per_node, f.raw_us, f.us_per_node / f.raw_us, f.bytes_per_node,
                  f.allocs_per_node);
    std::printf("targets: chain >= 300000 nodes/s, <= 2x raw CAF us/node, <= 1024 bytes/node%s\n",
                planner ? " (planning included)" : " (fixed plan; --planner includes make_plan)");
  } else {
    for (auto& f : all)
      std::printf("{\"workload\":\"%s\",\"nodes\":%zu,\"nodes_per_s\":%.0f,\"us_per_node\":%.4f,"
                  "\"raw_caf_us_per_node\":%.4f,\"bytes_per_node\":%.1f,\"allocs_per_node\":%.2f,\"planner\":%s}\n",
                  f.workload.c_str(), f.nodes, 1e6 / f.us_per_node, f.us_per_node, f.raw_us, f.bytes_per_node,
                  f.allocs_per_node, planner ? "true" : "false");
  }
  for (auto& f : all)
    if (!f.ok) return 1;
  return 0;
}
