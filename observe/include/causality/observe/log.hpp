#pragma once
/// \file Named spdlog loggers per subsystem with one shared sink. Until
/// configured the library logs warnings and errors only (an embedding
/// application gets no info lines it did not ask for); configure_logging()
/// takes the level from its argument, else CAUSALITY_LOG_LEVEL, else "warn".
/// Statements below the compiled level (SPDLOG_ACTIVE_LEVEL, set by the CMake
/// cache variable CAUSALITY_LOG_COMPILED_LEVEL) cost nothing on hot paths:
/// use the CAUSALITY_LOG_* macros there.

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

#include "causality/model/error.hpp"

namespace causality::observe {

/// The subsystems with a logger of their own.
inline constexpr const char* subsystems[] = {"planner", "domain",  "monitor",
                                             "runtime", "cluster", "cli"};

/// Environment variable holding the run-time level (trace..off).
inline constexpr const char* log_level_env = "CAUSALITY_LOG_LEVEL";

/// Parses "trace", "debug", "info", "warn" ("warning"), "error", "critical"
/// or "off"; anything else is an error naming `source` (file, flag or env var).
model::expected<spdlog::level::level_enum> parse_log_level(const std::string& text,
                                                           const std::string& source);

/// The logger of that subsystem, created on first use with the shared sink
/// and the current level. Thread-safe; callers on hot paths keep the pointer.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

/// Logging settings (from a config file or CLI flags).
struct log_config {
  std::optional<std::string> level;  ///< wins over CAUSALITY_LOG_LEVEL when set
  std::string source = "config";     ///< named in the error for a bad level
};

/// Applies the level (config, else CAUSALITY_LOG_LEVEL, else warn) to every
/// logger, existing and future. Returns the error for an unknown level name
/// and changes nothing then.
model::status configure_logging(const log_config& cfg = {});

/// Sets the level of every logger, existing and future.
void set_log_level(spdlog::level::level_enum level);

/// The level set by the last configure_logging / set_log_level (warn at start).
spdlog::level::level_enum log_level();

/// Replaces the shared sink of every logger (stderr by default), e.g. by a
/// file sink for the CLI or a capturing sink in tests.
void set_log_sink(spdlog::sink_ptr sink);

/// `text` safe for a terminal or a log line: bytes below 0x20 and 0x7f as
/// \xNN, C1 controls (U+0080..U+009F, e.g. the 8-bit CSI) as \u00NN, so an id
/// holding a newline or an ANSI escape can neither forge a line nor drive the
/// terminal. Everything else (other UTF-8 included) is kept.
std::string printable(std::string_view text);

/// True when printable(text) would change it.
bool needs_escaping(std::string_view text);

}  // namespace causality::observe

/// Hot-path logging: removed by the preprocessor below SPDLOG_ACTIVE_LEVEL,
/// arguments are then not evaluated.
#define CAUSALITY_LOG_TRACE(lg, ...) SPDLOG_LOGGER_TRACE(lg, __VA_ARGS__)
#define CAUSALITY_LOG_DEBUG(lg, ...) SPDLOG_LOGGER_DEBUG(lg, __VA_ARGS__)
#define CAUSALITY_LOG_INFO(lg, ...) SPDLOG_LOGGER_INFO(lg, __VA_ARGS__)
