#include "causality/observe/log.hpp"

#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/dist_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>

#include "draw_util.hpp"  // is_control, control_escape

namespace causality::observe {
namespace {

// Every line the default sink writes has its message passed through
// printable(): an id with a newline or an ANSI escape cannot forge a log line.
class escaping_formatter final : public spdlog::formatter {
 public:
  explicit escaping_formatter(std::unique_ptr<spdlog::formatter> inner) : inner_(std::move(inner)) {}
  void format(const spdlog::details::log_msg& msg, spdlog::memory_buf_t& dest) override {
    std::string_view payload(msg.payload.data(), msg.payload.size());
    if (!needs_escaping(payload)) return inner_->format(msg, dest);
    const std::string clean = printable(payload);
    spdlog::details::log_msg copy = msg;
    copy.payload = spdlog::string_view_t(clean.data(), clean.size());
    inner_->format(copy, dest);
    msg.color_range_start = copy.color_range_start;  // the colour sink reads them from msg
    msg.color_range_end = copy.color_range_end;
  }
  std::unique_ptr<spdlog::formatter> clone() const override {
    return std::make_unique<escaping_formatter>(inner_->clone());
  }

 private:
  std::unique_ptr<spdlog::formatter> inner_;
};

spdlog::sink_ptr default_sink() {
  auto sink = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  sink->set_formatter(std::make_unique<escaping_formatter>(std::make_unique<spdlog::pattern_formatter>()));
  return sink;
}

// One registry of our own (not spdlog's global one) so creation is race-free
// and a sink or level change reaches every subsystem logger.
// Every logger writes to the one `current` sink, which forwards to the sink
// set last: set_log_sink swaps it under that sink's own lock, so a logger on
// another thread never reads a sink vector being replaced (TSan, issue 22).
struct log_state {
  std::mutex mutex;
  std::shared_ptr<spdlog::sinks::dist_sink_mt> current =
      std::make_shared<spdlog::sinks::dist_sink_mt>(std::vector<spdlog::sink_ptr>{default_sink()});
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

bool needs_escaping(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (detail::is_control(text[i])) return true;
    if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
        static_cast<unsigned char>(text[i + 1]) <= 0x9f)
      return true;
  }
  return false;
}

std::string printable(std::string_view text) {
  static const char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (detail::is_control(text[i])) {
      out += detail::control_escape(text[i]);
    } else if (c == 0xc2 && i + 1 < text.size() && static_cast<unsigned char>(text[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(text[i + 1]) <= 0x9f) {
      auto d = static_cast<unsigned char>(text[++i]);
      out += "\\u00";
      out += hex[d >> 4];
      out += hex[d & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

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
  auto lg = std::make_shared<spdlog::logger>(name, s.current);
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
  s.current->set_sinks({std::move(sink)});
}

}  // namespace causality::observe
