// Files and JSON text: reading, parsing with line/column, and the
// load_* entry points that chain read -> parse -> convert -> validate.
#include "causality/model/io.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "causality/model/validate.hpp"

namespace causality::model {

using json = nlohmann::json;
namespace fs = std::filesystem;

expected<std::string> read_text_file(const std::string& path) {
  std::error_code ec;
  auto st = fs::status(path, ec);
  if (ec || !fs::exists(st)) {
    if (ec && ec != std::errc::no_such_file_or_directory)
      return error{path, "", "cannot be read: " + ec.message()};
    return error{path, "", "no such file"};
  }
  if (fs::is_directory(st)) return error{path, "", "is a directory, not a file"};
  std::ifstream in(path, std::ios::binary);
  if (!in) return error{path, "", std::string("cannot be read: ") + std::strerror(errno)};
  std::ostringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return error{path, "", "read failed"};
  std::string text = buf.str();
  if (text.empty()) return error{path, "", "file is empty"};
  return text;
}

namespace {

/// 1-based line and column of the 1-based byte offset `byte` in `text`.
std::string line_column(const std::string& text, std::size_t byte) {
  if (byte == 0) byte = 1;
  std::size_t prefix = std::min(byte - 1, text.size());
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < prefix; ++i)
    if (text[i] == '\n') {
      ++line;
      line_start = i + 1;
    }
  return "line " + std::to_string(line) + ", column " + std::to_string(byte - line_start);
}

/// nlohmann's message without its "[json.exception...] parse error at ...: "
/// prefix, on one printable line (the echoed input may hold any byte).
std::string tail_reason(const std::string& what) {
  std::string reason = what;
  if (auto at = what.find("parse error"); at != std::string::npos) {
    if (auto colon = what.find(": ", at); colon != std::string::npos)
      reason = what.substr(colon + 2);
  } else if (auto close = what.find("] "); close != std::string::npos) {
    reason = what.substr(close + 2);
  }
  for (char& c : reason)
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f) c = '?';
  return reason;
}

/// Deepest nesting accepted. Real workflow and platform files nest under ten
/// levels; the bound keeps hostile input (e.g. 50 MB of '[') from costing
/// seconds and gigabytes in the parser before any field is checked.
constexpr std::size_t k_max_depth = 1000;

/// 1-based offset of the first bracket nested deeper than k_max_depth, or 0.
/// Brackets inside strings do not count; the text need not be valid JSON.
std::size_t too_deep_at(const std::string& text) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > k_max_depth) return i + 1;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return 0;
}

}  // namespace

expected<json> parse_json(const std::string& text, const std::string& file) {
  if (auto at = too_deep_at(text))
    return error{file, "",
                 "malformed JSON at " + line_column(text, at) + ": nested deeper than " +
                     std::to_string(k_max_depth) + " levels"};
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based offset of the last character read.
    return error{file, "",
                 "malformed JSON at " + line_column(text, e.byte) + ": " + tail_reason(e.what())};
  } catch (const json::exception& e) {
    // A number too large for a double: nlohmann names the literal, not where
    // it is, so locate its first occurrence.
    std::string what = e.what();
    std::string where;
    auto q1 = what.find('\''), q2 = what.rfind('\'');
    if (q1 != std::string::npos && q2 > q1) {
      auto pos = text.find(what.substr(q1 + 1, q2 - q1 - 1));
      if (pos != std::string::npos) where = " at " + line_column(text, pos + 1);
    }
    return error{file, "", "malformed JSON" + where + ": " + tail_reason(what)};
  }
}

expected<dataflow_definition> workflow_from_json(const json& j, const std::string& file) {
  const bool wfcommons = j.is_object() && j.contains("workflow");
  auto d = wfcommons ? wfcommons_from_json(j, file) : definition_from_json(j, file);
  if (!d) return d;
  if (auto bad = validate_definition(*d, file)) {
    // Validation speaks the project's form; point into the WfCommons file
    // instead: node i is task i, edges come from the tasks' lists.
    if (wfcommons) {
      const std::string tasks = "/workflow/specification/tasks";
      if (bad->path.rfind("/nodes/", 0) == 0) {
        auto end = bad->path.find('/', 7);
        bad->path = tasks + bad->path.substr(6, end == std::string::npos ? end : end - 6);
      } else {
        bad->path = tasks;
      }
    }
    return *bad;
  }
  return d;
}

expected<dataflow_definition> load_workflow_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.err();
  auto j = parse_json(*text, path);
  if (!j) return j.err();
  return workflow_from_json(*j, path);
}

expected<platform> load_platform_file(const std::string& path) {
  auto text = read_text_file(path);
  if (!text) return text.err();
  auto j = parse_json(*text, path);
  if (!j) return j.err();
  auto p = platform_from_json(*j, path);
  if (p && p->name.empty()) p->name = fs::path(path).stem().string();
  return p;
}

}  // namespace causality::model
