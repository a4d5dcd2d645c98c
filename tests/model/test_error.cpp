// The error code carried by model::error: callers branch on it, not on text.
#include <catch2/catch.hpp>

#include <causality/model/error.hpp>
#include <causality/model/fwd.hpp>

using namespace causality::model;

TEST_CASE("error: a brace-initialised error is invalid_input by default", "[model][error]") {
  error e{"f.json", "/nodes/0", "bad"};
  CHECK(e.code == errc::invalid_input);
  CHECK(e.message() == "f.json: /nodes/0: bad");
}

TEST_CASE("error: make_error carries its code and reason through expected", "[model][error]") {
  expected<int> r = make_error(errc::busy, "busy: 1 runs");
  REQUIRE_FALSE(r);
  CHECK(r.err().code == errc::busy);
  CHECK(r.err().message() == "busy: 1 runs");
  CHECK(std::string(to_string(errc::remote_unreachable)) == "remote_unreachable");
  CHECK(std::string(to_string(errc::internal)) == "internal");
}
