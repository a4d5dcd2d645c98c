#include "cli_logging.hpp"

#include <CLI/CLI.hpp>

#include "causality/observe/log.hpp"

namespace causality::cli {

void add_log_flags(CLI::App& app, log_flags& f) {
  app.add_option("--log-level", f.level,
                 "trace, debug, info, warn, error, critical or off (default warn; "
                 "else CAUSALITY_LOG_LEVEL)")
      ->check([](const std::string& s) -> std::string {
        auto l = observe::parse_log_level(s, "--log-level");
        return l ? std::string() : l.err().reason;
      });
  app.add_flag("--quiet,-q", f.quiet, "no progress output; log only errors (unless --log-level)");
}

model::status apply_log_flags(const log_flags& f) {
  observe::log_config cfg;
  if (!f.level.empty()) {
    cfg.level = f.level;
    cfg.source = "--log-level";
  } else if (f.quiet) {
    cfg.level = "error";
    cfg.source = "--quiet";
  }
  return observe::configure_logging(cfg);
}

}  // namespace causality::cli
