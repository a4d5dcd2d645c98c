#include "run_inputs.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>

#include <nlohmann/json.hpp>

#include "causality/domains/remote.hpp"
#include "causality/model/io.hpp"
#include "suggest.hpp"

namespace causality::cli {

namespace {

using model::value;

model::error bad(const std::string& where, const std::string& key, const std::string& reason) {
  return model::error{where, "/" + key, reason};
}

/// `text` as a value of schema type `type`.
model::expected<value> typed(const std::string& text, const std::string& type, const std::string& key) {
  const std::string where = "--input";
  if (type == "string" || type == "bytes") return value(text);
  if (type == "int" || type == "integer" || type == "uint") {
    errno = 0;
    char* end = nullptr;
    long long v = std::strtoll(text.c_str(), &end, 10);
    if (text.empty() || *end || errno == ERANGE || (type == "uint" && v < 0))
      return bad(where, key, "input_schema wants " + type + ", got '" + text + "'");
    return value(static_cast<std::int64_t>(v));
  }
  if (type == "double" || type == "float" || type == "number") {
    char* end = nullptr;
    double v = std::strtod(text.c_str(), &end);
    if (text.empty() || *end || !std::isfinite(v))
      return bad(where, key, "input_schema wants " + type + ", got '" + text + "'");
    return value(v);
  }
  if (type == "bool" || type == "boolean") {
    if (text == "true") return value(true);
    if (text == "false") return value(false);
    return bad(where, key, "input_schema wants " + type + " (true or false), got '" + text + "'");
  }
  if (type == "null") {
    if (text == "null") return value();
    return bad(where, key, "input_schema wants null, got '" + text + "'");
  }
  auto parsed = domains::remote::from_json(text);  // bounded nesting
  if (type == "any") return parsed ? *parsed : value(text);
  if (!parsed) return bad(where, key, "input_schema wants " + type + " as JSON: " + parsed.err().reason);
  bool ok = (type == "array" || type == "list") ? parsed->is_array() : parsed->is_object();
  if (!ok) return bad(where, key, "input_schema wants " + type + ", got '" + text + "'");
  return *parsed;
}

}  // namespace

model::expected<value> inputs_from_text(const std::string& text, const std::string& file,
                                        const std::map<std::string, std::string>& schema) {
  // Duplicate keys, depth and string length, named with the JSON path.
  if (auto checked = model::parse_json(text, file); !checked) return checked.err();
  auto v = domains::remote::from_json(text);  // bounded nesting
  if (!v) return model::error{file, "", v.err().reason};
  if (!v->is_object()) return model::error{file, "", "must be a JSON object of inputs"};
  if (schema.empty()) return v;  // no schema: any inputs, each of type any
  std::vector<std::string> known;
  for (const auto& [k, t] : schema) known.push_back(k);
  for (const auto& [key, item] : v->as_object()) {
    auto it = schema.find(key);
    if (it == schema.end())
      return bad(file, key, "not in the workflow's input_schema" + did_you_mean(key, known) + " (it has: " +
                                join(known) + ")");
    if (!item.matches(it->second))
      return bad(file, key, "input_schema wants " + it->second + ", got " + item.type_name());
  }
  return v;
}

model::expected<value> build_inputs(const std::vector<std::string>& pairs, const std::string& inputs_file,
                                    const std::map<std::string, std::string>& schema) {
  if (pairs.empty() && inputs_file.empty()) return value();
  value::object obj;
  if (!inputs_file.empty()) {
    auto text = model::read_text_file(inputs_file);
    if (!text) return text.err();
    auto v = inputs_from_text(*text, inputs_file, schema);
    if (!v) return v.err();
    obj = v->as_object();
  }
  for (const auto& kv : pairs) {
    auto eq = kv.find('=');
    if (eq == std::string::npos || eq == 0)
      return model::error{"--input", "", "'" + kv + "' is not key=value"};
    std::string key = kv.substr(0, eq), text = kv.substr(eq + 1);
    std::string type = "any";
    if (!schema.empty()) {
      auto it = schema.find(key);
      if (it == schema.end()) {
        std::string known;
        for (const auto& [k, t] : schema) known += (known.empty() ? "" : ", ") + k;
        return bad("--input", key, "not in the workflow's input_schema (it has: " + known + ")");
      }
      type = it->second;
    }
    auto v = typed(text, type, key);
    if (!v) return v.err();
    obj[key] = *v;
  }
  return value(std::move(obj));
}

bool write_outputs(const std::string& file, const value& outputs) {
  auto text = domains::remote::to_json(outputs.is_null() ? value(value::object{}) : outputs);
  if (!text) {
    std::cerr << "causality: --output " << file << ": " << text.err().reason << "\n";
    return false;
  }
  if (file == "-") {
    std::cout << *text << std::endl;
    if (!std::cout || std::fflush(stdout) != 0 || std::ferror(stdout)) {
      std::cerr << "causality: --output -: standard output: write failed: " << std::strerror(errno) << "\n";
      return false;
    }
    return true;
  }
  std::ofstream out(file, std::ios::binary | std::ios::trunc);
  if (!out) {
    std::cerr << "causality: --output " << file << ": cannot open for writing: " << std::strerror(errno) << "\n";
    return false;
  }
  out << *text << "\n";
  out.close();  // the bytes reach the file here: a full disk shows only now
  if (!out) {
    std::cerr << "causality: --output " << file << ": write failed: " << std::strerror(errno) << "\n";
    return false;
  }
  return true;
}

}  // namespace causality::cli
