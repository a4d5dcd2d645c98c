#include "causality/model/value.hpp"

#include <cstdio>

namespace causality::model {

namespace {
const value& null_value() {
  static const value v;
  return v;
}
template <class T>
std::shared_ptr<const value::variant> mk(T x) {
  return std::make_shared<const value::variant>(std::move(x));
}
/// Appends v to out, stopping once out holds more than `limit` characters
/// (so a large value, or one whose parts are shared many times over, is never
/// walked in full when only its beginning is wanted).
void render(const value& v, std::string& out, std::size_t limit) {
  if (out.size() > limit) return;
  if (v.is_null()) out += "null";
  else if (v.is_bool()) out += v.as_bool() ? "true" : "false";
  else if (v.is_int()) out += std::to_string(v.as_int());
  else if (v.is_double()) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v.as_double());
    out += buf;
  } else if (v.is_string()) {
    out += '"';
    for (char c : v.as_string()) {
      if (out.size() > limit) return;
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  } else if (v.is_array()) {
    out += '[';
    bool first = true;
    for (auto& e : v.as_array()) {
      if (out.size() > limit) return;
      if (!first) out += ',';
      first = false;
      render(e, out, limit);
    }
    out += ']';
  } else if (v.is_object()) {
    out += '{';
    bool first = true;
    for (auto& [k, e] : v.as_object()) {
      if (out.size() > limit) return;
      if (!first) out += ',';
      first = false;
      out += '"' + k + "\":";
      render(e, out, limit);
    }
    out += '}';
  } else {
    out += "<any>";
  }
}
}  // namespace

value::value(bool b) : p_(mk(b)) {}
value::value(int i) : p_(mk(static_cast<std::int64_t>(i))) {}
value::value(std::int64_t i) : p_(mk(i)) {}
value::value(std::uint64_t i) : p_(mk(static_cast<std::int64_t>(i))) {}
value::value(double d) : p_(mk(d)) {}
value::value(const char* s) : p_(mk(std::string(s))) {}
value::value(std::string s) : p_(mk(std::move(s))) {}
value::value(array a) : p_(mk(std::move(a))) {}
value::value(object o) : p_(mk(std::move(o))) {}

namespace {
const value::variant& get(const std::shared_ptr<const value::variant>& p) {
  static const value::variant null;
  return p ? *p : null;
}
}  // namespace

namespace {
/// The alternative at index I, or value_type_error naming both types.
template <std::size_t I>
const auto& checked(const value& v, const std::shared_ptr<const value::variant>& p, const char* accessor,
                    const char* expected) {
  auto& var = get(p);
  if (var.index() != I) {
    const char* got = v.type_name();
    bool vowel = got[0] == 'a' || got[0] == 'i' || got[0] == 'o';
    std::string msg = std::string("value::") + accessor + ": expected " + expected + ", got " +
                      (vowel ? "an " : "a ") + got;
    if (!v.is_null()) msg += " (" + v.to_string(40) + ")";
    throw value_type_error(std::move(msg));
  }
  return std::get<I>(var);
}
}  // namespace

bool value::as_bool() const { return checked<1>(*this, p_, "as_bool", "a bool"); }
std::int64_t value::as_int() const { return checked<2>(*this, p_, "as_int", "an int"); }
double value::as_double() const {
  if (is_int()) return static_cast<double>(as_int());
  return checked<3>(*this, p_, "as_double", "a number");
}
const std::string& value::as_string() const { return checked<4>(*this, p_, "as_string", "a string"); }
const value::array& value::as_array() const { return checked<5>(*this, p_, "as_array", "an array"); }
const value::object& value::as_object() const { return checked<6>(*this, p_, "as_object", "an object"); }

const value& value::operator[](const std::string& key) const {
  if (!is_object()) return null_value();
  auto& o = as_object();
  auto it = o.find(key);
  return it == o.end() ? null_value() : it->second;
}

const char* value::type_name() const {
  static const char* names[] = {"null", "bool", "int", "double", "string", "array", "object", "any"};
  return names[p_ ? p_->index() : 0];
}

bool value::matches(const std::string& t) const {
  if (t == "any") return true;
  if (t == "null") return is_null();
  if (t == "bool" || t == "boolean") return is_bool();
  if (t == "int" || t == "integer") return is_int();
  if (t == "uint") return is_int() && as_int() >= 0;
  if (t == "double" || t == "float" || t == "number") return is_number();
  if (t == "string" || t == "bytes") return is_string();
  if (t == "array" || t == "list") return is_array();
  if (t == "object" || t == "map") return is_object();
  return false;
}

bool value::operator==(const value& o) const {
  if (p_ == o.p_) return true;
  if (is_null() && o.is_null()) return true;
  if (!p_ || !o.p_ || p_->index() != o.p_->index()) return false;
  if (p_->index() == 7) return false;  // distinct user payloads
  // std::variant<..., std::any> has no operator==; compare alternatives.
  switch (p_->index()) {
      case 1: return as_bool() == o.as_bool();
      case 2: return as_int() == o.as_int();
      case 3: return as_double() == o.as_double();
      case 4: return as_string() == o.as_string();
      case 5: return as_array() == o.as_array();
      case 6: return as_object() == o.as_object();
      default: return false;
  }
}

std::string value::to_string() const {
  std::string out;
  render(*this, out, std::string::npos);
  return out;
}

std::string value::to_string(std::size_t max_chars) const {
  std::string out;
  render(*this, out, max_chars);
  if (out.size() > max_chars) out = out.substr(0, max_chars >= 3 ? max_chars - 3 : 0) + "...";
  return out;
}

}  // namespace causality::model
