#include "causality/domains/edge_builtins.hpp"

namespace causality::domains {

namespace {

/// The part after "prefix:", or nullopt when `name` does not start with it.
std::optional<std::string> arg_of(const std::string& name, const char* prefix) {
  std::string p = std::string(prefix) + ":";
  if (name.size() <= p.size() || name.compare(0, p.size(), p) != 0) return std::nullopt;
  return name.substr(p.size());
}

value field(const value& v, const std::string& key) {
  if (!v.is_object()) return value();
  const auto& o = v.as_object();
  auto it = o.find(key);
  return it == o.end() ? value() : it->second;
}

}  // namespace

bool truthy(const value& v) {
  if (v.is_null()) return false;
  if (v.is_bool()) return v.as_bool();
  if (v.is_int()) return v.as_int() != 0;
  if (v.is_double()) return v.as_double() != 0.0;
  if (v.is_string()) return !v.as_string().empty();
  if (v.is_array()) return !v.as_array().empty();
  if (v.is_object()) return !v.as_object().empty();
  return true;  // a user type
}

std::optional<std::function<value(const value&)>> builtin_transform(const std::string& name) {
  if (name == "identity") return [](const value& v) { return v; };
  if (auto key = arg_of(name, "get")) return [k = *key](const value& v) { return field(v, k); };
  return std::nullopt;
}

std::optional<std::function<bool(const value&)>> builtin_filter(const std::string& name) {
  if (name == "truthy") return [](const value& v) { return truthy(v); };
  if (name == "falsy") return [](const value& v) { return !truthy(v); };
  if (auto key = arg_of(name, "has")) return [k = *key](const value& v) { return truthy(field(v, k)); };
  if (auto key = arg_of(name, "lacks")) return [k = *key](const value& v) { return !truthy(field(v, k)); };
  return std::nullopt;
}

std::optional<std::function<std::vector<std::string>(const value&)>> builtin_router(const std::string& name) {
  auto key = arg_of(name, "by");
  if (!key) return std::nullopt;
  return [k = *key](const value& v) -> std::vector<std::string> {
    auto f = field(v, k);
    if (f.is_string()) return {f.as_string()};
    if (f.is_int()) return {std::to_string(f.as_int())};
    if (f.is_bool()) return {f.as_bool() ? "true" : "false"};
    return {};
  };
}

}  // namespace causality::domains
