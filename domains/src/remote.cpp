// JSON transport of values and the shared secret of a domain cluster.

#include "causality/domains/remote.hpp"

#include "causality/model/io.hpp"
#include "causality/model/printable.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

namespace causality::domains::remote {
namespace {

using json = nlohmann::json;

bool to_j(const value& v, json& out) {
  if (v.is_null()) out = nullptr;
  else if (v.is_bool()) out = v.as_bool();
  else if (v.is_int()) out = v.as_int();
  else if (v.is_double()) out = v.as_double();
  else if (v.is_string()) out = v.as_string();
  else if (v.is_array()) {
    out = json::array();
    for (auto& e : v.as_array()) {
      json j;
      if (!to_j(e, j)) return false;
      out.push_back(std::move(j));
    }
  } else if (v.is_object()) {
    out = json::object();
    for (auto& [k, e] : v.as_object())
      if (!to_j(e, out[k])) return false;
  } else {
    return false;  // a user type (value::of)
  }
  return true;
}

value from_j(const json& j) {
  switch (j.type()) {
    case json::value_t::boolean: return value(j.get<bool>());
    case json::value_t::number_integer: return value(j.get<std::int64_t>());
    case json::value_t::number_unsigned: return value(j.get<std::uint64_t>());
    case json::value_t::number_float: return value(j.get<double>());
    case json::value_t::string: return value(j.get<std::string>());
    case json::value_t::array: {
      value::array a;
      for (auto& e : j) a.push_back(from_j(e));
      return value(std::move(a));
    }
    case json::value_t::object: {
      value::object o;
      for (auto& [k, e] : j.items()) o[k] = from_j(e);
      return value(std::move(o));
    }
    default: return value();
  }
}

}  // namespace

model::expected<std::string> to_json(const value& v) {
  json j;
  if (!to_j(v, j))
    return model::error{"", "", "a value of a user type (value::of) cannot be sent to a remote domain"};
  return j.dump();
}

model::expected<value> from_json(const std::string& text) {
  // model::parse_json bounds the nesting: a deeply nested payload (or an exec
  // node's stdout, or --inputs) is an error, not a stack overflow.
  auto j = model::parse_json(text, "");
  if (!j) return model::error{"", "", "payload is not valid JSON: " + j.err().reason};
  return from_j(*j);
}

std::string hosts_json(const hosts& h) {
  json specs = json::array();
  for (auto& d : h.specs) specs.push_back({{"name", d.name}, {"kind", d.kind}, {"slots", d.slots}, {"speed", d.speed}});
  return json{{"domains", h.domains}, {"node_types", h.node_types}, {"specs", specs}}.dump();
}

model::expected<hosts> parse_hosts(const std::string& text) {
  // Bounded nesting (model::parse_json): the reply comes from the network.
  auto parsed = model::parse_json(text, "");
  if (!parsed || !parsed->is_object()) return model::error{"", "", "handshake reply: not a JSON object"};
  const json& j = *parsed;
  hosts h;
  for (auto [field, out] : {std::pair{"domains", &h.domains}, std::pair{"node_types", &h.node_types}}) {
    auto f = j.find(field);
    if (f == j.end() || !f->is_array()) return model::error{"", std::string("/") + field, "missing or not an array"};
    for (auto& e : *f) {
      if (!e.is_string()) return model::error{"", std::string("/") + field, "not a string"};
      out->push_back(e.get<std::string>());
    }
  }
  auto specs = j.find("specs");
  if (specs == j.end()) return h;  // a server that does not say
  if (!specs->is_array()) return model::error{"", "/specs", "not an array"};
  for (std::size_t i = 0; i < specs->size(); ++i) {
    const auto& e = (*specs)[i];
    const auto at = "/specs/" + std::to_string(i);
    if (!e.is_object()) return model::error{"", at, "not an object"};
    hosted_spec d;
    auto name = e.find("name"), kind = e.find("kind"), slots = e.find("slots"), speed = e.find("speed");
    if (name == e.end() || !name->is_string()) return model::error{"", at + "/name", "missing or not a string"};
    if (kind == e.end() || !kind->is_string()) return model::error{"", at + "/kind", "missing or not a string"};
    if (slots == e.end() || !slots->is_number_unsigned() || slots->get<std::uint64_t>() > 4096)
      return model::error{"", at + "/slots", "missing or not a whole number from 0 to 4096"};
    if (speed == e.end() || !speed->is_number() || !(speed->get<double>() > 0) || speed->get<double>() > 1e3)
      return model::error{"", at + "/speed", "missing or not a number in (0, 1000]"};
    d.name = name->get<std::string>();
    d.kind = kind->get<std::string>();
    d.slots = slots->get<std::uint32_t>();
    d.speed = speed->get<double>();
    h.specs.push_back(std::move(d));
  }
  return h;
}

std::string spec_mismatch(const model::domain_spec& d, const hosts& h) {
  auto it = std::find_if(h.specs.begin(), h.specs.end(), [&](const hosted_spec& s) { return s.name == d.name; });
  if (it == h.specs.end()) return "";
  auto num = [](double x) {
    char b[32];
    std::snprintf(b, sizeof b, "%g", x);
    return std::string(b);
  };
  std::string out;
  auto add = [&](const char* field, const std::string& ours, const std::string& theirs) {
    out += (out.empty() ? "" : "; ") + std::string(field) + ": the platform says " + ours + ", the server " + theirs;
  };
  if (std::abs(it->speed - d.speed) > 1e-9 * std::max(it->speed, d.speed)) add("speed", num(d.speed), num(it->speed));
  if (it->slots != d.slots) add("slots", std::to_string(d.slots), std::to_string(it->slots));
  if (it->kind != model::to_string(d.kind)) add("kind", model::to_string(d.kind), it->kind);
  return out;
}

model::expected<std::string> load_token(const std::string& token_file) {
  std::string tok;
  if (!token_file.empty()) {
    struct stat st {};
    if (::stat(token_file.c_str(), &st) != 0) return model::error{token_file, "", "cannot read the token file"};
    if (st.st_mode & 077) {
      char mode[8];
      std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 0777));
      return model::error{token_file, "",
                          std::string("token file must be readable by its owner only (chmod 600), has mode ") + mode};
    }
    std::ifstream in(token_file);
    std::stringstream ss;
    ss << in.rdbuf();
    tok = ss.str();
  } else if (const char* env = std::getenv("CAUSALITY_TOKEN")) {
    tok = env;
  } else {
    return model::error{"", "", "no cluster token: give --token-file or set CAUSALITY_TOKEN"};
  }
  while (!tok.empty() && (tok.back() == '\n' || tok.back() == '\r' || tok.back() == ' ')) tok.pop_back();
  if (tok.empty()) return model::error{token_file, "", "the cluster token is empty"};
  return tok;
}

namespace {

/// `text` for an error line: at most 80 bytes, control bytes as \xNN.
std::string shown(const std::string& text) { return model::printable(text, 80); }

}  // namespace

model::expected<std::pair<std::string, std::uint16_t>> parse_endpoint(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size())
    return model::error{"", "", "endpoint '" + shown(text) + "' must be host:port"};
  const std::string digits = text.substr(colon + 1);
  bool ok = !digits.empty() && digits.size() <= 5;
  for (char c : digits) ok = ok && c >= '0' && c <= '9';
  const unsigned long port = ok ? std::strtoul(digits.c_str(), nullptr, 10) : 0;
  if (!ok || port == 0 || port > 65535)
    return model::error{"", "", "endpoint '" + shown(text) + "' has no valid port (1-65535)"};
  return std::make_pair(text.substr(0, colon), static_cast<std::uint16_t>(port));
}

}  // namespace causality::domains::remote
