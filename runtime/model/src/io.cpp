// Files and JSON text: reading, parsing with line/column, and the
// load_* entry points that chain read -> parse -> convert -> validate.
#include "causality/model/io.hpp"

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

expected<json> parse_json(const std::string& text, const std::string& file) {
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // e.byte is the 1-based offset of the last character read.
    std::size_t byte = e.byte == 0 ? 1 : e.byte;
    std::size_t prefix = std::min(byte - 1, text.size());
    std::size_t line = 1, line_start = 0;
    for (std::size_t i = 0; i < prefix; ++i)
      if (text[i] == '\n') {
        ++line;
        line_start = i + 1;
      }
    std::size_t column = byte - line_start;
    // Keep nlohmann's reason, dropping its "[json.exception...] parse error at ...: " prefix.
    std::string what = e.what();
    std::string reason = what;
    if (auto at = what.find("parse error"); at != std::string::npos) {
      if (auto colon = what.find(": ", at); colon != std::string::npos)
        reason = what.substr(colon + 2);
    }
    for (char& c : reason)
      if (c == '\n' || c == '\r') c = ' ';
    return error{file, "",
                 "malformed JSON at line " + std::to_string(line) + ", column " +
                     std::to_string(column) + ": " + reason};
  }
}

expected<dataflow_definition> workflow_from_json(const json& j, const std::string& file) {
  auto d = j.is_object() && j.contains("workflow") ? wfcommons_from_json(j, file)
                                                   : definition_from_json(j, file);
  if (!d) return d;
  if (auto bad = validate_definition(*d, file)) return *bad;
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
