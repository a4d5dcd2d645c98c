#pragma once
/// \file The value passed along edges: one shared pointer to an immutable
/// payload, so copying a value (fan-out) never deep-copies the data.

#include <any>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace causality::model {

/// An immutable, cheaply shared dynamic value (null, bool, integer, double,
/// string, array, object, or any user type via value::of).
/// What a value accessor throws on a wrong type: a std::bad_variant_access
/// (what callers caught before) with a message naming both types.
class value_type_error : public std::bad_variant_access {
 public:
  explicit value_type_error(std::string msg) : msg_(std::move(msg)) {}
  const char* what() const noexcept override { return msg_.c_str(); }

 private:
  std::string msg_;
};

class value {
 public:
  using array = std::vector<value>;
  using object = std::map<std::string, value>;
  /// The payload alternatives; std::any holds user types.
  using variant = std::variant<std::monostate, bool, std::int64_t, double, std::string, array,
                               object, std::any>;

  /// Null.
  value() = default;
  value(bool b);
  value(int i);
  value(std::int64_t i);
  value(std::uint64_t i);
  value(double d);
  value(const char* s);
  value(std::string s);
  value(array a);
  value(object o);
  /// Wraps any user type; read it back with get_if<T>().
  template <class T>
  static value of(T x) {
    value v;
    v.p_ = std::make_shared<const variant>(std::any(std::move(x)));
    return v;
  }

  bool is_null() const { return !p_ || p_->index() == 0; }
  bool is_bool() const { return p_ && p_->index() == 1; }
  bool is_int() const { return p_ && p_->index() == 2; }
  bool is_double() const { return p_ && p_->index() == 3; }
  bool is_number() const { return is_int() || is_double(); }
  bool is_string() const { return p_ && p_->index() == 4; }
  bool is_array() const { return p_ && p_->index() == 5; }
  bool is_object() const { return p_ && p_->index() == 6; }

  /// Accessors; on a wrong type they throw value_type_error (a
  /// std::bad_variant_access) naming the accessor, the expected and the
  /// actual type: "value::as_string: expected a string, got an int (42)".
  bool as_bool() const;
  std::int64_t as_int() const;
  /// An integer or a double as double.
  double as_double() const;
  const std::string& as_string() const;
  const array& as_array() const;
  const object& as_object() const;
  /// The user type T stored by value::of, or nullptr.
  template <class T>
  const T* get_if() const {
    if (!p_ || p_->index() != 7) return nullptr;
    return std::any_cast<T>(&std::get<7>(*p_));
  }
  /// Field of an object; null when absent or not an object.
  const value& operator[](const std::string& key) const;

  /// Type name as used by schemas: null, bool, int, double, string, array, object, any.
  const char* type_name() const;
  /// Whether this value satisfies a schema type name (model::is_known_schema_type).
  bool matches(const std::string& schema_type) const;
  /// Deep equality (user types compare by identity of the shared payload).
  bool operator==(const value& o) const;
  bool operator!=(const value& o) const { return !(*this == o); }
  /// JSON-like rendering for messages and the CLI.
  std::string to_string() const;
  /// The same, at most `max_chars` characters ("..." when cut); stops
  /// rendering there, never walking the rest of a large value.
  std::string to_string(std::size_t max_chars) const;
  /// Holders of this payload (shows that fan-out shares, not copies).
  long use_count() const { return p_.use_count(); }
  /// True when both refer to the same payload object.
  bool same_payload(const value& o) const { return p_ == o.p_; }

 private:
  std::shared_ptr<const variant> p_;
};

}  // namespace causality::model
