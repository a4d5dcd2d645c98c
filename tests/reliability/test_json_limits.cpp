// Hostile JSON found by the bad-input sweep: nesting is bounded before the
// parser builds anything, with the place of the first too-deep bracket.
#include <catch2/catch.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "causality/model/io.hpp"

using causality::model::parse_json;

TEST_CASE("parse_json accepts nesting up to 64 levels", "[reliability][json]") {
  const std::string text = std::string(64, '[') + std::string(64, ']');
  auto j = parse_json(text, "deep.json");
  REQUIRE(j);
  CHECK(j->is_array());
}

TEST_CASE("parse_json rejects deeper nesting at the first bracket too deep", "[reliability][json]") {
  const std::string text = "{\"a\":\n" + std::string(64, '[') + std::string(64, ']') + "}";
  auto j = parse_json(text, "deep.json");
  REQUIRE_FALSE(j);
  // '{' is level 1 on line 1; the 64th '[' on line 2 is level 65.
  const std::string msg = j.err().message();
  INFO(msg);
  CHECK(msg.rfind("deep.json: ", 0) == 0);
  CHECK(msg.find("nested deeper than 64 levels (at line 2, column 64)") != std::string::npos);
}

TEST_CASE("brackets inside strings do not count as nesting", "[reliability][json]") {
  const std::string text = "{\"name\": \"" + std::string(5000, '[') + "\\\"{{\"}";
  auto j = parse_json(text, "s.json");
  REQUIRE(j);
  CHECK((*j)["name"].get<std::string>().size() == 5003);  // 5000 brackets, a quote, two braces
}
