# `make install PREFIX=...`: the tools, the runtime library, its headers, a
# CMake package (find_package(conc) -> conc::concrt, conc_instrument(),
# conc_lint()), a pkg-config file (concrt.pc) and a Meson native file.
include(CMakePackageConfigHelpers)

foreach(tool conc-lint conc-cc conc-run conc-symbolizer)
  if(TARGET ${tool})
    install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  endif()
endforeach()
# conc-c++ is conc-cc under another name (it picks the C++ compiler from it).
# The prefix is read at install time so that `--prefix` is honoured.
install(CODE "execute_process(COMMAND \${CMAKE_COMMAND} -E create_symlink conc-cc
  \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/conc-c++)")

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
              ${PROJECT_SOURCE_DIR}/cmake/ConcInstrument.cmake ${PROJECT_SOURCE_DIR}/cmake/ConcLint.cmake
        DESTINATION ${conc_cmake_dir})

# pkg-config finds the prefix from the file's own place, so it is relocatable.
file(RELATIVE_PATH pc_to_prefix /prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig /prefix)
configure_file(${PROJECT_SOURCE_DIR}/cmake/concrt.pc.in ${PROJECT_BINARY_DIR}/concrt.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/concrt.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

# Meson takes its compilers from a native file: `meson setup --native-file
# PREFIX/share/conc/conc-native.ini`. Its paths are the install-time prefix.
install(CODE "file(WRITE \$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_DATADIR}/conc/conc-native.ini
  \"# Meson native file: build with conc's compiler wrappers (instrumented for libconcrt).\n[binaries]\nc = '\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/conc-cc'\ncpp = '\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/conc-c++'\n\")")

# Man pages, and the docs pages reports and findings link to (an installed
# tool links PREFIX/share/doc/conc/{reports,checks}/*.md).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/man/ DESTINATION ${CMAKE_INSTALL_MANDIR}/man1 FILES_MATCHING PATTERN "*.1")
install(DIRECTORY ${PROJECT_SOURCE_DIR}/docs/reports ${PROJECT_SOURCE_DIR}/docs/checks
        DESTINATION ${CMAKE_INSTALL_DOCDIR})
