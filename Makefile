# Verdicts: `make run` serves the demo, `make test` runs every suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# One target directory outside the work tree, shared by every build and CI.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/verdicts-target
# cargo-leptos' debug builds compile with this flag; every debug build here
# uses it too, so tests, clippy and the site share one set of artefacts.
DEV_RUSTFLAGS := --cfg erase_components
CARGO_LEPTOS_VERSION := 0.3.10
WASM_BINDGEN_VERSION := 0.2.130
# cargo-leptos writes the site (pkg/ with WASM, JS, CSS; public/) here.
SITE_ROOT := $(CURDIR)/target/site
export LEPTOS_SITE_ROOT := $(SITE_ROOT)

.PHONY: help tools site run test schema check fmt

help:
	@echo "make run     install what is missing, build (release), serve the demo on http://127.0.0.1:3000"
	@echo "make test    every test suite (CI=true: skip nothing)"
	@echo "make schema  rewrite schema.graphql from the live schema (review the diff)"
	@echo "make check   rustfmt and clippy"

tools: ## Installs the wasm32 target, cargo-leptos, wasm-bindgen and wasm-opt when missing.
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	@cargo leptos --version 2>/dev/null | grep -q "$(CARGO_LEPTOS_VERSION)" \
	  || CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	     cargo install cargo-leptos --version $(CARGO_LEPTOS_VERSION) --locked
	@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" \
	  || CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	     cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION)
	@command -v wasm-opt >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q binaryen >/dev/null || { apt-get update -q && apt-get install -y -q binaryen; }; \
	  else echo "wasm-opt is missing: install binaryen (apt-get install binaryen)"; exit 1; fi; }

site: tools ## The debug site (WASM + CSS) that the browser tests load.
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo leptos build

run: tools
	cargo leptos build --release
	$(CARGO_TARGET_DIR)/release/verdicts serve

test: site
	@set -uo pipefail; \
	ci=$${CI:-}; skipped=(); \
	export VERDICTS_SKIP_LOG=$$(mktemp); \
	echo "== Services"; \
	if timeout 2 bash -c '</dev/tcp/127.0.0.1/5432' 2>/dev/null; then \
	  echo "PostgreSQL: something listens on 127.0.0.1:5432"; \
	else \
	  skipped+=("PostgreSQL tests (nothing listens on 127.0.0.1:5432)"); \
	fi; \
	if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then \
	  echo "Chromium: $$(chromium --version 2>/dev/null | head -n1)"; \
	else \
	  skipped+=("browser suite (chromium or chromedriver is not installed)"); \
	fi; \
	if command -v node >/dev/null && command -v npm >/dev/null; then \
	  echo "Node: $$(node --version) (graphql-http audit)"; \
	  [ -d tests/graphql-http/node_modules/graphql-http ] \
	    || npm ci --prefix tests/graphql-http --no-audit --no-fund >/dev/null \
	    || skipped+=("graphql-http audit (npm ci failed)"); \
	else \
	  skipped+=("graphql-http audit (node or npm is not installed)"); \
	fi; \
	if [ "$$ci" = true ] && [ $${#skipped[@]} -gt 0 ]; then \
	  printf 'CI=true and a suite would be skipped: %s\n' "$${skipped[@]}"; exit 1; \
	fi; \
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test --workspace --exclude app; status=$$?; \
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test -p app --features ssr --lib || status=1; \
	while IFS= read -r line; do skipped+=("$$line"); done < <(sort -u "$$VERDICTS_SKIP_LOG"); \
	rm -f "$$VERDICTS_SKIP_LOG"; \
	echo "== Summary"; \
	if [ $${#skipped[@]} -gt 0 ]; then printf 'SKIPPED: %s\n' "$${skipped[@]}"; else echo "No suite was skipped."; fi; \
	exit $$status

schema:
	UPDATE_SCHEMA=1 RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test -p tests --test api committed_schema_graphql_equals_the_live_schema

check:
	cargo fmt --all -- --check
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --workspace --exclude app --all-targets -- -D warnings
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
