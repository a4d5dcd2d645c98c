// Observe-layer outputs shared by `causality plan` and `causality run`.
#include "observe_out.hpp"

#include <cstdio>

#include "causality/observe/metrics.hpp"
#include "causality/observe/metrics_server.hpp"
#include "causality/observe/runtime_metrics.hpp"
#include "command.hpp"

namespace causality::cli {

int write_plan_files(const model::dataflow_definition& def, const model::platform& plat,
                     const strategies::plan& p, const std::string& dot_path,
                     const std::string& gantt_path,
                     std::vector<std::optional<observe::node_span>> actual) {
  if (!dot_path.empty() || !gantt_path.empty())
    if (auto bad = observe::check_plan_shape(def, plat, p)) return fail(bad->message());
  if (!dot_path.empty())
    if (auto bad = observe::write_text_file(dot_path, observe::to_dot(def, plat, p))) {
      if (bad->path.empty()) bad->path = "--dot";
      return fail(bad->message());
    }
  if (!gantt_path.empty()) {
    observe::gantt_options opts;
    opts.actual = std::move(actual);
    if (auto bad = observe::write_gantt_svg(gantt_path, def, plat, p, opts)) {
      if (bad->path.empty()) bad->path = "--gantt";
      return fail(bad->message());
    }
  }
  return 0;
}

cli_metrics::cli_metrics()
    : registry_(std::make_unique<observe::metric_registry>()),
      series_(std::make_unique<observe::runtime_metrics>(*registry_)) {}

cli_metrics::~cli_metrics() = default;

observe::runtime_metrics* cli_metrics::series() { return series_.get(); }

int cli_metrics::serve(std::uint16_t port) {
  server_ = std::make_unique<observe::metrics_server>(*registry_);
  auto bound = server_->start(port);
  if (!bound) return fail(bound.err().message());
  std::fprintf(stderr, "metrics: http://127.0.0.1:%u/metrics\n", static_cast<unsigned>(*bound));
  std::fflush(stderr);
  return 0;
}

int cli_metrics::write_snapshot(const std::string& path) const {
  if (auto bad = observe::write_text_file(path, registry_->render_prometheus())) {
    if (bad->path.empty()) bad->path = "--metrics-out";
    return fail(bad->message());
  }
  return 0;
}

}  // namespace causality::cli
