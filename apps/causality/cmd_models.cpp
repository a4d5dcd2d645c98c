// `causality models show|clear [--models DIR]`: the durations learned by
// `run --learn` (strategies/perf_model.hpp): one line per (model, domain)
// with its runs and its estimate, or the history removed.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "command.hpp"
#include "learned.hpp"

namespace {

namespace cli = causality::cli;

struct models_options {
  std::string action;  ///< show | clear
  std::string dir;
  std::string format = "text";
};

int show(const models_options& o) {
  const auto file = cli::history_file(o.dir.empty() ? cli::default_models_dir() : o.dir);
  std::error_code ec;
  const bool exists = std::filesystem::exists(file, ec);
  auto m = causality::strategies::perf_model{};
  if (exists) {
    auto loaded = causality::strategies::perf_model::load(file);
    if (!loaded) return cli::fail(loaded.err().message());
    m = std::move(*loaded);
  }
  auto list = m.list();
  if (o.format == "json") {
    auto arr = nlohmann::json::array();
    for (const auto& x : list) {
      nlohmann::json j{{"model", x.key}, {"domain", x.domain}, {"runs", x.samples}};
      if (x.ratio) j["ratio"] = *x.ratio;
      if (x.ms) j["ms"] = *x.ms;
      arr.push_back(j);
    }
    std::cout << nlohmann::json{{"file", file}, {"models", arr}}.dump(2) << "\n";
    return 0;
  }
  if (list.empty()) {
    std::cout << "no learned durations in " << file << (exists ? "" : " (no file yet)")
              << "; `causality run --learn` adds them\n";
    return 0;
  }
  std::cout << "learned durations in " << file << " (ratio: measured / the node's estimate)\n";
  std::printf("%-40s %-16s %6s %12s %12s\n", "model", "domain", "runs", "ratio", "ms");
  for (const auto& x : list) {
    char r[32] = "-", ms[32] = "-";
    if (x.ratio) std::snprintf(r, sizeof r, "%.4g", *x.ratio);
    if (x.ms) std::snprintf(ms, sizeof ms, "%.4g", *x.ms);
    std::printf("%-40s %-16s %6zu %12s %12s\n", x.key.c_str(), x.domain.c_str(), x.samples, r, ms);
  }
  return 0;
}

int clear(const models_options& o) {
  const auto file = cli::history_file(o.dir.empty() ? cli::default_models_dir() : o.dir);
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) {
    std::cout << "nothing to clear: " << file << " does not exist\n";
    return 0;
  }
  if (!std::filesystem::remove(file, ec) || ec)
    return cli::fail("models clear: cannot remove " + file + ": " + ec.message());
  std::cout << "removed " << file << "\n";
  return 0;
}

cli::register_command reg{"models", [](CLI::App& app) {
  auto o = std::make_shared<models_options>();
  auto* sub = app.add_subcommand("models", "show or clear the durations learned by `run --learn`");
  sub->add_option("action", o->action,
                  "show: list the learned models (model, domain, runs, estimate); clear: remove them")
      ->required()
      ->check(CLI::IsMember({"show", "clear"}));
  sub->add_option("--models", o->dir, "models directory (default " + cli::default_models_dir() + ")");
  sub->add_option("--format", o->format, "text|json (show)")->check(CLI::IsMember({"text", "json"}));
  return std::function<int()>([o] { return o->action == "show" ? show(*o) : clear(*o); });
}};

}  // namespace
