#pragma once
/// \file Value-returning errors: every failure names the file, the JSON path
/// of the field and the reason.

#include <optional>
#include <string>
#include <utility>
#include <variant>

#include "causality/model/printable.hpp"

namespace causality::model {

/// What kind of failure an error is, so callers branch on a code instead of
/// searching the message text.
enum class errc {
  invalid_input,       ///< a file, field or argument is malformed or out of range (the default)
  unhostable,          ///< a node fits no domain of the platform
  infeasible,          ///< no plan meets the workflow's constraints
  budget,              ///< a cost or latency budget would be exceeded
  busy,                ///< the runtime is at its limit of concurrent runs or nodes
  cancelled,           ///< the operation was cancelled by the caller
  timeout,             ///< a deadline or timeout expired
  remote_unreachable,  ///< a remote domain server cannot be reached
  remote_refused,      ///< a remote domain server refused the connection (token, version)
  internal,            ///< a broken invariant inside the runtime (a bug)
};

/// The stable lower-case name of a code, e.g. "remote_unreachable".
constexpr const char* to_string(errc c) noexcept {
  switch (c) {
    case errc::invalid_input: return "invalid_input";
    case errc::unhostable: return "unhostable";
    case errc::infeasible: return "infeasible";
    case errc::budget: return "budget";
    case errc::busy: return "busy";
    case errc::cancelled: return "cancelled";
    case errc::timeout: return "timeout";
    case errc::remote_unreachable: return "remote_unreachable";
    case errc::remote_refused: return "remote_refused";
    case errc::internal: return "internal";
  }
  return "internal";
}

/// One user-facing error: where (file, JSON path), why, and what kind.
struct error {
  std::string file;    ///< file the input came from; empty for in-memory input
  std::string path;    ///< JSON path of the offending field, e.g. "/nodes/3/node_id"
  std::string reason;  ///< one sentence, no trailing period
  errc code = errc::invalid_input;  ///< the kind of failure; not part of message()

  /// The one-line rendering shown to users: "FILE: PATH: REASON". Control
  /// characters (below 0x20, 0x7f) from any part are shown as \xNN, so a
  /// message is always one printable line whatever a file held.
  std::string message() const {
    std::string out;
    if (!file.empty()) out += file + ": ";
    if (!path.empty()) out += path + ": ";
    out += reason;
    return printable(out);
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

/// An error of kind `code` with no file or path, e.g. make_error(errc::busy, "busy: ...").
inline error make_error(errc code, std::string reason, std::string path = {}) {
  return error{"", std::move(path), std::move(reason), code};
}

}  // namespace causality::model
