#pragma once
/// \file "Did you mean" for mistyped names: flags, subcommands, strategies,
/// domains (Levenshtein distance, small enough for the word's length).

#include <string>
#include <vector>

namespace causality::cli {

/// Edit distance (insertions, deletions, substitutions, transpositions).
std::size_t edit_distance(const std::string& a, const std::string& b);

/// The closest of `known` to `word` when close enough (at most a third of
/// its length, at least 1, at most 3 edits); empty otherwise.
std::string closest(const std::string& word, const std::vector<std::string>& known);

/// " (did you mean 'x'?)" for the closest name, or "".
std::string did_you_mean(const std::string& word, const std::vector<std::string>& known);

/// "a, b, c".
std::string join(const std::vector<std::string>& items);

}  // namespace causality::cli
