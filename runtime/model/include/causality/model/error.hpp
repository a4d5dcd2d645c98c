#pragma once
/// \file Value-returning errors: every failure names the file, the JSON path
/// of the field and the reason.

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace causality::model {

/// One user-facing error: where (file, JSON path) and why.
struct error {
  std::string file;    ///< file the input came from; empty for in-memory input
  std::string path;    ///< JSON path of the offending field, e.g. "/nodes/3/node_id"
  std::string reason;  ///< one sentence, no trailing period

  /// The one-line rendering shown to users: "FILE: PATH: REASON".
  std::string message() const {
    std::string out;
    if (!file.empty()) out += file + ": ";
    if (!path.empty()) out += path + ": ";
    out += reason;
    return out;
  }
};

/// Either a T or an error (C++17 stand-in for std::expected).
template <class T>
class expected {
 public:
  expected(T value) : v_(std::move(value)) {}
  expected(error err) : v_(std::move(err)) {}

  bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const error& err() const { return std::get<1>(v_); }

 private:
  std::variant<T, error> v_;
};

/// Result of an operation that yields nothing but may fail.
using status = std::optional<error>;

}  // namespace causality::model
