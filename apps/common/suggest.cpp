#include "suggest.hpp"

namespace causality::cli {

std::string did_you_mean(const std::string& word, const std::vector<std::string>& known) {
  auto c = closest(word, known);
  return c.empty() ? std::string() : " (did you mean '" + c + "'?)";
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

}  // namespace causality::cli
