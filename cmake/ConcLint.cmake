# conc_lint(target [ALL] [FAIL_ON note|warning|error] [FORMAT text|json|sarif]
#           [OUTPUT file] [BASELINE file] [ARGS extra conc-lint arguments...])
#
# Adds a target `<target>_conc_lint` that runs conc-lint over `target`'s own
# C and C++ sources with this build's compile commands, so the analysis sees
# exactly the flags, defines and include paths of the real build. With ALL the
# check runs in every build (a CI gate: conc-lint exits 1 on findings at or
# above FAIL_ON, which fails the build).
function(conc_lint target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "ALL" "FAIL_ON;FORMAT;OUTPUT;BASELINE" "ARGS")
  if(NOT TARGET ${target})
    message(FATAL_ERROR "conc_lint: no target named '${target}'")
  endif()
  if(NOT CMAKE_EXPORT_COMPILE_COMMANDS)
    message(FATAL_ERROR "conc_lint: set CMAKE_EXPORT_COMPILE_COMMANDS to ON before the first "
                        "project() so conc-lint can read this build's compile commands")
  endif()
  if(CONC_LINT_EXECUTABLE)
    set(lint ${CONC_LINT_EXECUTABLE})
  elseif(TARGET conc-lint)
    set(lint $<TARGET_FILE:conc-lint>)
  else()
    message(FATAL_ERROR "conc_lint: conc-lint was not found (set CONC_LINT_EXECUTABLE)")
  endif()

  get_target_property(source_dir ${target} SOURCE_DIR)
  get_target_property(sources ${target} SOURCES)
  set(files)
  foreach(source IN LISTS sources)
    if(source MATCHES "\\.(c|cc|cpp|cxx|c\\+\\+|C)$" AND NOT source MATCHES "^\\$<")
      cmake_path(ABSOLUTE_PATH source BASE_DIRECTORY ${source_dir} OUTPUT_VARIABLE file)
      list(APPEND files ${file})
    endif()
  endforeach()
  if(NOT files)
    message(FATAL_ERROR "conc_lint: target '${target}' has no C or C++ sources")
  endif()

  set(command ${lint} -p ${CMAKE_BINARY_DIR})
  if(arg_FAIL_ON)
    list(APPEND command --fail-on=${arg_FAIL_ON})
  endif()
  if(arg_FORMAT)
    list(APPEND command --format=${arg_FORMAT})
  endif()
  if(arg_OUTPUT)
    list(APPEND command --output=${arg_OUTPUT})
  endif()
  if(arg_BASELINE)
    list(APPEND command --baseline=${arg_BASELINE})
  endif()
  list(APPEND command ${arg_ARGS} ${files})

  set(all)
  if(arg_ALL)
    set(all ALL)
  endif()
  add_custom_target(${target}_conc_lint ${all}
    COMMAND ${command}
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    COMMENT "conc-lint: ${target}"
    VERBATIM USES_TERMINAL)
  # The analysis reads generated headers, so it runs after the target's own build steps.
  add_dependencies(${target}_conc_lint ${target})
endfunction()
