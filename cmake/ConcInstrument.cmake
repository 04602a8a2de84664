# conc_instrument(target): build `target` instrumented for libconcrt.
# Compiles with -fsanitize=thread (clang and gcc emit the same __tsan_* calls)
# and links libconcrt in place of the sanitizer runtime: the sanitizer flag is
# deliberately kept off the link line so neither compiler links its own.
function(conc_instrument target)
  find_package(Threads REQUIRED)
  target_compile_options(${target} PRIVATE -fsanitize=thread -g)
  target_link_libraries(${target} PRIVATE conc::concrt Threads::Threads)
endfunction()
