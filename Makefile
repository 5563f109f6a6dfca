# Shipshape — the two commands a newcomer needs are `make demo` and `make test`.
# Every target is idempotent; state and logs stay in .demo/, .test-env/ and .tools/.

SHELL := bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
export PATH := $(if $(shell command -v swift),,/opt/swift/usr/bin:)$(PATH)

.PHONY: help setup build test demo bench lint format systemd-lab clean

help: ## Show this help
	@printf 'Usage: make TARGET\n\n'
	@grep -E '^[a-z][a-z-]*:.*## ' $(MAKEFILE_LIST) | \
		awk 'BEGIN { FS = ":.*## " } { printf "  %-12s %s\n", $$1, $$2 }'

setup: ## Install what is missing (apt packages, moto in .tools/venv)
	scripts/setup.sh

build: setup ## Build the shipshape binary (debug; SHIPSHAPE_BUILD=release for release)
	swift build -c $${SHIPSHAPE_BUILD:-debug} --product shipshape
	@echo "built $$(swift build -c $${SHIPSHAPE_BUILD:-debug} --show-bin-path)/shipshape"

test: ## Install, start dockerd, build, run every test and check (what CI runs)
	scripts/test.sh

demo: ## Run Shipshape against a local config repo, registry and moto (Ctrl-C stops)
	scripts/demo.sh

bench: setup ## Run the benchmarks in Benchmarks/ (release build)
	scripts/bench.sh

lint: ## Check formatting of Sources and Tests with swift format (.swift-format)
	swift format lint --recursive --strict --parallel Sources Tests Package.swift

format: ## Format Sources and Tests in place with swift format
	swift format format --in-place --recursive --parallel Sources Tests Package.swift

systemd-lab: ## Run deploy/systemd/shipshape.service under a real systemd in a container (BINARY=path for a real build)
	scripts/systemd-lab.sh $(if $(BINARY),--binary $(BINARY))

clean: ## Stop what the scripts started and remove .demo/ and .test-env/ (keeps .build/, .tools/)
	scripts/clean.sh
