# Verdicts: `make run` serves the demo, `make test` runs every suite.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# One target directory outside the work tree, shared by every build and CI.
export CARGO_TARGET_DIR ?= $(HOME)/.cache/verdicts-target
# Every debug build (tests, clippy, the debug site) compiles with this flag
# (type-erased views compile faster), so they share one set of artefacts.
DEV_RUSTFLAGS := --cfg erase_components
WASM_BINDGEN_VERSION := 0.2.130
# Binaryen's wasm-opt from npm: Debian's (108) breaks wasm-bindgen's externref
# table ("WebAssembly.Table.set(): Argument 1 is invalid"), so the release
# bundle would not hydrate. It is installed under .tools and found first.
BINARYEN_VERSION := 132.0.0
# esbuild (npm) minifies wasm-bindgen's JS glue for the release site.
ESBUILD_VERSION := 0.28.2
TOOLS_DIR := $(CURDIR)/.tools
# GraphiQL (the API explorer at GET /graphql) and the React it runs on, from
# npm, pinned: the site serves them from its own graphiql/ directory, so the
# explorer loads nothing from a CDN and works offline.
GRAPHIQL_VERSION := 4.1.2
REACT_VERSION := 18.3.1
GRAPHIQL_NPM := $(TOOLS_DIR)/graphiql
export PATH := $(TOOLS_DIR)/node_modules/.bin:$(PATH)
# The debug site (pkg/ with WASM, JS, CSS; public/) that tests serve.
SITE_ROOT := $(CURDIR)/target/site
export LEPTOS_SITE_ROOT := $(SITE_ROOT)

# The release WASM, JS glue and CSS (size-optimised, as `make run` serves
# them), which Lighthouse measures; the debug server serves them in tests.
SITE_RELEASE_ROOT := $(CURDIR)/target/site-release
WASM_OPT_FEATURES := --enable-bulk-memory --enable-nontrapping-float-to-int \
  --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals

.PHONY: help tools graphiql site site-release server-release run test bench schema check fmt

help:
	@echo "make run     install what is missing, build (release), serve the demo on http://127.0.0.1:3000"
	@echo "make test    every test suite (CI=true: skip nothing)"
	@echo "make bench   the benchmark suite (release server under wrk): writes bench/REPORT.md"
	@echo "make schema  rewrite schema.graphql from the live schema (review the diff)"
	@echo "make check   rustfmt and clippy"

tools: ## Installs the wasm32 target, wasm-bindgen and wasm-opt (Binaryen, from npm) when missing.
	@rustup target list --installed | grep -qx wasm32-unknown-unknown \
	  || rustup target add wasm32-unknown-unknown
	+@wasm-bindgen --version 2>/dev/null | grep -q "$(WASM_BINDGEN_VERSION)" \
	  || CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16 \
	     cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --target-dir $(CARGO_TARGET_DIR)/tools
	@wasm-opt --version 2>/dev/null | grep -q "version $(firstword $(subst ., ,$(BINARYEN_VERSION)))" \
	  || npm install --prefix $(TOOLS_DIR) --no-audit --no-fund --no-save binaryen@$(BINARYEN_VERSION) esbuild@$(ESBUILD_VERSION) >/dev/null \
	  || { echo "wasm-opt is missing: install Node.js and npm (npm installs Binaryen $(BINARYEN_VERSION))"; exit 1; }
	@esbuild --version 2>/dev/null | grep -qx "$(ESBUILD_VERSION)" \
	  || npm install --prefix $(TOOLS_DIR) --no-audit --no-fund --no-save binaryen@$(BINARYEN_VERSION) esbuild@$(ESBUILD_VERSION) >/dev/null \
	  || { echo "esbuild is missing: install Node.js and npm (npm installs esbuild $(ESBUILD_VERSION))"; exit 1; }

graphiql: ## Installs GraphiQL, React and ReactDOM (pinned, from npm) when missing.
	@grep -qs '"version": "$(GRAPHIQL_VERSION)"' $(GRAPHIQL_NPM)/node_modules/graphiql/package.json \
	  && grep -qs '"version": "$(REACT_VERSION)"' $(GRAPHIQL_NPM)/node_modules/react-dom/package.json \
	  || npm install --prefix $(GRAPHIQL_NPM) --no-audit --no-fund --no-save \
	     graphiql@$(GRAPHIQL_VERSION) react@$(REACT_VERSION) react-dom@$(REACT_VERSION) >/dev/null \
	  || { echo "GraphiQL is missing: install Node.js and npm (npm installs graphiql $(GRAPHIQL_VERSION))"; exit 1; }

# The explorer's files into a site: $(1) its root (public/graphiql/ holds our page script).
define copy_graphiql
	mkdir -p $(1)/graphiql
	cp $(GRAPHIQL_NPM)/node_modules/react/umd/react.production.min.js \
	  $(GRAPHIQL_NPM)/node_modules/react-dom/umd/react-dom.production.min.js \
	  $(GRAPHIQL_NPM)/node_modules/graphiql/graphiql.min.js \
	  $(GRAPHIQL_NPM)/node_modules/graphiql/graphiql.min.css \
	  $(1)/graphiql/
endef

# The debug site (one bundle with every island) and the debug server the
# process tests start: the same pipeline as the release bundles, unoptimised.
site: tools graphiql
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo build -p app --lib --target wasm32-unknown-unknown \
	  --no-default-features --features "hydrate admin"
	rm -rf $(SITE_ROOT) && mkdir -p $(SITE_ROOT)/pkg
	wasm-bindgen --target web --no-typescript --debug --out-dir $(SITE_ROOT)/pkg --out-name verdicts \
	  $(CARGO_TARGET_DIR)/wasm32-unknown-unknown/debug/app.wasm
	mv $(SITE_ROOT)/pkg/verdicts_bg.wasm $(SITE_ROOT)/pkg/verdicts.wasm
	cp style/main.css $(SITE_ROOT)/pkg/verdicts.css
	cp -R public/. $(SITE_ROOT)/
	$(call copy_graphiql,$(SITE_ROOT))
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo build -p server

# One release bundle: $(1) its name, $(2) the app's features.
define release_bundle
	+RUSTFLAGS= cargo build -p app --lib --target wasm32-unknown-unknown --profile wasm-release \
	  --no-default-features --features "$(2)"
	wasm-bindgen --target web --no-typescript --out-dir $(SITE_RELEASE_ROOT)/pkg --out-name $(1) \
	  $(CARGO_TARGET_DIR)/wasm32-unknown-unknown/wasm-release/app.wasm
	wasm-opt -Oz $(WASM_OPT_FEATURES) $(SITE_RELEASE_ROOT)/pkg/$(1)_bg.wasm -o $(SITE_RELEASE_ROOT)/pkg/$(1).wasm
	rm $(SITE_RELEASE_ROOT)/pkg/$(1)_bg.wasm
	esbuild $(SITE_RELEASE_ROOT)/pkg/$(1).js --minify --format=esm --log-level=warning \
	  --outfile=$(SITE_RELEASE_ROOT)/pkg/$(1).min.js
	mv $(SITE_RELEASE_ROOT)/pkg/$(1).min.js $(SITE_RELEASE_ROOT)/pkg/$(1).js
endef

# Two bundles: the readers' islands (every public page loads only these),
# and the editors' (`/admin` pages) with the forms too.
site-release: tools graphiql
	rm -rf $(SITE_RELEASE_ROOT) && mkdir -p $(SITE_RELEASE_ROOT)/pkg
	$(call release_bundle,verdicts,hydrate)
	$(call release_bundle,verdicts-admin,hydrate admin)
	cp style/main.css $(SITE_RELEASE_ROOT)/pkg/verdicts.css
	cp -R public/. $(SITE_RELEASE_ROOT)/
	$(call copy_graphiql,$(SITE_RELEASE_ROOT))

# The release server; `+`: cargo shares make's job slots (`make -j2`).
server-release:
	+RUSTFLAGS= cargo build --release -p server

# The bundles and the server build side by side, sharing two job slots: the
# server compiles while wasm-bindgen installs and the bundles link.
run:
	+$(MAKE) --no-print-directory -j2 site-release server-release
	LEPTOS_SITE_ROOT=$(SITE_RELEASE_ROOT) $(CARGO_TARGET_DIR)/release/verdicts serve

test: site site-release
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
	  echo "Node: $$(node --version) (graphql-http audit, axe-core, Lighthouse)"; \
	  [ -d tests/graphql-http/node_modules/@graphql-codegen/cli ] \
	    || npm ci --prefix tests/graphql-http --no-audit --no-fund >/dev/null \
	    || skipped+=("graphql-http audit (npm ci failed)"); \
	  [ -d tests/quality/node_modules/lighthouse ] \
	    || npm ci --prefix tests/quality --no-audit --no-fund >/dev/null \
	    || skipped+=("axe-core and Lighthouse audits (npm ci failed)"); \
	else \
	  skipped+=("graphql-http audit (node or npm is not installed)"); \
	fi; \
	if [ "$$ci" = true ] && [ $${#skipped[@]} -gt 0 ]; then \
	  printf 'CI=true and a suite would be skipped: %s\n' "$${skipped[@]}"; exit 1; \
	fi; \
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test --workspace --exclude app --no-fail-fast; status=$$?; \
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test -p app --features ssr --lib || status=1; \
	while IFS= read -r line; do skipped+=("$$line"); done < <(sort -u "$$VERDICTS_SKIP_LOG"); \
	rm -f "$$VERDICTS_SKIP_LOG"; \
	echo "== Summary"; \
	if [ $${#skipped[@]} -gt 0 ]; then printf 'SKIPPED: %s\n' "$${skipped[@]}"; else echo "No suite was skipped."; fi; \
	exit $$status

# Never part of `make test`. BENCH_ARGS="--smoke" tries it out in a minute;
# BENCH_PG=1 adds PostgreSQL. perf profiles the workloads that miss their
# targets (BENCH_PROFILE=0: not).
bench: tools site-release server-release
	@command -v wrk >/dev/null && command -v brotli >/dev/null && command -v perf >/dev/null || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get install -y -q wrk brotli linux-perf >/dev/null || { apt-get update -q && apt-get install -y -q wrk brotli linux-perf; }; \
	  else echo "install wrk, brotli and perf (apt-get install wrk brotli linux-perf)"; exit 1; fi; }
	RUSTFLAGS= cargo run --release -p bench -- $(BENCH_ARGS)

schema:
	UPDATE_SCHEMA=1 RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo test -p tests --test api committed_schema_graphql_equals_the_live_schema

check:
	cargo fmt --all -- --check
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy --workspace --exclude app --all-targets -- -D warnings
	RUSTFLAGS="$(DEV_RUSTFLAGS)" cargo clippy -p app --features hydrate --target wasm32-unknown-unknown -- -D warnings
