#pragma once
/// \file "Did you mean": the closest known name to a mistyped one, for
/// unknown fields in files and unknown names on the command line.

#include <cstddef>
#include <string>
#include <vector>

namespace causality::model {

/// Edit distance (insertions, deletions, substitutions, adjacent
/// transpositions). Two words whose lengths differ by more than `cap` give
/// at least `cap + 1` without being compared, so a hostile 16 MiB key costs
/// nothing.
std::size_t edit_distance(const std::string& a, const std::string& b,
                          std::size_t cap = static_cast<std::size_t>(-1));

/// The closest of `known` to `word` when close enough (at most a third of
/// its length, at least 1, at most 3 edits); empty otherwise.
std::string closest(const std::string& word, const std::vector<std::string>& known);

}  // namespace causality::model
