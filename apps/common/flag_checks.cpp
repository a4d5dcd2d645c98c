#include "flag_checks.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace causality::cli {

namespace {

/// `text` shortened for a message (a flag value may be anything).
std::string shown_value(const std::string& text) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < 40; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (text.size() > 40) out += "...";
  return out + "'";
}

}  // namespace

std::string show_bound(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.15g", v);
  std::string s = buf;
  // Big round numbers as 1e+18, not 1000000000000000000.
  if (std::fabs(v) >= 1e7) {
    std::snprintf(buf, sizeof buf, "%g", v);
    if (std::strtod(buf, nullptr) == v) s = buf;
  }
  return s;
}

std::string number_violation(const std::string& text, double lo, double hi, bool lo_open) {
  const std::string range = lo_open ? "a number greater than " + show_bound(lo) + " and at most " + show_bound(hi)
                                    : "a number from " + show_bound(lo) + " to " + show_bound(hi);
  char* end = nullptr;
  errno = 0;
  double v = text.empty() ? 0 : std::strtod(text.c_str(), &end);
  if (text.empty() || !end || *end != '\0' || std::isspace(static_cast<unsigned char>(text[0])))
    return "must be " + range + ", got " + shown_value(text);
  if (!std::isfinite(v) || errno == ERANGE) return "must be finite (" + range + "), got " + shown_value(text);
  if (v < lo || (lo_open && v == lo) || v > hi) return "must be " + range + ", got " + shown_value(text);
  return {};
}

CLI::Validator number_in(double lo, double hi, bool lo_open) {
  return CLI::Validator(
      [=](std::string& s) { return number_violation(s, lo, hi, lo_open); },
      lo_open ? "(" + show_bound(lo) + ", " + show_bound(hi) + "]"
              : "[" + show_bound(lo) + ", " + show_bound(hi) + "]");
}

CLI::Validator whole_in(std::uint64_t lo, std::uint64_t hi) {
  return CLI::Validator(
      [=](std::string& s) -> std::string {
        const std::string range = "a whole number from " + show_bound(static_cast<double>(lo)) + " to " +
                                  show_bound(static_cast<double>(hi));
        bool digits = !s.empty() && s.size() <= 20;
        for (char c : s) digits = digits && c >= '0' && c <= '9';
        if (!digits) return "must be " + range + ", got " + shown_value(s);
        errno = 0;
        unsigned long long v = std::strtoull(s.c_str(), nullptr, 10);
        if (errno == ERANGE || v < lo || v > hi) return "must be " + range + ", got " + shown_value(s);
        return {};
      },
      "[" + show_bound(static_cast<double>(lo)) + ", " + show_bound(static_cast<double>(hi)) + "]");
}

}  // namespace causality::cli
