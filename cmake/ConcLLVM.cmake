# The LLVM major version is pinned in cmake/llvm-version (read by
# scripts/install-deps.sh too); everything LLVM-specific derives from it.
file(READ ${CMAKE_CURRENT_LIST_DIR}/llvm-version CONC_LLVM_VERSION)
string(STRIP "${CONC_LLVM_VERSION}" CONC_LLVM_VERSION)
set(CONC_LLVM_ROOT /usr/lib/llvm-${CONC_LLVM_VERSION})
# The compiler the wrappers and the corpus driver use by default.
find_program(CONC_CLANG clang-${CONC_LLVM_VERSION} PATHS ${CONC_LLVM_ROOT}/bin REQUIRED)
find_program(CONC_CLANGXX clang++-${CONC_LLVM_VERSION} PATHS ${CONC_LLVM_ROOT}/bin REQUIRED)
