# The two commands of the README:
#   make run   - install missing Debian packages, build, start a private swtee
#                stack and run the hello_world example against its TA.
#   make test  - the same set-up, then the whole test suite.
# Also: make bench, make asan, make tsan, make fuzz, make format, make tidy.
# Hardening (docs/fuzzing.md, docs/soak.md):
#   make fuzz        - build every fuzz target (build-fuzz/), nothing else
#   make fuzz-smoke  - run each of them FUZZ_SECONDS on its committed corpus
#   make soak        - 10 minutes of load with kill -9 of TAs, clients and
#                      the supplicant (SOAK_SECONDS, SOAK_PROCS, SOAK_SESSIONS)
#   make soak-ci     - the same for 60 seconds
#   make asan-unit   - the unit tests under ASan + UBSan (fatal), built in
#                      the fuzz tree so they share its sanitized objects
#                      (ASAN_UNIT_EXCLUDE: a ctest -E regex, e.g.
#                      '^Wycheproof', docs/ci.md)
#   make ci          - what .ci/run runs: test, fuzz-smoke, asan-unit
#                      (without Wycheproof), soak-ci
#                      (docs/ci.md: each step and its cost)

PRESET ?= release
BUILD  := build
JOBS   ?= $(shell nproc)

.PHONY: all deps configure build run test bench asan tsan asan-unit fuzz fuzz-smoke soak soak-ci ci format tidy clean

FUZZ_SECONDS  ?= 5
ASAN_UNIT_EXCLUDE ?=
SOAK_SECONDS  ?= 600
SOAK_PROCS    ?= 64
SOAK_SESSIONS ?= 4

all: build

deps:
	@scripts/install-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	@$(BUILD)/bin/swtee run --ta-dir $(BUILD)/ta -- $(BUILD)/bin/optee_example_hello_world

test: build
	@ctest --preset $(PRESET) -j $(JOBS) --timeout 300

bench: build
	@scripts/bench.sh $(BUILD)

asan:
	@$(MAKE) --no-print-directory test PRESET=asan BUILD=build-asan

tsan:
	@$(MAKE) --no-print-directory test PRESET=tsan BUILD=build-tsan

asan-unit: deps
	@cmake --preset fuzz >/dev/null && cmake --build --preset asan-unit -j $(JOBS)
	@ctest --preset asan-unit -j $(JOBS) --timeout 300 $(if $(ASAN_UNIT_EXCLUDE),-E '$(ASAN_UNIT_EXCLUDE)')

fuzz: deps
	@cmake --preset fuzz >/dev/null && cmake --build --preset fuzz -j $(JOBS) --target fuzzers

fuzz-smoke: fuzz
	@scripts/fuzz-smoke.sh build-fuzz $(FUZZ_SECONDS)

soak: build
	@$(BUILD)/bin/swtee-soak --swtee $(BUILD)/bin/swtee --ta-dir $(BUILD)/ta --duration $(SOAK_SECONDS) \
	  --procs $(SOAK_PROCS) --sessions $(SOAK_SESSIONS)

soak-ci:
	@$(MAKE) --no-print-directory soak SOAK_SECONDS=60

ci:
	@scripts/ci.sh

format:
	@git ls-files '*.cc' '*.h' '*.c' | xargs clang-format -i

tidy: build
	@git ls-files 'src/*.cc' | xargs clang-tidy -p $(BUILD) --quiet

clean:
	@rm -rf build build-debug build-asan build-tsan build-fuzz
