# The two commands the README starts with. BUILD_DIR and CMAKE_FLAGS may be overridden.
BUILD_DIR ?= build
CMAKE_FLAGS ?=
JOBS ?= $(shell nproc)

.PHONY: demo test build setup asan clean

setup:
	@./scripts/setup

build: setup
	@cmake -S . -B $(BUILD_DIR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD_DIR) -j $(JOBS) -- --no-print-directory

demo: build
	@./scripts/demo $(BUILD_DIR)

# The fuzz smoke run goes first so that ctest's summary is the last thing printed.
test: build
	@./scripts/fuzz-smoke
	@cd $(BUILD_DIR) && ctest --output-on-failure -j $(JOBS) --timeout 300

asan:
	@$(MAKE) test BUILD_DIR=build-asan CMAKE_FLAGS="-DOPENRAS_SANITIZE=ON"

clean:
	rm -rf build build-asan
