# libpinata: `make demo` builds everything and runs the quickstart against a fresh
# emulator (or against Pinata when PINATA_JWT is set); `make test` runs every test.

CARGO ?= cargo
# Every cargo call sees the same value, so build.rs never re-runs needlessly.
export PINATA_HEADER_OUT := $(CURDIR)/target/pinata.h
LIBDIR := $(CURDIR)/target/debug

# `make test` never reaches the internet: no recipe sees the caller's Pinata credentials
# (examples/run-demo.sh runs against the real service when PINATA_JWT is set), except
# `make demo`, whose point is to. `make test-offline` checks it.
CREDENTIALS := PINATA_JWT PINATA_API_KEY PINATA_API_SECRET PINATA_API_URL
unexport $(CREDENTIALS)
$(foreach v,$(CREDENTIALS),$(eval demo: export $(v) := $$($(v))))
CFLAGS_EXAMPLE := -std=c99 -Wall -Wextra -Werror -pedantic -I$(CURDIR)/include

.PHONY: all build release header check fmt-check clippy test test-rust test-c test-cpp \
	test-go test-swift test-install test-examples test-helgrind test-fuzz test-bench-tools \
	test-offline install demo bench clean

all: build

# The SONAME carries major.minor (see build.rs); programs linked against the build
# tree look for that name.
VERSION := $(shell sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -n 1)
SONAME := libpinata.so.$(word 1,$(subst ., ,$(VERSION))).$(word 2,$(subst ., ,$(VERSION)))

build:
	$(CARGO) build --workspace
	ln -sf libpinata.so $(LIBDIR)/$(SONAME)

## Refreshes the committed header from the code.
header: build
	cp target/pinata.h include/pinata.h

fmt-check:
	$(CARGO) fmt --all -- --check

clippy:
	$(CARGO) clippy --workspace --all-targets -- -D warnings

## Static checks: formatting, lints, header freshness, header compiles, exported symbols.
check: build fmt-check clippy
	tests/header_check.sh

test-rust: build
	$(CARGO) test --workspace
	# The 256 MiB-1 GiB kubo vectors, in an optimized build (seconds instead of minutes).
	$(CARGO) test --release -p pinata --test cid_vectors -- --ignored

test-c: build
	tests/c/run.sh all

test-cpp: build
	bindings/cpp/test.sh

test-go: build
	bindings/go/test.sh

## With a Swift toolchain: the symbol check, the XCTests and the Swift quickstart. Without
## one (this machine): every C call of the Swift wrapper checked against the header only,
## and the summary of `make test` says so.
SWIFT := $(shell command -v swift 2>/dev/null)
SWIFT_SUMMARY := $(if $(SWIFT),all suites passed (Swift XCTests included),all other suites \
	passed; Swift: symbols checked, tests not run (no toolchain))
test-swift: $(if $(SWIFT),build)
	bindings/swift/run_swift_tests.sh

## Installs into a temporary prefix and builds the C quickstart with pkg-config,
## linked dynamically and statically, then runs both against the emulator.
test-install: build
	tests/install_check.sh

tests/js-crosscheck/node_modules: tests/js-crosscheck/package-lock.json
	npm ci --prefix tests/js-crosscheck --no-audit --no-fund
	touch $@

## The concurrency test under helgrind (suppressions in tests/c/helgrind.supp), then
## again on a pthread-mutex pool without the pool entries (--check-pool).
test-helgrind: build
	tests/helgrind.sh --check-pool

## A short run of every fuzz target (the release run is in fuzz/README.md).
FUZZ_SECONDS ?= 20
test-fuzz:
	tests/fuzz.sh $(FUZZ_SECONDS)

## render.py's Targets table on the committed and on doctored bench results.
test-bench-tools:
	python3 -m unittest discover -s bench/tools -p 'test_*.py'

## With (bogus) credentials in the environment, the examples still run on the emulator.
test-offline: target/examples/quickstart target/examples/pin_file
	out=$$(PINATA_JWT=bogus-jwt PINATA_API_KEY=bogus PINATA_API_SECRET=bogus \
		PINATA_API_URL=http://127.0.0.1:9 $(MAKE) -s test-examples) && \
		echo "$$out" | grep -q '^(local emulator at http://127\.0\.0\.1:' && \
		echo "test-offline: with PINATA_JWT set, make test-examples still used the emulator"

test: check tests/js-crosscheck/node_modules test-rust test-c test-cpp test-go test-swift test-install \
	test-examples test-helgrind test-fuzz test-bench-tools test-offline
	@echo "make test: $(SWIFT_SUMMARY)"

release:
	$(CARGO) build --release -p pinata
	ln -sf libpinata.so target/release/$(SONAME)

## make install PREFIX=/usr/local [PROFILE=release|debug] [DESTDIR=...]
PREFIX ?= /usr/local
PROFILE ?= release
install: $(if $(filter debug,$(PROFILE)),build,release)
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include
	install -m 755 target/$(PROFILE)/libpinata.so $(DESTDIR)$(PREFIX)/lib/libpinata.so.$(VERSION)
	ln -sf libpinata.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libpinata.so
	install -m 644 target/$(PROFILE)/libpinata.a $(DESTDIR)$(PREFIX)/lib/libpinata.a
	install -m 644 include/pinata.h $(DESTDIR)$(PREFIX)/include/pinata.h
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@VERSION@|$(VERSION)|' pinata.pc.in \
		> $(DESTDIR)$(PREFIX)/lib/pkgconfig/pinata.pc

target/examples/quickstart: examples/c/quickstart.c build
	mkdir -p target/examples
	$(CC) $(CFLAGS_EXAMPLE) $< -o $@ -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lpinata

target/examples/pin_file: examples/c/pin_file.c build
	mkdir -p target/examples
	$(CC) $(CFLAGS_EXAMPLE) $< -o $@ -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lpinata

demo: target/examples/quickstart
	examples/run-demo.sh target/examples/quickstart

## The C example of issue-6 parity (pin a file with metadata, list, unpin).
test-examples: target/examples/quickstart target/examples/pin_file
	examples/run-demo.sh target/examples/quickstart >/dev/null
	cd target/examples && ../../examples/run-demo.sh ./pin_file

bench:
	bench/run.sh

clean:
	$(CARGO) clean
	rm -rf tests/c/bin
