#include "json_reader.hpp"

#include "causality/model/names.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace causality::model::detail {

namespace {

std::string show(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

}  // namespace

std::string child_path(const std::string& base, const std::string& key) {
  std::string out = base;
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

std::string child_path(const std::string& base, std::size_t index) {
  return base + "/" + std::to_string(index);
}

std::string type_mismatch(const char* expected, const json& got) {
  return std::string("expected ") + expected + ", got " + got.type_name();
}

void json_reader::fail(std::string path, std::string reason) {
  if (!err_) err_ = error{file_, std::move(path), std::move(reason)};
}

void json_reader::only(const json& obj, const std::string& path, std::initializer_list<const char*> known) {
  if (err_ || !obj.is_object()) return;
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    const std::string& key = it.key();
    if (std::any_of(known.begin(), known.end(), [&](const char* k) { return key == k; })) continue;
    // The path shows at most 64 bytes of a key (keys may be megabytes long).
    const std::string shown = key.size() > 64 ? key.substr(0, 64) + "..." : key;
    std::vector<std::string> names(known.begin(), known.end());
    std::string hint = closest(key, names);
    if (!hint.empty()) {
      fail(child_path(path, shown), "unknown field (did you mean '" + hint + "'?)");
    } else {
      std::string all;
      for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
      fail(child_path(path, shown), "unknown field (known here: " + all + ")");
    }
    return;
  }
}

bool json_reader::expect_object(const json& j, const std::string& path) {
  if (j.is_object()) return true;
  fail(path, type_mismatch("an object", j));
  return false;
}

const json* json_reader::find(const json& obj, const char* key, const std::string& base,
                              bool required) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  if (it == obj.end()) {
    if (required) fail(child_path(base, key), "missing required field");
    return nullptr;
  }
  // null reads as "absent" for optional fields; a required one reports its type.
  if (it->is_null() && !required) return nullptr;
  return &*it;
}

const json* json_reader::object(const json& obj, const char* key, const std::string& base,
                                bool required) {
  const json* v = find(obj, key, base, required);
  if (!v) return nullptr;
  if (!v->is_object()) {
    fail(child_path(base, key), type_mismatch("an object", *v));
    return nullptr;
  }
  return v;
}

const json* json_reader::array(const json& obj, const char* key, const std::string& base,
                               bool required) {
  const json* v = find(obj, key, base, required);
  if (!v) return nullptr;
  if (!v->is_array()) {
    fail(child_path(base, key), type_mismatch("an array", *v));
    return nullptr;
  }
  return v;
}

bool json_reader::to_str(const json& v, const std::string& path, std::string& out) {
  if (!v.is_string()) {
    fail(path, type_mismatch("a string", v));
    return false;
  }
  out = v.get_ref<const std::string&>();
  return true;
}

bool json_reader::to_u64(const json& v, const std::string& path, std::uint64_t& out) {
  if (v.is_number_unsigned()) {
    out = v.get<std::uint64_t>();
    return true;
  }
  if (v.is_number_integer()) {  // signed, hence negative
    fail(path, "must be non-negative, got " + std::to_string(v.get<std::int64_t>()));
    return false;
  }
  if (v.is_number_float()) {
    double d = v.get<double>();
    if (d < 0) {
      fail(path, "must be non-negative, got " + show(d));
      return false;
    }
    if (d != std::floor(d)) {
      fail(path, "must be a whole number, got " + show(d));
      return false;
    }
    if (d >= 18446744073709551616.0) {
      fail(path, "is too large, got " + show(d));
      return false;
    }
    out = static_cast<std::uint64_t>(d);
    return true;
  }
  fail(path, type_mismatch("a non-negative integer", v));
  return false;
}

bool json_reader::to_num(const json& v, const std::string& path, double& out, num_rule rule) {
  if (!v.is_number()) {
    fail(path, type_mismatch("a number", v));
    return false;
  }
  double d = v.get<double>();
  if (!std::isfinite(d)) {
    fail(path, "must be finite, got " + show(d));
    return false;
  }
  if (rule == num_rule::non_negative && d < 0) {
    fail(path, "must be non-negative, got " + show(d));
    return false;
  }
  if (rule == num_rule::positive && !(d > 0)) {
    fail(path, "must be positive, got " + show(d));
    return false;
  }
  out = d;
  return true;
}

bool json_reader::str(const json& obj, const char* key, const std::string& base,
                      std::string& out, bool required) {
  const json* v = find(obj, key, base, required);
  return v && to_str(*v, child_path(base, key), out);
}

bool json_reader::u64(const json& obj, const char* key, const std::string& base,
                      std::uint64_t& out, bool required) {
  const json* v = find(obj, key, base, required);
  if (!v) return false;
  if (v->is_number_unsigned()) {  // the common case: no path built
    out = v->get<std::uint64_t>();
    return true;
  }
  return to_u64(*v, child_path(base, key), out);
}

bool json_reader::u32(const json& obj, const char* key, const std::string& base,
                      std::uint32_t& out, bool required) {
  std::uint64_t wide = 0;
  if (!u64(obj, key, base, wide, required)) return false;
  if (wide > std::numeric_limits<std::uint32_t>::max()) {
    fail(child_path(base, key), "is too large, got " + std::to_string(wide));
    return false;
  }
  out = static_cast<std::uint32_t>(wide);
  return true;
}

bool json_reader::num(const json& obj, const char* key, const std::string& base, double& out,
                      num_rule rule, bool required) {
  const json* v = find(obj, key, base, required);
  return v && to_num(*v, child_path(base, key), out, rule);
}

bool json_reader::boolean(const json& obj, const char* key, const std::string& base,
                          bool& out) {
  const json* v = find(obj, key, base, false);
  if (!v) return false;
  if (!v->is_boolean()) {
    fail(child_path(base, key), type_mismatch("a boolean", *v));
    return false;
  }
  out = v->get<bool>();
  return true;
}

bool json_reader::opt_str(const json& obj, const char* key, const std::string& base,
                          std::optional<std::string>& out) {
  std::string s;
  if (!str(obj, key, base, s)) return false;
  out = std::move(s);
  return true;
}

bool json_reader::opt_u64(const json& obj, const char* key, const std::string& base,
                          std::optional<std::uint64_t>& out) {
  std::uint64_t v = 0;
  if (!u64(obj, key, base, v)) return false;
  out = v;
  return true;
}

bool json_reader::opt_num(const json& obj, const char* key, const std::string& base,
                          std::optional<double>& out, num_rule rule) {
  double v = 0;
  if (!num(obj, key, base, v, rule)) return false;
  out = v;
  return true;
}

bool json_reader::str_list(const json& obj, const char* key, const std::string& base,
                           std::vector<std::string>& out) {
  const json* a = array(obj, key, base);
  if (!a) return false;
  std::vector<std::string> items;
  items.reserve(a->size());
  for (std::size_t i = 0; i < a->size(); ++i) {
    const json& v = (*a)[i];
    if (!v.is_string()) {
      fail(child_path(child_path(base, key), i), type_mismatch("a string", v));
      return false;
    }
    items.push_back(v.get_ref<const std::string&>());
  }
  out = std::move(items);
  return true;
}

bool json_reader::str_map(const json& obj, const char* key, const std::string& base,
                          std::map<std::string, std::string>& out) {
  const json* o = object(obj, key, base);
  if (!o) return false;
  std::map<std::string, std::string> items;
  for (auto it = o->begin(); it != o->end(); ++it) {
    if (it->is_string()) {
      items.emplace(it.key(), it->get_ref<const std::string&>());
    } else if (it->is_primitive() && !it->is_null()) {
      items.emplace(it.key(), it->dump());
    } else {
      fail(child_path(child_path(base, key), it.key()),
           type_mismatch("a string, number or boolean", *it));
      return false;
    }
  }
  out = std::move(items);
  return true;
}

}  // namespace causality::model::detail
