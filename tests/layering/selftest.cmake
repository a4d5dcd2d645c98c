# Proves cmake/check_layers.cmake fails when it should: writes a small tree
# into WORK_DIR with upward includes (project and relative), a file over the
# line limit and an `impl*` in actors/src, expects each to be named, then
# removes them and expects the same tree to pass.
#   cmake -DCHECKER=<check_layers.cmake> -DWORK_DIR=<dir> -P selftest.cmake
cmake_minimum_required(VERSION 3.20)
file(REMOVE_RECURSE ${WORK_DIR})

# Allowed: downward and same-floor includes.
file(WRITE ${WORK_DIR}/model/include/causality/model/types.hpp "#pragma once\n#include <string>\n")
file(WRITE ${WORK_DIR}/strategies/include/causality/strategies/plan.hpp
  "#pragma once\n#include \"causality/model/types.hpp\"\n")
file(WRITE ${WORK_DIR}/domains/include/causality/domains/node.hpp
  "#pragma once\n#include \"causality/strategies/plan.hpp\"\n")
file(WRITE ${WORK_DIR}/domains/server/include/causality/domains/server.hpp "#pragma once\n")
file(WRITE ${WORK_DIR}/observe/include/causality/observe/log.hpp
  "#pragma once\n#include <causality/domains/server.hpp>\n")
file(WRITE ${WORK_DIR}/actors/include/causality/actors/engine.hpp
  "#pragma once\n#include \"causality/observe/log.hpp\"\n")
file(WRITE ${WORK_DIR}/runtime/include/causality/runtime/runtime.hpp
  "#pragma once\n#include \"causality/actors/engine.hpp\"\n")
file(WRITE ${WORK_DIR}/runtime/include/causality/causality.hpp
  "#pragma once\n#include \"causality/runtime/runtime.hpp\"\n")
file(WRITE ${WORK_DIR}/apps/tool/main.cpp "#include <causality/causality.hpp>\nint main() { return 0; }\n")
file(WRITE ${WORK_DIR}/actors/src/messages.hpp "#pragma once\nstruct context {};\n")

# Violations, each with the line the checker must print.
file(WRITE ${WORK_DIR}/model/src/io.cpp
  "// io\n#include <vector>\n\n  #  include \"causality/runtime/runtime.hpp\"\n")
file(WRITE ${WORK_DIR}/domains/server/src/server.cpp
  "#include \"causality/domains/server.hpp\"\n#include \"causality/observe/log.hpp\"\n")
file(WRITE ${WORK_DIR}/observe/src/sink.cpp
  "#include \"../../actors/src/messages.hpp\"\n")
file(WRITE ${WORK_DIR}/actors/src/run.cpp
  "#include \"messages.hpp\"\n#include <causality/causality.hpp>\nvoid run(engine::impl* e);\n")
file(WRITE ${WORK_DIR}/strategies/include/causality/strategies/later.hpp
  "#pragma once\n#include \"causality/actors/not_written_yet.hpp\"\n")
string(REPEAT "int x;\n" 401 _big)
file(WRITE ${WORK_DIR}/strategies/src/big.cpp "${_big}")
set(_expected
  "model/src/io.cpp:4: model includes causality/runtime/runtime.hpp of runtime"
  "domains/server/src/server.cpp:2: domains includes causality/observe/log.hpp of observe"
  "observe/src/sink.cpp:1: observe includes ../../actors/src/messages.hpp of actors"
  "actors/src/run.cpp:2: actors includes causality/causality.hpp of runtime"
  "strategies/include/causality/strategies/later.hpp:2: strategies includes causality/actors/not_written_yet.hpp of actors"
  "strategies/src/big.cpp: 401 lines (over 400)")

function(run_checker mode out_rc out_text)
  execute_process(COMMAND ${CMAKE_COMMAND} -DROOT=${WORK_DIR} -DMODE=${mode} -P ${CHECKER}
                  RESULT_VARIABLE _rc OUTPUT_VARIABLE _out ERROR_VARIABLE _err)
  set(${out_rc} ${_rc} PARENT_SCOPE)
  set(${out_text} "${_out}${_err}" PARENT_SCOPE)
endfunction()

set(_failures "")
run_checker(layers rc text)
message(STATUS "checker on the bad tree (exit ${rc}):\n${text}")
if(rc EQUAL 0)
  list(APPEND _failures "the checker passed a tree with upward includes")
endif()
foreach(line IN LISTS _expected)
  string(FIND "${text}" "${line}\n" pos)
  if(pos EQUAL -1)
    list(APPEND _failures "not reported: ${line}")
  endif()
endforeach()
string(REGEX MATCHALL "[^\n]*: [a-z]+ includes [^\n]*" reported "${text}")
list(LENGTH reported n)
if(NOT n EQUAL 5)
  list(APPEND _failures "expected 5 upward includes, got ${n} (an allowed include was reported?)")
endif()

run_checker(impl rc text)
message(STATUS "checker MODE=impl (exit ${rc}):\n${text}")
if(rc EQUAL 0 OR NOT text MATCHES "actors/src/run.cpp:3: impl\\* in actors/src: void run\\(engine::impl\\* e\\);")
  list(APPEND _failures "MODE=impl did not fail naming actors/src/run.cpp:3")
endif()

# The same tree without the violations passes both modes.
file(REMOVE ${WORK_DIR}/model/src/io.cpp ${WORK_DIR}/observe/src/sink.cpp
     ${WORK_DIR}/strategies/include/causality/strategies/later.hpp ${WORK_DIR}/strategies/src/big.cpp)
file(WRITE ${WORK_DIR}/domains/server/src/server.cpp "#include \"causality/domains/server.hpp\"\n")
file(WRITE ${WORK_DIR}/actors/src/run.cpp "#include \"messages.hpp\"\nvoid run(context& c);\n")
foreach(mode layers impl)
  run_checker(${mode} rc text)
  if(NOT rc EQUAL 0)
    list(APPEND _failures "MODE=${mode} failed on the clean tree:\n${text}")
  endif()
endforeach()

if(_failures)
  string(REPLACE ";" "\n" _failures "${_failures}")
  message(FATAL_ERROR "layering self-test:\n${_failures}")
endif()
message(STATUS "layering self-test: the checker fails on each violation and passes the clean tree")
