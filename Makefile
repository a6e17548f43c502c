GO ?= go

# Packages whose generated code is committed: every example, and the
# generator's golden cases (explicit paths: ./... skips testdata). They are
# checked in two runs: a scope vocabulary serves every package of its
# module in a run, and the golden case basic declares one that the
# examples, separate servers each, do not share.
EXAMPLES = ./examples/...
GOLDENS = ./testdata/basic ./testdata/advanced ./testdata/gosdkbasic

.PHONY: test lint vet fmt staticcheck check-generated generate demo bench e2e-deps e2e

# test is what CI runs: static checks, generated code current, then every
# test with the race detector.
test: lint check-generated
	$(GO) test -race -count=1 ./...

lint: vet fmt staticcheck

vet:
	$(GO) vet ./... ./testdata/basic ./testdata/advanced ./testdata/gosdkbasic

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go') 2>&1); \
	if [ -n "$$out" ]; then echo "gofmt -l reports unformatted files:"; echo "$$out"; exit 1; fi

# staticcheck is pinned; .ci/run installs it (go install, into GOPATH/bin).
STATICCHECK_VERSION = v0.8.2
STATICCHECK ?= $(shell $(GO) env GOPATH)/bin/staticcheck
staticcheck:
	@test -x $(STATICCHECK) || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)
	$(STATICCHECK) ./...

# check-generated fails, with a diff, when generated code is stale.
check-generated:
	$(GO) run ./cmd/mcpauthgen -check $(EXAMPLES)
	$(GO) run ./cmd/mcpauthgen -check $(GOLDENS)

generate:
	$(GO) generate ./examples/...
	$(GO) run ./cmd/mcpauthgen $(GOLDENS)

# demo generates the examples, serves one over HTTP with three bearer
# tokens, and tours it as an MCP client.
demo: generate
	$(GO) run ./examples/cmd/demo

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# e2e-deps installs the pinned npm packages of the end-to-end tests (the
# TypeScript MCP SDK client and the MCP conformance suite). The e2e tests
# run it themselves when the packages are missing.
e2e-deps:
	cd e2e/client && npm ci --no-audit --no-fund
	cd e2e/conformance && npm ci --no-audit --no-fund

# e2e runs only the end-to-end tests (they need node >= 20).
e2e: e2e-deps
	$(GO) test -count=1 -v ./e2e
