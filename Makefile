# The two commands the README starts with. BUILD_DIR and CMAKE_FLAGS may be overridden.
BUILD_DIR ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: demo test build other-builds setup asan clean

setup:
	@./scripts/setup

build: setup
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS) -- --no-print-directory

demo: build
	@./scripts/demo $(BUILD_DIR)

# Warnings are errors in every build type and with both compilers: the libraries and programs
# are also built in Release (GCC at -O3, whose false positives differ) and with clang.
other-builds: setup
	@cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release -DOPENRAS_TESTS=OFF >/dev/null
	@cmake --build build-release -j $(JOBS) -- --no-print-directory >/dev/null
	@CC=clang CXX=clang++ cmake -S . -B build-clang -DOPENRAS_TESTS=OFF >/dev/null
	@cmake --build build-clang -j $(JOBS) -- --no-print-directory >/dev/null
	@echo "other-builds: Release (GCC) and clang build without a warning"

# The fuzz smoke run goes first so that ctest's summary is the last thing printed.
test: build other-builds
	@./scripts/fuzz-smoke
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

asan:
	@$(MAKE) test BUILD_DIR=build-asan CMAKE_FLAGS="-DOPENRAS_SANITIZE=ON"

clean:
	rm -rf build build-asan build-release build-clang
