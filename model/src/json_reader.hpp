#pragma once
// Private helper of the model's loaders: reads typed fields out of JSON and
// keeps the FIRST error with its JSON path. Paths are built only when an
// error happens, so reading 100k nodes does not allocate a path per field.

#include <cstdint>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "causality/model/error.hpp"

namespace causality::model::detail {

using json = nlohmann::json;

/// `base` + "/" + `key` with JSON-pointer escaping of the key.
std::string child_path(const std::string& base, const std::string& key);
/// `base` + "/" + `index`.
std::string child_path(const std::string& base, std::size_t index);

/// What a number must satisfy besides being a number.
enum class num_rule { any, non_negative, positive };

/// Typed field access with first-error bookkeeping. Every getter leaves `out`
/// untouched when the field is absent (or null, for optional fields), so the
/// model's defaults stay in place; it returns true when it stored a value.
class json_reader {
 public:
  explicit json_reader(std::string file) : file_(std::move(file)) {}

  bool ok() const { return !err_; }
  const error& err() const { return *err_; }
  /// Records an error unless one is already recorded.
  void fail(std::string path, std::string reason);

  /// Refuses the first key of the object `obj` (found at `path`) that is not
  /// in `known`, naming the closest known one (or listing them all): a
  /// misspelt field is never silently ignored.
  void only(const json& obj, const std::string& path, std::initializer_list<const char*> known);

  /// Checks that `j` (found at `path`) is an object.
  bool expect_object(const json& j, const std::string& path);
  /// The object / array at obj[key]; nullptr when absent (error if required)
  /// or of the wrong type (error).
  const json* object(const json& obj, const char* key, const std::string& base,
                     bool required = false);
  const json* array(const json& obj, const char* key, const std::string& base,
                    bool required = false);

  bool str(const json& obj, const char* key, const std::string& base, std::string& out,
           bool required = false);
  bool u64(const json& obj, const char* key, const std::string& base, std::uint64_t& out,
           bool required = false);
  bool u32(const json& obj, const char* key, const std::string& base, std::uint32_t& out,
           bool required = false);
  bool num(const json& obj, const char* key, const std::string& base, double& out,
           num_rule rule = num_rule::any, bool required = false);
  bool boolean(const json& obj, const char* key, const std::string& base, bool& out);
  bool opt_str(const json& obj, const char* key, const std::string& base,
               std::optional<std::string>& out);
  bool opt_u64(const json& obj, const char* key, const std::string& base,
               std::optional<std::uint64_t>& out);
  bool opt_num(const json& obj, const char* key, const std::string& base,
               std::optional<double>& out, num_rule rule);
  /// An array of strings.
  bool str_list(const json& obj, const char* key, const std::string& base,
                std::vector<std::string>& out);
  /// An object of string values (other scalars are kept as their JSON text).
  bool str_map(const json& obj, const char* key, const std::string& base,
               std::map<std::string, std::string>& out);

  /// Value-level conversions; `path` is the value's own path.
  bool to_u64(const json& v, const std::string& path, std::uint64_t& out);
  bool to_num(const json& v, const std::string& path, double& out, num_rule rule);
  bool to_str(const json& v, const std::string& path, std::string& out);

 private:
  /// obj[key] or nullptr; reports a missing required field.
  const json* find(const json& obj, const char* key, const std::string& base, bool required);

  std::string file_;
  std::optional<error> err_;
};

/// "expected a T, got <json type>".
std::string type_mismatch(const char* expected, const json& got);

}  // namespace causality::model::detail
