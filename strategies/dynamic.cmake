target_sources(causality_strategies PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/src/dynamic/monitor_state.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dynamic/perf_model.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dynamic/adaptive_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dynamic/demand_forecast.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dynamic/balancing_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/src/dynamic/replan_policy.cpp)
