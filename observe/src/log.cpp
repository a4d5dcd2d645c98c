#include "causality/observe/log.hpp"

#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include <spdlog/sinks/stdout_color_sinks.h>

namespace causality::observe {
namespace {

// One registry of our own (not spdlog's global one) so creation is race-free
// and a sink or level change reaches every subsystem logger.
struct log_state {
  std::mutex mutex;
  spdlog::sink_ptr sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  // An embedding application sees warnings and errors only, until it (or the
  // CLI's --log-level / CAUSALITY_LOG_LEVEL) configures more.
  spdlog::level::level_enum level = spdlog::level::warn;
  std::unordered_map<std::string, std::shared_ptr<spdlog::logger>> loggers;
};

log_state& state() {
  static log_state s;
  return s;
}

}  // namespace

model::expected<spdlog::level::level_enum> parse_log_level(const std::string& text,
                                                           const std::string& source) {
  // spdlog::level::from_string maps unknown names to "off": check ourselves.
  static const std::pair<const char*, spdlog::level::level_enum> names[] = {
      {"trace", spdlog::level::trace}, {"debug", spdlog::level::debug},
      {"info", spdlog::level::info},   {"warn", spdlog::level::warn},
      {"warning", spdlog::level::warn}, {"error", spdlog::level::err},
      {"critical", spdlog::level::critical}, {"off", spdlog::level::off}};
  for (const auto& [name, level] : names)
    if (text == name) return level;
  return model::error{"", source,
                      "unknown log level '" + text +
                          "' (expected trace, debug, info, warn, error, critical or off)"};
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  auto it = s.loggers.find(name);
  if (it != s.loggers.end()) return it->second;
  auto lg = std::make_shared<spdlog::logger>(name, s.sink);
  lg->set_level(s.level);
  s.loggers.emplace(name, lg);
  return lg;
}

void set_log_level(spdlog::level::level_enum level) {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.level = level;
  for (auto& [name, lg] : s.loggers) lg->set_level(level);
}

spdlog::level::level_enum log_level() {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.level;
}

model::status configure_logging(const log_config& cfg) {
  std::string text = "warn", source = "default";
  if (cfg.level) {
    text = *cfg.level;
    source = cfg.source;
  } else if (const char* env = std::getenv(log_level_env); env && *env) {
    text = env;
    source = log_level_env;
  }
  auto level = parse_log_level(text, source);
  if (!level) return level.err();
  set_log_level(*level);
  return std::nullopt;
}

void set_log_sink(spdlog::sink_ptr sink) {
  auto& s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.sink = sink;
  // Replacing the sink vector is not atomic with respect to logging from
  // other threads; callers switch sinks at start-up or in tests.
  for (auto& [name, lg] : s.loggers) lg->sinks() = {sink};
}

}  // namespace causality::observe
