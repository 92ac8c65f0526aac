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

.PHONY: all build release header check fmt-check clippy prereqs test test-rust test-c test-cpp \
	test-go test-swift test-install test-examples test-helgrind test-fuzz test-bench-tools \
	test-offline test-tls install demo bench clean bundled bundled-release test-bundled \
	test-tus test-retrieval

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

## Resumable (TUS) uploads: the emulator suite, tus-js-client and Pinata's SDK against
## the emulator (about 5 s), libpinata against tusd v2 with a kill and a resume (Go
## module tests/tusd; about 15 s after its first build), then the crash test (20 SIGKILLs during 256 MiB uploads,
## each resumed by a new process from the journal; about 70-90 s).
tests/tus-interop/node_modules: tests/tus-interop/package-lock.json
	npm ci --prefix tests/tus-interop --ignore-scripts --no-audit --no-fund
	touch $@

test-tus: build tests/tus-interop/node_modules
	$(CARGO) build -p pinata-emulator
	$(CARGO) test -p pinata --test tus
	tests/tus-interop/run.sh
	tests/tusd/run.sh
	$(CARGO) test -p pinata --test tus_crash -- --ignored --nocapture killed_uploads

test-c: build
	tests/c/run.sh all

test-cpp: build
	bindings/cpp/test.sh

test-go: build
	bindings/go/test.sh

## Issue 17 (perf) alone: the CID-profile learning and batch uploads in Rust and C (the
## suites test-rust, test-c, test-cpp and test-go also run them; about 2 minutes).
.PHONY: test-perf
test-perf: build
	$(CARGO) test -p pinata --test cid_learning
	PINATA_TEST_ONLY=test_cid_profiles tests/c/run.sh all
	PINATA_TEST_ONLY=test_batch tests/c/run.sh all
## Verified retrieval against boxo's gateway serving DAGs boxo imported (tests/retrieval.sh;
## about 30 s once the Go modules of tests/boxo-gateway are in the module cache).
test-retrieval: build
	tests/retrieval.sh

## The C suites and Go tests over HTTPS through nginx (HTTP/2, then HTTP/1.1), and the
## certificate and proxy cases (tests/tls.sh).
test-tls: build
	tests/tls.sh

## With a Swift toolchain: the symbol check, the XCTests and the Swift quickstart. Without
## one (this machine): every C call of the Swift wrapper checked against the header only,
## and the summary of `make test` says so.
SWIFT := $(shell command -v swift 2>/dev/null)
SWIFT_SUMMARY := $(if $(SWIFT),all suites passed (Swift XCTests included),all other suites \
	passed; Swift: symbols checked, tests not run (no toolchain))
test-swift: $(if $(SWIFT),build)
	bindings/swift/run_swift_tests.sh

## Installs into a temporary prefix, builds C, C++, CMake and Go consumers against it
## the way each ecosystem does (pkg-config, find_package, a Go module outside the
## repository), shared and static, and runs them against the emulator.
test-install: build
	tests/install_check.sh

tests/js-crosscheck/node_modules: tests/js-crosscheck/package-lock.json
	npm ci --prefix tests/js-crosscheck --no-audit --no-fund
	touch $@

## Pinata's legacy SDKs (pinata-web3, @pinata/sdk) against the emulator (tests/sdk-legacy).
tests/sdk-legacy/node_modules: tests/sdk-legacy/package-lock.json
	npm ci --prefix tests/sdk-legacy --ignore-scripts --no-audit --no-fund
	touch $@

.PHONY: test-sdk-legacy
test-sdk-legacy: build tests/sdk-legacy/node_modules
	tests/sdk-legacy/run.sh

## Pinata's own npm SDK (pinata 2.5.6, v3 Files API) against a fresh emulator; its
## CIDs are checked against libpinata's (tests/sdk-pinata/run.sh, about 5 s).
tests/sdk-pinata/node_modules: tests/sdk-pinata/package-lock.json
	npm ci --prefix tests/sdk-pinata --ignore-scripts --no-audit --no-fund
	touch $@

.PHONY: test-sdk-pinata
test-sdk-pinata: build tests/sdk-pinata/node_modules
	tests/sdk-pinata/run.sh

## The concurrency test under helgrind (suppressions in tests/c/helgrind.supp), then
## again on a pthread-mutex pool without the pool entries (--check-pool).
test-helgrind: build
	tests/helgrind.sh --check-pool

## A short run of every fuzz target (the release run is in fuzz/README.md).
FUZZ_SECONDS ?= 20
test-fuzz:
	tests/fuzz.sh $(FUZZ_SECONDS)

## What a fresh Debian machine lacks for `make test` (apt packages when run as root,
## otherwise the command to run; rustfmt and clippy).
prereqs:
	tests/prereqs.sh

## render.py's Targets table on the committed and on doctored bench results.
test-bench-tools:
	python3 -m unittest discover -s bench/tools -p 'test_*.py'

## With (bogus) credentials in the environment, the examples still run on the emulator.
test-offline: target/examples/quickstart target/examples/pin_file
	out=$$(PINATA_JWT=bogus-jwt PINATA_API_KEY=bogus PINATA_API_SECRET=bogus \
		PINATA_API_URL=http://127.0.0.1:9 $(MAKE) -s test-examples) && \
		echo "$$out" | grep -q '^(local emulator at http://127\.0\.0\.1:' && \
		echo "test-offline: with PINATA_JWT set, make test-examples still used the emulator"

## The Pinning Service API: the compliance suite (npm, spec mode) and boxo's client (Go)
## against the emulator (tests/c/test_psa.c runs with the other C suites in test-c).
tests/psa-compliance/node_modules: tests/psa-compliance/package-lock.json
	npm ci --prefix tests/psa-compliance --ignore-scripts --no-audit --no-fund
	touch $@

test-psa: build tests/psa-compliance/node_modules
	tests/psa-compliance/run.sh
	tests/psa-boxo/run.sh

test: prereqs check tests/js-crosscheck/node_modules test-rust test-c test-cpp test-go test-swift \
	test-install test-examples test-helgrind test-fuzz test-bench-tools test-offline test-tls test-bundled \
	test-sdk-legacy test-psa test-sdk-pinata test-example-signed-upload \
	test-retrieval test-tus
	@echo "make test: $(SWIFT_SUMMARY)"

release:
	$(CARGO) build --release -p pinata
	ln -sf libpinata.so target/release/$(SONAME)

# Sets the shell variable libs to the system libraries libpinata.a of profile $(1)
# (flavour $(2): empty for the system build, or bundled)
# needs, as rustc reports them. They depend on the build (-lcurl with the system's
# libcurl; -lssl -lcrypto -lz when curl-sys builds its own), so they are asked for,
# never written down. The first call per profile compiles the crate once more as a
# staticlib alone; cargo replays the answer after that.
native_libs = libs=$$($(if $(filter bundled,$(2)),$(BUNDLED_CARGO),$(CARGO)) rustc -q -p pinata --lib \
	--crate-type staticlib $(if $(filter bundled,$(2)),$(BUNDLED_ARGS)) \
	$(if $(filter release,$(1)),--release) -- --print native-static-libs 2>&1 | \
	sed -n 's/^note: native-static-libs: //p') && [ -n "$$libs" ] || \
	{ echo "cargo rustc --print native-static-libs gave no answer" >&2; exit 1; }
# Fills a packaging/ template: $(1) prefix, $(2) libdir, $(3) includedir; the shell
# variable libs holds native_libs.
fill = sed -e 's|@PREFIX@|$(1)|' -e 's|@LIBDIR@|$(2)|' -e 's|@INCLUDEDIR@|$(3)|' \
	-e 's|@VERSION@|$(VERSION)|g' -e 's|@SONAME@|$(SONAME)|g' -e "s|@PRIVATE_LIBS@|$$libs|" \
	-e "s|@PRIVATE_LIBS_CMAKE@|$$(echo $$libs | tr ' ' ';')|" \
	-e "s|@SIZEOF_VOID_P@|$$(( $$(getconf LONG_BIT) / 8 ))|g"

## pkg-config files for the build tree, used by in-repository cgo builds
## (bindings/go -tags pinata_repo / pinata_repo_release) and bindings/go/test.sh.
target/debug/pinata-static.pc: build
target/release/pinata-static.pc: release
target/debug/pinata-static.pc target/release/pinata-static.pc: packaging/pinata-static.pc.in
	$(call native_libs,$(notdir $(@D))); \
		$(call fill,$(CURDIR),$(CURDIR)/$(@D),$(CURDIR)/include) $< > $@

## make install PREFIX=/usr/local [PROFILE=release|debug] [DESTDIR=...]
## Installs the shared and static libraries, pinata.h and the C++ wrapper pinata.hpp,
## pkg-config files (pinata.pc; pinata-static.pc, whose Libs name libpinata.a, for
## cgo) and a CMake package (find_package(pinata), targets pinata::pinata*).
## FLAVOR=bundled installs the self-contained flavour (make bundled) instead; its .pc
## files and CMake package then name no libcurl.
PREFIX ?= /usr/local
PROFILE ?= release
FLAVOR ?= system
CMAKEDIR = $(DESTDIR)$(PREFIX)/lib/cmake/pinata
INSTALL_FROM = $(if $(filter bundled,$(FLAVOR)),target/bundled/$(PROFILE),target/$(PROFILE))
install: $(if $(filter bundled,$(FLAVOR)),$(if $(filter debug,$(PROFILE)),bundled,bundled-release),$(if $(filter debug,$(PROFILE)),build,release))
	$(call native_libs,$(PROFILE),$(FLAVOR)); \
	install -d $(DESTDIR)$(PREFIX)/lib/pkgconfig $(DESTDIR)$(PREFIX)/include $(CMAKEDIR) && \
	install -m 755 $(INSTALL_FROM)/libpinata.so $(DESTDIR)$(PREFIX)/lib/libpinata.so.$(VERSION) && \
	ln -sf libpinata.so.$(VERSION) $(DESTDIR)$(PREFIX)/lib/$(SONAME) && \
	ln -sf $(SONAME) $(DESTDIR)$(PREFIX)/lib/libpinata.so && \
	install -m 644 $(INSTALL_FROM)/libpinata.a $(DESTDIR)$(PREFIX)/lib/libpinata.a && \
	install -m 644 include/pinata.h bindings/cpp/include/pinata.hpp $(DESTDIR)$(PREFIX)/include/ && \
	install -d $(DESTDIR)$(PREFIX)/include/pinata && \
	install -m 644 bindings/cpp/include/pinata/*.hpp $(DESTDIR)$(PREFIX)/include/pinata/ && \
	for f in pinata.pc pinata-static.pc; do \
		$(call fill,$(PREFIX),$${prefix}/lib,$${prefix}/include) packaging/$$f.in \
			> $(DESTDIR)$(PREFIX)/lib/pkgconfig/$$f || exit 1; \
	done && \
	for f in pinataConfig.cmake pinataConfigVersion.cmake; do \
		$(call fill,,,) packaging/$$f.in > $(CMAKEDIR)/$$f || exit 1; \
	done

## The bundled flavour: libcurl (curl-sys' copy), rustls, nghttp2 and zlib compiled
## into libpinata.so and libpinata.a, in target/bundled/{debug,release} so the system
## build's artifacts stay as they are. Its header (target/bundled/pinata.h) is the same.
BUNDLED_DIR := $(CURDIR)/target/bundled
# Its release build is linked whole (fat LTO, one codegen unit) and compiles the TLS
# stack (aws-lc's C, rustls, webpki), nghttp2 and zlib for size: an app carries them,
# and aws-lc's hot paths are assembly. libcurl and libpinata keep full speed. Cargo keys builds on these
# settings, so every bundled cargo call passes the same ones.
# Its libcurl waits with poll(), not select(): curl-sys still defines HAVE_POLL_FINE,
# which curl 8.11 renamed HAVE_POLL, so without this its copy falls back to select() and
# fails ("bad argument") once a program has more than 1024 descriptors open
# (tests/c/test_many_fds.c). Not on Apple hosts, where curl itself avoids poll().
# BUNDLED_CFLAGS (more C flags) and BUNDLED_CONFIG (more cargo --config arguments) are
# for experiments such as bench/bundled_size.sh; the shipped build leaves them empty.
HOST_TRIPLE := $(shell rustc -vV 2>/dev/null | sed -n 's/^host: //p')
BUNDLED_CFLAGS ?=
BUNDLED_CONFIG ?=
BUNDLED_C := $(strip $(if $(findstring apple,$(HOST_TRIPLE)),,-DHAVE_POLL) $(BUNDLED_CFLAGS))
BUNDLED_CARGO := $(if $(BUNDLED_C),CFLAGS_$(subst -,_,$(HOST_TRIPLE))='$(BUNDLED_C)') \
	PINATA_HEADER_OUT=$(BUNDLED_DIR)/pinata.h $(CARGO) \
	--config 'profile.release.lto="fat"' --config 'profile.release.codegen-units=1' \
	--config 'profile.release.package.aws-lc-sys.opt-level="s"' \
	--config 'profile.release.package.rustls.opt-level="s"' \
	--config 'profile.release.package.rustls-webpki.opt-level="s"' \
	--config 'profile.release.package.libnghttp2-sys.opt-level="s"' \
	--config 'profile.release.package.libz-sys.opt-level="s"' $(BUNDLED_CONFIG)
BUNDLED_ARGS := --no-default-features --features bundled --target-dir $(BUNDLED_DIR)
bundled:
	mkdir -p $(BUNDLED_DIR)
	$(BUNDLED_CARGO) build -p pinata $(BUNDLED_ARGS)
	ln -sf libpinata.so $(BUNDLED_DIR)/debug/$(SONAME)

bundled-release:
	mkdir -p $(BUNDLED_DIR)
	$(BUNDLED_CARGO) build -p pinata --release $(BUNDLED_ARGS)
	ln -sf libpinata.so $(BUNDLED_DIR)/release/$(SONAME)

## Its pkg-config file for in-repository static links (tests/bundled_deps.sh, the Go tests).
target/bundled/debug/pinata-static.pc: bundled
target/bundled/release/pinata-static.pc: bundled-release
target/bundled/debug/pinata-static.pc target/bundled/release/pinata-static.pc: packaging/pinata-static.pc.in
	$(call native_libs,$(notdir $(@D)),bundled); \
		$(call fill,$(CURDIR),$(CURDIR)/$(@D),$(CURDIR)/include) $< > $@

## The bundled flavour's checks: only libc-level dependencies, no OpenSSL or libcurl
## symbol imported, the trust-root rule over TLS, and the C, C++ and Go suites.
.PHONY: test-psa
test-bundled: target/bundled/debug/pinata-static.pc build target/debug/pinata-static.pc
	tests/bundled.sh

target/examples/quickstart: examples/c/quickstart.c build
	mkdir -p target/examples
	$(CC) $(CFLAGS_EXAMPLE) $< -o $@ -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lpinata

target/examples/pin_file: examples/c/pin_file.c build
	mkdir -p target/examples
	$(CC) $(CFLAGS_EXAMPLE) $< -o $@ -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lpinata

target/examples/upload_folder: examples/c/upload_folder.c build
	mkdir -p target/examples
	$(CC) $(CFLAGS_EXAMPLE) $< -o $@ -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lpinata

target/examples/signed_upload: examples/c/signed_upload.c build
	mkdir -p target/examples
	$(CC) $(CFLAGS_EXAMPLE) $< -o $@ -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lpinata

## The v3 native-app example: a backend signs an upload URL, the app uploads with it
## alone, the backend lists the private file and links to it.
.PHONY: test-example-signed-upload
test-example-signed-upload: target/examples/signed_upload
	examples/run-demo.sh target/examples/signed_upload >target/examples/signed_upload.out
	grep -q '^app: uploaded .* (CID check: verified)' target/examples/signed_upload.out
	grep -q '^backend: private file .* app note' target/examples/signed_upload.out
	@# The one signed URL printed is the download link (the upload URL never is).
	[ "$$(grep -c 'X-Signature=' target/examples/signed_upload.out)" = 1 ]

demo: target/examples/quickstart
	examples/run-demo.sh target/examples/quickstart

## The C example of issue-6 parity (pin a file with metadata, list, unpin).
test-examples: target/examples/quickstart target/examples/pin_file target/examples/upload_folder
	examples/run-demo.sh target/examples/quickstart >target/examples/quickstart.out
	@# An error line names the HTTP status once: pinata_error_message already holds it.
	grep -q 'PINATA_E_FORBIDDEN: HTTP 403 API_KEY_EXHAUSTED: ' target/examples/quickstart.out
	! grep -E 'HTTP [0-9]{3}.*HTTP [0-9]{3}' target/examples/quickstart.out
	cd target/examples && ../../examples/run-demo.sh ./pin_file
	@# A folder of five files: five pins, then five v3 files, one progress line per file.
	cd target/examples && ../../examples/run-demo.sh ./upload_folder >upload_folder.out && \
		../../examples/run-demo.sh ./upload_folder --v3 >>upload_folder.out
	[ "$$(grep -c '^pinned ' target/examples/upload_folder.out)" = 5 ]
	[ "$$(grep -c '^uploaded ' target/examples/upload_folder.out)" = 5 ]
	[ "$$(grep -c '^progress: ' target/examples/upload_folder.out)" = 10 ]

bench:
	bench/run.sh

clean:
	$(CARGO) clean
	rm -rf tests/c/bin
