#pragma once
/// \file Learned durations on the command line: `--learn` and `--models DIR`
/// on `run` and `plan`, and where the history file lives.

#include <optional>
#include <string>

#include "causality/strategies/perf_model.hpp"

namespace CLI { class App; }

namespace causality::cli {

/// `--learn`, `--models DIR`.
struct learned_options {
  bool learn = false;
  std::string dir;  ///< --models; implies learn
};

/// Adds --learn and --models to a subcommand; `writes` says whether the
/// command adds its measured times (run) or only reads them (plan).
void add_learned_options(CLI::App& sub, learned_options& o, bool writes);

/// The default models directory: $CAUSALITY_MODELS_DIR, else
/// $XDG_CACHE_HOME/causality/models, else $HOME/.cache/causality/models.
std::string default_models_dir();

/// The history file of a models directory: DIR/history.json.
std::string history_file(const std::string& dir);

/// The history file in force (nullopt: learning is off).
std::optional<std::string> learned_file(const learned_options& o);

/// Reads the history at `file`. Missing: an empty history. Unreadable or
/// not a history file: one warning on stderr naming the file and the reason,
/// the file kept beside as FILE.bad (nothing is lost), and an empty history.
strategies::perf_model load_history(const std::string& file);

}  // namespace causality::cli
