# libpinata: `make demo` builds everything and runs the quickstart against a fresh
# emulator (or against Pinata when PINATA_JWT is set); `make test` runs every test.

CARGO ?= cargo
# Every cargo call sees the same value, so build.rs never re-runs needlessly.
export PINATA_HEADER_OUT := $(CURDIR)/target/pinata.h
LIBDIR := $(CURDIR)/target/debug
CFLAGS_EXAMPLE := -std=c99 -Wall -Wextra -Werror -pedantic -I$(CURDIR)/include

.PHONY: all build header check fmt-check clippy test test-rust test-c demo bench clean

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

test-c: build
	tests/c/run.sh all

test: check test-rust test-c
	@echo "make test: all suites passed"

target/examples/quickstart: examples/c/quickstart.c build
	mkdir -p target/examples
	$(CC) $(CFLAGS_EXAMPLE) $< -o $@ -L$(LIBDIR) -Wl,-rpath,$(LIBDIR) -lpinata

demo: target/examples/quickstart
	examples/run-demo.sh target/examples/quickstart

clean:
	$(CARGO) clean
	rm -rf tests/c/bin
