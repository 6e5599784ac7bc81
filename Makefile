# pcapframe: the front door. `make demo` and `make test` install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := demo
JOBS ?= $(shell nproc)
PCAPFRAME := build/release/src/pcapframe
SAMPLE := data/sample.pcap

PYTHON ?= python3
VENV := .venv

.PHONY: deps venv build build-dev demo test clean sample format

deps:
	@tools/install-deps.sh

# The project's Python environment, rebuilt only when the requirements change.
venv: $(VENV)/.requirements-stamp
$(VENV)/.requirements-stamp: requirements-dev.txt | deps
	@[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

build: deps
	@[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) | grep -v '^\[' || true
	@test -x $(PCAPFRAME)

build-dev: deps
	@[ -f build/dev/build.ninja ] || cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS) | grep -v '^\[' || true

# The main job on the bundled sample: the capture summary and the lab's questions.
demo: build
	@echo "== pcapframe info $(SAMPLE)"
	@$(PCAPFRAME) info $(SAMPLE)
	@echo
	@echo "== the first DNS frames: pcapframe packets --columns time_normed,ip_src,ip_dst,protocol,length,dns_query,dns_resp"
	@$(PCAPFRAME) packets $(SAMPLE) --columns time_normed,ip_src,ip_dst,protocol,length,dns_query,dns_resp \
	  --format csv | awk -F, 'NR == 1 || $$6 != ""' | head -n 9 | column -s, -t

# Every test: C++ (release, then ASan+UBSan), then the Python suite once it exists.
test: build build-dev venv
	@ctest --preset release -j $(JOBS) --output-on-failure
	@ctest --preset dev -j $(JOBS) --output-on-failure

# Re-record the sample capture (root: network namespaces and packet capture).
sample: deps
	@data/record_sample.sh $(SAMPLE)

format:
	@clang-format-14 -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
