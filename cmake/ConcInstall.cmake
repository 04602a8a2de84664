# `make install PREFIX=...`: the tools, the runtime library, its headers and
# a CMake package (find_package(conc) -> conc::concrt, conc_instrument()).
include(CMakePackageConfigHelpers)

set(conc_tools conc-lint conc-cc conc-c++ conc-run conc-symbolizer)
foreach(tool ${conc_tools})
  if(TARGET ${tool})
    install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()

install(TARGETS concrt EXPORT concTargets
        LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR})
if(EXISTS ${PROJECT_SOURCE_DIR}/runtime/include)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/runtime/include/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
endif()

set(conc_cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/conc)
install(EXPORT concTargets NAMESPACE conc:: DESTINATION ${conc_cmake_dir})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/concConfig.cmake.in
                              ${PROJECT_BINARY_DIR}/concConfig.cmake INSTALL_DESTINATION ${conc_cmake_dir})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/concConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/concConfig.cmake ${PROJECT_BINARY_DIR}/concConfigVersion.cmake
              ${PROJECT_SOURCE_DIR}/cmake/ConcInstrument.cmake
        DESTINATION ${conc_cmake_dir})
