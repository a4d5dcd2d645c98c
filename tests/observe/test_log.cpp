#include <catch2/catch.hpp>

#include <cstdlib>
#include <sstream>

#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/ostream_sink.h>

#include "causality/observe/log.hpp"
#include "causality/observe/metrics.hpp"
#include "causality/observe/metrics_server.hpp"

using namespace causality::observe;

namespace {
// Restores the default level and an stderr-free sink after each case.
struct log_fixture {
  std::ostringstream out;
  log_fixture() {
    ::unsetenv(log_level_env);
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
    sink->set_pattern("%n|%l|%v");
    set_log_sink(sink);
    set_log_level(spdlog::level::info);
  }
  ~log_fixture() {
    // The captured stream dies with the fixture: detach it first.
    set_log_sink(std::make_shared<spdlog::sinks::null_sink_mt>());
    ::unsetenv(log_level_env);
    set_log_level(spdlog::level::warn);  // the library's default
  }
};
}  // namespace

TEST_CASE("every level name parses and unknown names are refused with the source",
          "[observe][log]") {
  CHECK(parse_log_level("trace", "x").value() == spdlog::level::trace);
  CHECK(parse_log_level("debug", "x").value() == spdlog::level::debug);
  CHECK(parse_log_level("info", "x").value() == spdlog::level::info);
  CHECK(parse_log_level("warn", "x").value() == spdlog::level::warn);
  CHECK(parse_log_level("warning", "x").value() == spdlog::level::warn);
  CHECK(parse_log_level("error", "x").value() == spdlog::level::err);
  CHECK(parse_log_level("critical", "x").value() == spdlog::level::critical);
  CHECK(parse_log_level("off", "x").value() == spdlog::level::off);
  auto bad = parse_log_level("loud", "--log-level");
  REQUIRE_FALSE(bad);
  CHECK(bad.err().message().find("--log-level") != std::string::npos);
  CHECK(bad.err().message().find("'loud'") != std::string::npos);
}

TEST_CASE_METHOD(log_fixture, "subsystem loggers are named, shared and write to the sink",
                 "[observe][log]") {
  for (const char* name : subsystems) CHECK(logger(name)->name() == name);
  CHECK(logger("planner") == logger("planner"));
  CHECK(logger("planner") != logger("domain"));
  logger("planner")->info("placed {} nodes", 3);
  logger("domain")->debug("hidden at info");
  CHECK(out.str() == "planner|info|placed 3 nodes\n");
}

TEST_CASE_METHOD(log_fixture, "the level comes from the config, else the environment",
                 "[observe][log]") {
  ::setenv(log_level_env, "error", 1);
  REQUIRE_FALSE(configure_logging());
  CHECK(log_level() == spdlog::level::err);
  CHECK(logger("monitor")->level() == spdlog::level::err);
  // A logger created later gets the current level too.
  CHECK(logger("observe-test-late")->level() == spdlog::level::err);

  log_config cfg;
  cfg.level = "debug";
  REQUIRE_FALSE(configure_logging(cfg));
  CHECK(log_level() == spdlog::level::debug);
  CHECK(logger("monitor")->level() == spdlog::level::debug);

  ::unsetenv(log_level_env);
  REQUIRE_FALSE(configure_logging());
  CHECK(log_level() == spdlog::level::warn);  // the default: warnings and errors only
}

TEST_CASE_METHOD(log_fixture, "a bad level in the environment is an error and changes nothing",
                 "[observe][log]") {
  set_log_level(spdlog::level::warn);
  ::setenv(log_level_env, "verbose", 1);
  auto err = configure_logging();
  REQUIRE(err);
  CHECK(err->path == log_level_env);
  CHECK(log_level() == spdlog::level::warn);
}

TEST_CASE_METHOD(log_fixture, "statements below the compiled level are not even evaluated",
                 "[observe][log]") {
  set_log_level(spdlog::level::trace);
  auto lg = logger("runtime");
  int evaluated = 0;
  CAUSALITY_LOG_TRACE(lg, "trace {}", ++evaluated);
  CAUSALITY_LOG_INFO(lg, "info {}", ++evaluated);
#if SPDLOG_ACTIVE_LEVEL > SPDLOG_LEVEL_TRACE
  CHECK(evaluated == 1);
  CHECK(out.str() == "runtime|info|info 1\n");
#else
  CHECK(evaluated == 2);
  CHECK(out.str() == "runtime|trace|trace 1\nruntime|info|info 2\n");
#endif
}

TEST_CASE("an embedding application gets no info lines it did not ask for", "[observe][log]") {
  // No set_log_level / configure_logging here: the library's own default.
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  set_log_sink(sink);
  CHECK(log_level() == spdlog::level::warn);
  {
    metric_registry reg;
    metrics_server server(reg);
    REQUIRE(server.start(0));  // logs "metrics at http://..." at info
    logger("runtime")->info("an info line");
    logger("runtime")->warn("a warning");
  }
  set_log_sink(std::make_shared<spdlog::sinks::null_sink_mt>());
  CHECK(out.str().find("info") == std::string::npos);
  CHECK(out.str().find("a warning") != std::string::npos);
}

TEST_CASE("printable shows control bytes as \\xNN and C1 controls as \\u00NN", "[observe][log]") {
  using causality::observe::printable;
  using causality::observe::needs_escaping;
  CHECK(printable("plain id") == "plain id");
  CHECK_FALSE(needs_escaping("plain id \xc3\xa9"));  // UTF-8 kept
  CHECK(printable("a\nERROR: forged line") == "a\\x0aERROR: forged line");
  CHECK(printable("\x1b[31mred\x1b[0m") == "\\x1b[31mred\\x1b[0m");
  CHECK(printable(std::string("a\0b", 3)) == "a\\x00b");
  CHECK(printable("x\x7fy") == "x\\x7fy");
  CHECK(printable("csi\xc2\x9b" "2J") == "csi\\u009b2J");
  CHECK(needs_escaping("\t"));
}
