#pragma once
/// \file Internal: the field checks the validators share (validate.cpp,
/// validate_platform.cpp): a JSON path, an id, a number within its range of
/// causality/model/limits.hpp, each an error naming the file and the path.

#include <cstdint>
#include <string>
#include <vector>

#include "causality/model/error.hpp"
#include "causality/model/limits.hpp"
#include "causality/model/types.hpp"

namespace causality::model::checks {

/// "/list/i" or "/list/i/field".
inline std::string at(const char* list, std::size_t i, const char* field = nullptr) {
  std::string p = std::string("/") + list + "/" + std::to_string(i);
  if (field) p += std::string("/") + field;
  return p;
}

/// "a, b, c".
inline std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

/// An id field: non-empty, bounded, printable (limits::id_violation).
inline status check_id(const std::string& id, const std::string& file, const std::string& path) {
  if (auto why = limits::id_violation(id); !why.empty()) return error{file, path, why};
  return std::nullopt;
}

/// A free-text field that may be empty: when given, an id's rules apply.
inline status check_opt_id(const std::string& id, const std::string& file, const std::string& path) {
  if (id.empty()) return std::nullopt;
  return check_id(id, file, path);
}

inline status check_range(double v, double lo, double hi, const std::string& file,
                          const std::string& path, bool lo_open = false) {
  if (auto why = limits::range_violation(v, lo, hi, lo_open); !why.empty())
    return error{file, path, why};
  return std::nullopt;
}

inline status check_range(std::uint64_t v, std::uint64_t lo, std::uint64_t hi,
                          const std::string& file, const std::string& path) {
  if (auto why = limits::range_violation(v, lo, hi); !why.empty()) return error{file, path, why};
  return std::nullopt;
}

/// A retry policy at `path` (validate_policies.cpp).
status check_retry(const retry_policy& r, const std::string& file, const std::string& path);
/// A timeout (ms) at `path`, when set.
status check_timeout(const std::optional<double>& t, const std::string& file, const std::string& path);
/// Node i's retry and timeout_ms.
status check_node_policies(const dataflow_node& n, std::size_t i, const std::string& file);
/// A workflow's "policies".
status check_run_policies(const run_policies& p, const std::string& file);

}  // namespace causality::model::checks
