#pragma once
// A small, strict parser of the Prometheus text exposition format, written
// independently of the renderer so tests check the renderer against the
// format, not against itself. Throws std::runtime_error on a malformed line.

#include <limits>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace causality::test {

struct sample {
  std::string name;
  std::map<std::string, std::string> labels;
  std::string value_text;
  double value = 0;
};

struct exposition {
  std::map<std::string, std::string> help;
  std::map<std::string, std::string> type;
  std::vector<sample> samples;

  /// The one sample with that name and exactly those labels; throws if not one.
  const sample& get(const std::string& name, const std::map<std::string, std::string>& l = {}) const {
    const sample* found = nullptr;
    for (const auto& s : samples)
      if (s.name == name && s.labels == l) {
        if (found) throw std::runtime_error("duplicate sample " + name);
        found = &s;
      }
    if (!found) throw std::runtime_error("no sample " + name);
    return *found;
  }
  double value(const std::string& name, const std::map<std::string, std::string>& l = {}) const {
    return get(name, l).value;
  }
};

inline bool metric_char(char c, bool first) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':' ||
         (!first && c >= '0' && c <= '9');
}

inline exposition parse_exposition(const std::string& text) {
  exposition out;
  std::size_t pos = 0, line_no = 0;
  auto fail = [&](const std::string& why) {
    throw std::runtime_error("line " + std::to_string(line_no) + ": " + why);
  };
  while (pos < text.size()) {
    auto eol = text.find('\n', pos);
    if (eol == std::string::npos) fail("missing final newline");
    std::string line = text.substr(pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (line.empty()) continue;
    if (line[0] == '#') {
      std::string kind = line.substr(0, 7);
      if (kind != "# HELP " && kind != "# TYPE ") continue;  // plain comment
      auto sp = line.find(' ', 7);
      if (sp == std::string::npos) fail("no text after metric name");
      std::string name = line.substr(7, sp - 7), rest = line.substr(sp + 1);
      if (kind == "# HELP ") {
        std::string h;
        for (std::size_t i = 0; i < rest.size(); ++i) {
          if (rest[i] == '\\' && i + 1 < rest.size()) {
            char n = rest[++i];
            h += n == 'n' ? '\n' : n;
          } else {
            h += rest[i];
          }
        }
        out.help[name] = h;
      } else {
        if (rest != "counter" && rest != "gauge" && rest != "histogram" && rest != "summary" &&
            rest != "untyped")
          fail("bad type " + rest);
        out.type[name] = rest;
      }
      continue;
    }
    sample s;
    std::size_t i = 0;
    while (i < line.size() && metric_char(line[i], i == 0)) ++i;
    if (i == 0) fail("no metric name");
    s.name = line.substr(0, i);
    if (i < line.size() && line[i] == '{') {
      ++i;
      while (i < line.size() && line[i] != '}') {
        std::size_t b = i;
        while (i < line.size() && metric_char(line[i], i == b) && line[i] != ':') ++i;
        std::string lname = line.substr(b, i - b);
        if (lname.empty() || i + 1 >= line.size() || line[i] != '=' || line[i + 1] != '"')
          fail("bad label");
        i += 2;
        std::string v;
        for (;; ++i) {
          if (i >= line.size()) fail("unterminated label value");
          char c = line[i];
          if (c == '"') break;
          if (c == '\\') {
            if (++i >= line.size()) fail("dangling escape");
            char n = line[i];
            if (n == 'n') v += '\n';
            else if (n == '\\' || n == '"') v += n;
            else fail("bad escape");
          } else {
            v += c;
          }
        }
        ++i;  // closing quote
        if (!s.labels.emplace(lname, v).second) fail("duplicate label " + lname);
        if (i < line.size() && line[i] == ',') ++i;
      }
      if (i >= line.size()) fail("unterminated label set");
      ++i;  // '}'
    }
    if (i >= line.size() || line[i] != ' ') fail("no value");
    s.value_text = line.substr(i + 1);
    if (s.value_text == "+Inf") s.value = std::numeric_limits<double>::infinity();
    else if (s.value_text == "-Inf") s.value = -std::numeric_limits<double>::infinity();
    else {
      std::size_t used = 0;
      try {
        s.value = std::stod(s.value_text, &used);
      } catch (...) {
        fail("bad value " + s.value_text);
      }
      if (used != s.value_text.size()) fail("trailing text after value (timestamps unused)");
    }
    out.samples.push_back(s);
  }
  return out;
}

}  // namespace causality::test
