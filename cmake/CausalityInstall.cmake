# `cmake --install`: headers, every layer library, the CLI and the domain
# server, and a relocatable find_package(causality) config exporting one
# target per layer library (causality::model, ::strategies, ::domains,
# ::domain_server, ::observe, ::actors, ::runtime); its components are those
# layers. Include once, at the end of the top-level CMakeLists.txt, after
# every layer has been added.
include(GNUInstallDirs)
include(CMakePackageConfigHelpers)

set(CAUSALITY_INSTALL_CMAKEDIR ${CMAKE_INSTALL_LIBDIR}/cmake/causality CACHE STRING
    "Where causalityConfig.cmake is installed (relative to the prefix)")

# Only the layer libraries are exported: causality::options (warnings,
# sanitizers) is linked as $<BUILD_INTERFACE:...> and stays internal.
set(_causality_targets "")
set(CAUSALITY_INSTALLED_LAYERS model strategies domains domain_server observe actors runtime)
foreach(layer ${CAUSALITY_INSTALLED_LAYERS})
  set_target_properties(causality_${layer} PROPERTIES EXPORT_NAME ${layer})
  list(APPEND _causality_targets causality_${layer})
endforeach()

# Public headers, one include/ tree per layer folder.
foreach(dir model strategies domains domains/server observe actors runtime)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/${dir}/include/
          DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.hpp")
endforeach()

install(TARGETS ${_causality_targets} EXPORT causalityTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT causalityTargets NAMESPACE causality:: DESTINATION ${CAUSALITY_INSTALL_CMAKEDIR})

install(TARGETS causality_cli causality_domain RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/causalityConfig.cmake.in
  ${PROJECT_BINARY_DIR}/causalityConfig.cmake
  INSTALL_DESTINATION ${CAUSALITY_INSTALL_CMAKEDIR})
# 0.x: a minor release may break the API, so only the same minor matches.
write_basic_package_version_file(${PROJECT_BINARY_DIR}/causalityConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/causalityConfig.cmake
              ${PROJECT_BINARY_DIR}/causalityConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/FindCAF.cmake
        DESTINATION ${CAUSALITY_INSTALL_CMAKEDIR})
