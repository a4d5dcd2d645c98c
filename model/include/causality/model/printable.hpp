#pragma once
/// \file Control bytes made visible: every place that shows text from a file,
/// a flag or the network (error lines, logs, SVG, DOT, Prometheus labels,
/// terminals) writes a control byte as the four characters \xNN, so no input
/// can forge a line, move the cursor or break a format. The loaders refuse
/// ids with control bytes; this is the second line.

#include <cstddef>
#include <string>
#include <string_view>

namespace causality::model {

/// A control byte: below 0x20, or 0x7f.
inline bool is_control(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

/// `c` as the four characters \xNN (lower-case hex).
inline std::string control_escape(char c) {
  static const char hex[] = "0123456789abcdef";
  auto u = static_cast<unsigned char>(c);
  return std::string("\\x") + hex[u >> 4] + hex[u & 15];
}

/// `text` with every control byte as \xNN; longer than `max_bytes`, it is cut
/// there and ends in "...".
inline std::string printable(std::string_view text, std::size_t max_bytes = std::string_view::npos) {
  std::string out;
  const std::size_t n = text.size() < max_bytes ? text.size() : max_bytes;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    if (is_control(text[i]))
      out += control_escape(text[i]);
    else
      out += text[i];
  }
  if (n < text.size()) out += "...";
  return out;
}

}  // namespace causality::model
