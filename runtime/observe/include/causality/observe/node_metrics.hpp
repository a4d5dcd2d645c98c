#pragma once
/// \file Turns node lifecycle events (queued, started, finished, failed) into
/// the standard runtime metrics: per-domain queue depth, utilisation
/// (running / slots), started/finished/failed counters, latency and cost.
/// Independent of the actor layer: its observer forwards each event here.

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "causality/model/types.hpp"
#include "causality/observe/runtime_metrics.hpp"

namespace causality::observe {

/// Event sink for one platform. Thread-safe (one short lock per event: events
/// are per node execution, not per message).
class node_metrics {
 public:
  /// `metrics` must outlive this; domains are taken from `plat` by index.
  node_metrics(runtime_metrics& metrics, const model::platform& plat);

  /// Node `node` of run `run` waits for a slot of `domain` (-1: not chosen yet).
  void queued(std::uint64_t run, std::uint32_t node, int domain);
  /// It started on `domain` at `time_ms` (any clock, the same for all events).
  void started(std::uint64_t run, std::uint32_t node, int domain, double time_ms);
  /// It finished successfully at `time_ms`; `cost` is its effect cost
  /// (strategies::node_cost on the domain it ran on).
  void finished(std::uint64_t run, std::uint32_t node, double time_ms, double cost);
  /// It failed (at any point: waiting or running).
  void failed(std::uint64_t run, std::uint32_t node);

 private:
  enum class phase { queued, running };
  struct entry {
    phase state = phase::queued;
    int domain = -1;
    double start_ms = 0;
  };
  void leave(const entry& e);  // undoes the gauges of the state being left
  void publish(int domain);    // queue depth and utilisation of one domain

  std::mutex mutex_;
  std::vector<domain_metrics*> domains_;
  std::vector<std::uint32_t> slots_;
  std::vector<std::int64_t> queued_, running_;
  std::map<std::pair<std::uint64_t, std::uint32_t>, entry> live_;
};

}  // namespace causality::observe
