// The exec node type run directly with a node context: real /bin/sh and
// python3 children, input on stdin, JSON or text output, failures, cancel.
#include <catch2/catch.hpp>

#include <atomic>
#include <future>
#include <thread>

#include "causality/domains/builtins.hpp"

using namespace causality;
using domains::node_context;
using domains::value;

namespace {

struct fixture {
  model::dataflow_node spec;
  model::domain_spec domain;
  domains::workflow_state state{{}, {}};
  std::atomic<bool> run_flag{false}, node_flag{false};

  explicit fixture(std::vector<std::string> argv, std::map<std::string, std::string> env = {}) {
    spec.node_id = "n1";
    spec.node_type = "exec";
    spec.exec = model::exec_spec{std::move(argv), std::move(env), ""};
  }
  value run(const value& in) {
    node_context ctx{spec.node_id, 0, 1, spec, domain, 1.0,
                     domains::cancel_token(&run_flag, &node_flag), state};
    return domains::exec(in, ctx);
  }
};

}  // namespace

TEST_CASE("exec writes the input as JSON to stdin and parses JSON output", "[exec]") {
  fixture f({"/bin/sh", "-c", "read line; echo \"{\\\"got\\\": $line}\""});
  value::object in{{"x", value(std::int64_t{7})}};
  auto out = f.run(value(in));
  REQUIRE(out.is_object());
  CHECK(out.as_object().at("got").as_object().at("x").as_int() == 7);
}

TEST_CASE("exec output that is not JSON is a string without its last newline", "[exec]") {
  fixture f({"/bin/echo", "hello world"});
  auto out = f.run(value());
  REQUIRE(out.is_string());
  CHECK(out.as_string() == "hello world");
}

TEST_CASE("exec passes env to the command", "[exec]") {
  fixture f({"/bin/sh", "-c", "printf '%s' \"$TAG\""}, {{"TAG", "blue"}});
  CHECK(f.run(value()).as_string() == "blue");
}

TEST_CASE("a non-zero exit fails the node with the code and the stderr tail", "[exec]") {
  fixture f({"/bin/sh", "-c", "echo 'no such table' >&2; exit 5"});
  try {
    f.run(value());
    FAIL("no exception");
  } catch (const std::runtime_error& e) {
    CHECK(std::string(e.what()) == "/bin/sh: exit 5: no such table");
  }
}

TEST_CASE("cancelling the node's token kills its process", "[exec]") {
  fixture f({"/bin/sh", "-c", "echo started; exec sleep 1000"});
  auto fut = std::async(std::launch::async, [&] { return f.run(value()); });
  f.node_flag = true;  // as a node timeout does
  REQUIRE(fut.wait_for(std::chrono::seconds(10)) == std::future_status::ready);
  CHECK_THROWS_WITH(fut.get(), "cancelled");
}

TEST_CASE("exec is one of the built-in node types", "[exec]") {
  CHECK(domains::builtin_node_types().count("exec") == 1);
}
