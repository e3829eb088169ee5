# callwire: the commands a fresh Debian 12 machine needs.
#   make run    install packages, build Release, start `callwire serve` (extra flags: ARGS="...")
#   make test   install packages, build, run every test (unit, fuzz corpus replay, SIPp protocol)
#   make bench  build, then run the Google Benchmark binaries
#   make fuzz   libFuzzer targets for FUZZ_SECONDS each (needs clang)
BUILD_DIR    ?= build
JOBS         ?= $(shell nproc)
FUZZ_SECONDS ?= 60
ARGS         ?=
CALLWIRE     := $(BUILD_DIR)/src/cli/callwire
DEMO_ARGS    := --sip-listen 0.0.0.0:5060 --http-listen 127.0.0.1:8080 --data ./var --demo

.PHONY: all deps configure build run test bench fuzz clean

all: build

deps:
	scripts/install-deps

# Re-running cmake is cheap and keeps Release even if the cache was changed.
configure: deps
	cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DCALLWIRE_TESTS=ON -DCALLWIRE_BENCH=ON

build: configure
	ninja -C $(BUILD_DIR) -j$(JOBS)

# Builds only the binary it starts, so the first run does not wait for the tests.
run: configure
	ninja -C $(BUILD_DIR) -j$(JOBS) callwire
	$(CALLWIRE) serve $(DEMO_ARGS) $(ARGS)

test: build
	cd $(BUILD_DIR) && ctest --output-on-failure -j2

# callwire_bench_calls (bench/calls) also starts callwire, a webhook server,
# Kamailio and SIPp on 127.0.0.1 and ramps calls per second (about 15 minutes).
bench: build
	@benches=$$(find $(BUILD_DIR)/bench -type f -name 'callwire_bench_*' -perm -u+x 2>/dev/null | sort); \
	if [ -z "$$benches" ]; then echo "no benchmark binaries under $(BUILD_DIR)/bench"; exit 1; fi; \
	for b in $$benches; do echo "== $$b"; $$b || exit $$?; done

fuzz: deps
	scripts/fuzz $(FUZZ_SECONDS)

clean:
	rm -rf $(BUILD_DIR)
