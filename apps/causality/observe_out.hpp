#pragma once
/// \file Files and endpoints of the observe layer for the `plan` and `run`
/// subcommands: --dot, --gantt, --metrics-port, --metrics-out. One place so
/// both commands write them the same way (docs/observability.md).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "causality/model/types.hpp"
#include "causality/observe/gantt.hpp"
#include "causality/strategies/planner.hpp"

namespace causality::observe {
class metric_registry;
class runtime_metrics;
class metrics_server;
}  // namespace causality::observe

namespace causality::cli {

/// Writes the DOT graph (with the plan's domains) to `dot_path` and the Gantt
/// chart to `gantt_path`; an empty path is skipped. `actual` as in
/// observe::gantt_options. Returns 0, or 1 after one error line on stderr.
int write_plan_files(const model::dataflow_definition& def, const model::platform& plat,
                     const strategies::plan& p, const std::string& dot_path,
                     const std::string& gantt_path,
                     std::vector<std::optional<observe::node_span>> actual = {});

/// The runtime's metrics for one CLI run: a registry, the standard series,
/// and optionally the /metrics endpoint.
class cli_metrics {
 public:
  cli_metrics();
  ~cli_metrics();
  /// The series the runtime feeds (runtime_config::metrics).
  observe::runtime_metrics* series();
  /// Serves /metrics on 127.0.0.1:port (0: a free port) and prints the URL
  /// on stderr. Returns 0, or 1 after one error line.
  int serve(std::uint16_t port);
  /// Writes the Prometheus text snapshot to `path`. Returns 0 or 1 (error line).
  int write_snapshot(const std::string& path) const;

 private:
  std::unique_ptr<observe::metric_registry> registry_;
  std::unique_ptr<observe::runtime_metrics> series_;
  std::unique_ptr<observe::metrics_server> server_;
};

}  // namespace causality::cli
