// `causality validate FILE [--platform P] [--format text|json]`: loads and
// validates a workflow (and optionally checks it against a platform), then
// prints its summary figures; errors go to stderr as one line, exit 1.
#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "causality/model/graph.hpp"
#include "causality/model/io.hpp"
#include "causality/model/validate.hpp"
#include "causality/observe/log.hpp"
#include "command.hpp"

namespace {

struct validate_options {
  std::string file;
  std::string platform_file;
  std::string format = "text";
};

std::string fixed0(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f", v);
  return buf;
}

int run_validate(const validate_options& o) {
  using namespace causality::model;
  // The debug lines mark the states a signal may interrupt (tests wait for them).
  auto lg = causality::observe::logger("cli");
  lg->debug("reading workflow {}", o.file);
  auto def = load_workflow_file(o.file);
  if (!def) return causality::cli::fail(def.err().message());
  std::optional<platform> plat;
  if (!o.platform_file.empty()) {
    lg->debug("reading platform {}", o.platform_file);
    auto p = load_platform_file(o.platform_file);
    if (!p) return causality::cli::fail(p.err().message());
    lg->debug("validating {} against {}", o.file, o.platform_file);
    if (auto bad = validate_against_platform(*def, *p, o.file))
      return causality::cli::fail(bad->message());
    plat = std::move(*p);
  }
  auto s = summarize(*def);
  if (o.format == "json") {
    nlohmann::json j{{"file", o.file},
                     {"workflow", def->name},
                     {"valid", true},
                     {"nodes", s.nodes},
                     {"edges", s.edges},
                     {"depth", s.depth},
                     {"max_width", s.max_width},
                     {"total_work_ms", s.total_work_ms},
                     {"critical_path_ms", s.critical_path_ms},
                     {"total_bytes", s.total_bytes}};
    if (plat) j["platform"] = plat->name;
    std::cout << j.dump(2) << "\n";
    return 0;
  }
  std::cout << "workflow:      " << causality::observe::printable(def->name) << " ("
            << causality::observe::printable(o.file) << ")\n"
            << "nodes:         " << s.nodes << "\n"
            << "edges:         " << s.edges << "\n"
            << "depth:         " << s.depth << "\n"
            << "max width:     " << s.max_width << "\n"
            << "total work:    " << fixed0(s.total_work_ms) << " ms\n"
            << "critical path: " << fixed0(s.critical_path_ms) << " ms\n"
            << "total bytes:   " << s.total_bytes << "\n";
  if (plat)
    std::cout << "platform:      " << causality::observe::printable(plat->name) << " (" << plat->domains.size()
              << " domains): every node can be hosted\n";
  return 0;
}

causality::cli::register_command reg{"validate", [](CLI::App& app) {
  auto o = std::make_shared<validate_options>();
  auto* sub = app.add_subcommand("validate", "check a workflow (and platform) and summarise it");
  sub->add_option("file", o->file, "workflow: project JSON form or WfCommons instance")
      ->required();
  sub->add_option("--platform", o->platform_file, "platform file to check placement against");
  sub->add_option("--format", o->format, "output format")
      ->check(CLI::IsMember({"text", "json"}));
  return std::function<int()>([o] { return run_validate(*o); });
}};

}  // namespace
