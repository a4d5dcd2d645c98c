#include "learned.hpp"

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include <CLI/CLI.hpp>

namespace causality::cli {

void add_learned_options(CLI::App& sub, learned_options& o, bool writes) {
  sub.add_flag("--learn", o.learn,
               writes ? "plan with the durations measured in earlier runs and add this run's (the models "
                        "directory: --models, default " + default_models_dir() + ")"
                      : "plan with the durations measured in earlier runs (the models directory: --models, "
                        "default " + default_models_dir() + ")");
  sub.add_option("--models", o.dir, "models directory of --learn (implies --learn)");
}

std::string default_models_dir() {
  auto env = [](const char* k) -> std::string {
    const char* v = std::getenv(k);
    return v && *v ? v : "";
  };
  if (auto d = env("CAUSALITY_MODELS_DIR"); !d.empty()) return d;
  if (auto x = env("XDG_CACHE_HOME"); !x.empty()) return x + "/causality/models";
  if (auto h = env("HOME"); !h.empty()) return h + "/.cache/causality/models";
  return ".causality-models";
}

std::string history_file(const std::string& dir) { return dir + "/history.json"; }

std::optional<std::string> learned_file(const learned_options& o) {
  if (!o.dir.empty()) return history_file(o.dir);
  if (o.learn) return history_file(default_models_dir());
  return std::nullopt;
}

strategies::perf_model load_history(const std::string& file) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return strategies::perf_model{};
  auto m = strategies::perf_model::load(file);
  if (m) return std::move(*m);
  const std::string kept = file + ".bad";
  std::filesystem::rename(file, kept, ec);
  std::cerr << "causality: warning: " << m.err().message() << "; "
            << (ec ? "it is left as it is" : "kept as " + kept) << ", starting a new history\n";
  return strategies::perf_model{};
}

}  // namespace causality::cli
