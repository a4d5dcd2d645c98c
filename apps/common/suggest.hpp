#pragma once
/// \file "Did you mean" for mistyped names: flags, subcommands, strategies,
/// domains (Levenshtein distance, small enough for the word's length).

#include <string>
#include <vector>

#include "causality/model/names.hpp"

namespace causality::cli {

/// The model's closest-name search, shared with the loaders' unknown fields.
using model::closest;
using model::edit_distance;

/// " (did you mean 'x'?)" for the closest name, or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& known);

/// "a, b, c".
std::string join(const std::vector<std::string>& items);

}  // namespace causality::cli
