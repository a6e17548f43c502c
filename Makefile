GO ?= go

.PHONY: test lint vet fmt bench

# test is what CI runs: static checks, then every test with the race detector.
test: lint
	$(GO) test -race -count=1 ./...

lint: vet fmt

vet:
	$(GO) vet ./...

fmt:
	@out=$$(gofmt -l $$(git ls-files '*.go') 2>&1); \
	if [ -n "$$out" ]; then echo "gofmt -l reports unformatted files:"; echo "$$out"; exit 1; fi

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...
