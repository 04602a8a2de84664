# Thin front-end: dependencies, CMake presets, ctest and the corpus scorer.
# `make demo` and `make test` do all the set-up on a fresh Debian 12 machine.
BUILD   := build
PREFIX  ?= /usr/local
JOBS    ?= $(shell nproc)
FUZZ_SECONDS ?= 600
LLVM    := $(shell tr -d '[:space:]' < cmake/llvm-version)
SOURCES  = $(shell git ls-files 'analyzer/*.cpp' 'analyzer/*.h' 'runtime/*.cpp' 'runtime/*.h' \
                                'tests/unit/*.cpp' 'tests/analyzer/*.cpp' 'tests/analyzer/*.h')

.PHONY: all deps bench-deps configure build demo test score bench bench-lint fuzz format lint install clean

all: build

deps:
	@scripts/install-deps.sh

bench-deps:
	@scripts/install-deps.sh --bench

configure: deps
	@test -f $(BUILD)/build.ninja || cmake --preset default

build: configure
	@cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(BUILD)

test: build
	@ctest --test-dir $(BUILD) --output-on-failure -j $(JOBS)

score: build
	@python3 tests/corpus/corpus.py score --bin $(BUILD)/bin --clang clang-$(LLVM) --jobs $(JOBS) --output docs/scoreboard.md --cache $(BUILD)/score-cache

bench: build bench-deps
	@python3 bench/run.py --bin $(BUILD)/bin --clangxx clang++-$(LLVM) $(BENCH_ARGS)

bench-lint: build bench-deps
	@bench/fetch-sources.sh && python3 bench/lint.py --bin $(BUILD)/bin

fuzz: deps
	@scripts/fuzz.sh $(FUZZ_SECONDS)

format: deps
	@clang-format-$(LLVM) -i $(SOURCES)

lint: build
	@clang-tidy-$(LLVM) -p $(BUILD) --quiet $(filter %.cpp,$(SOURCES))

install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

clean:
	@rm -rf $(BUILD)
