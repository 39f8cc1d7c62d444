# Trading streaming suite: the two commands of the README are `make demo-up` and `make test`.
# Each installs what it needs first (`make setup`), so a fresh Debian machine needs nothing else.

SHELL := /bin/bash
SWIFT ?= swift
# libuv1: the library socketify (uWebSockets), one of `make bench`'s peers, loads.
APT_PACKAGES := libhiredis-dev libnats-dev libssl-dev redis-server redis-tools nats-server pkg-config curl tzdata libuv1
PYTHON ?= python3
TOOLS_VENV := .venv-tools
BENCH_BIN = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: setup build test unit-test conformance demo-up demo-down bench clean

## setup: install the Debian packages and Python tools the build and tests need (idempotent).
setup:
	@missing=""; for p in $(APT_PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "setup: installing$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing; \
	fi
	@if [ ! -x $(TOOLS_VENV)/bin/python ] || ! $(TOOLS_VENV)/bin/python -c 'import nats' 2>/dev/null; then \
		echo "setup: installing nats-py into $(TOOLS_VENV)"; \
		$(PYTHON) -m venv $(TOOLS_VENV) && $(TOOLS_VENV)/bin/pip install --quiet --disable-pip-version-check nats-py; \
	fi

## build: compile every target, tests included (debug).
build: setup
	$(SWIFT) build --build-tests

## test: the whole suite: unit, integration (real redis-server and nats-server started by the
## tests on free loopback ports), process tests, then the Autobahn conformance run.
test: build
	$(SWIFT) test --skip-build --no-parallel
	./scripts/conformance.sh

## unit-test: the Swift tests only.
unit-test: build
	$(SWIFT) test --skip-build --no-parallel

## conformance: Autobahn|Testsuite fuzzing client, cases 1-7, 9, 10; fails on any FAILED case.
conformance: build
	./scripts/conformance.sh

## demo-up: start redis, nats and every service on their default ports (see README).
demo-up: setup
	./scripts/demo.sh up

## demo-down: stop what demo-up started.
demo-down:
	./scripts/demo.sh down

## bench: release-build benchmarks of the hot paths, printed as figures.
bench: setup
	./scripts/bench.sh

clean:
	rm -rf .build .build-* .demo
