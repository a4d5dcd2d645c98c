#include "causality/model/limits.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

namespace causality::model::limits {

expected<std::uint64_t> max_file_bytes() {
  const char* env = std::getenv(max_file_bytes_env);
  if (!env || !*env) return default_max_file_bytes;
  std::uint64_t v = 0;
  bool ok = true;
  for (const char* p = env; *p && ok; ++p) {
    if (*p < '0' || *p > '9') ok = false;
    else if (v > max_file_bytes_ceiling) ok = false;
    else v = v * 10 + static_cast<std::uint64_t>(*p - '0');
  }
  if (!ok || v < 1 || v > max_file_bytes_ceiling)
    return error{max_file_bytes_env, "",
                 "must be a whole number of bytes from 1 to " +
                     std::to_string(max_file_bytes_ceiling)};
  return v;
}

std::string text_violation(std::string_view text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", c);
      return std::string("holds control character ") + hex + " at byte " + std::to_string(i) +
             " (only printable text is accepted)";
    }
  }
  return {};
}

std::string id_violation(std::string_view id) {
  if (id.empty()) return "must not be empty";
  if (id.size() > max_id_bytes)
    return "is " + std::to_string(id.size()) + " bytes long, more than " +
           std::to_string(max_id_bytes);
  return text_violation(id);
}

std::string show(double v) {
  char buf[32];
  if (std::isfinite(v) && v == std::floor(v) && std::fabs(v) < 1e6) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.17g", v);
  // Prefer the shortest form that reads back the same.
  for (int prec = 1; prec < 17; ++prec) {
    char s[32];
    std::snprintf(s, sizeof s, "%.*g", prec, v);
    if (std::strtod(s, nullptr) == v) return s;
  }
  return buf;
}

std::string range_violation(double v, double lo, double hi, bool lo_open) {
  if (!std::isfinite(v)) return "must be finite, got " + show(v);
  if (lo == 0 && lo_open && !(v > 0)) return "must be positive, got " + show(v);
  if (lo == 0 && !lo_open && v < 0) return "must be non-negative, got " + show(v);
  if (lo_open && !(v > lo)) return "must be greater than " + show(lo) + ", got " + show(v);
  if (!lo_open && v < lo) return "must be at least " + show(lo) + ", got " + show(v);
  if (v > hi) return "must be at most " + show(hi) + ", got " + show(v);
  return {};
}

std::string range_violation(std::uint64_t v, std::uint64_t lo, std::uint64_t hi) {
  if (v < lo) return "must be at least " + std::to_string(lo) + ", got " + std::to_string(v);
  if (v > hi) return "must be at most " + std::to_string(hi) + ", got " + std::to_string(v);
  return {};
}

std::optional<std::pair<std::string, std::string>> weights_violation(double priority,
                                                                     double latency,
                                                                     double cost) {
  const std::pair<const char*, double> w[] = {
      {"/priority_weight", priority}, {"/latency_weight", latency}, {"/cost_weight", cost}};
  for (const auto& [field, v] : w)
    if (auto why = range_violation(v, 0.0, max_weight); !why.empty())
      return std::make_pair(std::string(field), why);
  if (!(priority + latency + cost > 0))
    return std::make_pair(std::string(), std::string("the weights must not all be zero"));
  return std::nullopt;
}

}  // namespace causality::model::limits
