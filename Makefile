# pcapframe: the front door. `make demo` and `make test` install what is missing first.
SHELL := /bin/bash
.DEFAULT_GOAL := demo
JOBS ?= $(shell nproc)
PCAPFRAME := build/release/src/pcapframe
SAMPLE := data/sample.pcap

PYTHON ?= python3
VENV := .venv

.PHONY: deps venv venv-pandas2 python build build-dev demo test clean sample format

deps:
	@tools/install-deps.sh

# The project's Python environment, rebuilt only when the requirements change.
venv: $(VENV)/.requirements-stamp
$(VENV)/.requirements-stamp: requirements-dev.txt | deps
	@[ -x $(VENV)/bin/python ] || $(PYTHON) -m venv $(VENV)
	@$(VENV)/bin/pip install -q --disable-pip-version-check -r requirements-dev.txt
	@touch $@

# A second environment with the last pandas 2.2, so the Python tests also run under pandas 2.
VENV_PANDAS2 := .venv-pandas2
venv-pandas2: $(VENV_PANDAS2)/.requirements-stamp
$(VENV_PANDAS2)/.requirements-stamp: requirements-pandas2.txt | deps
	@[ -x $(VENV_PANDAS2)/bin/python ] || $(PYTHON) -m venv $(VENV_PANDAS2)
	@$(VENV_PANDAS2)/bin/pip install -q --disable-pip-version-check -r requirements-pandas2.txt
	@touch $@

# The Python package (`pip install .`: scikit-build-core + nanobind), built once into a wheel
# and installed into .venv (and, for the tests, the same wheel into .venv-pandas2); redone
# only when a C++ or Python source changed.
PY_WHEELS := build/python/dist
PY_SOURCES := pyproject.toml CMakeLists.txt $(shell find cmake include src python -type f \
  ! -name '*.so' ! -name '*.pyc' 2>/dev/null)
python: $(VENV)/.pcapframe-stamp
$(VENV)/.pcapframe-stamp: $(PY_SOURCES) $(VENV)/.requirements-stamp
	@echo "== building the pcapframe Python package"
	@rm -rf $(PY_WHEELS)
	@CMAKE_BUILD_PARALLEL_LEVEL=$(JOBS) $(VENV)/bin/pip wheel -q --disable-pip-version-check \
	  --no-build-isolation --no-deps -w $(PY_WHEELS) -C build-dir=build/python/cmake .
	@$(VENV)/bin/pip install -q --disable-pip-version-check --no-deps --force-reinstall \
	  $(PY_WHEELS)/pcapframe-*.whl
	@touch $@
$(VENV_PANDAS2)/.pcapframe-stamp: $(VENV)/.pcapframe-stamp $(VENV_PANDAS2)/.requirements-stamp
	@$(VENV_PANDAS2)/bin/pip install -q --disable-pip-version-check --no-deps --force-reinstall \
	  $(PY_WHEELS)/pcapframe-*.whl
	@touch $@

build: deps
	@[ -f build/release/build.ninja ] || cmake --preset release >/dev/null
	@cmake --build --preset release -j $(JOBS) | grep -v '^\[' || true
	@test -x $(PCAPFRAME)

build-dev: deps
	@[ -f build/dev/build.ninja ] || cmake --preset dev >/dev/null
	@cmake --build --preset dev -j $(JOBS) | grep -v '^\[' || true

# The main job on the bundled sample: the capture summary and the lab's questions.
demo: build python
	@echo "== pcapframe info $(SAMPLE)"
	@$(PCAPFRAME) info $(SAMPLE)
	@echo
	@echo "== the first DNS frames: pcapframe packets --columns time_normed,ip_src,ip_dst,protocol,length,dns_query,dns_resp"
	@$(PCAPFRAME) packets $(SAMPLE) --columns time_normed,ip_src,ip_dst,protocol,length,dns_query,dns_resp \
	  --format csv | awk -F, 'NR == 1 || $$6 != ""' | head -n 9 | column -s, -t
	@echo
	@echo "== Python: df = pcapframe.pcap_to_pandas('$(SAMPLE)'); bytes per destination"
	@$(VENV)/bin/python -c "import pcapframe; df = pcapframe.pcap_to_pandas('$(SAMPLE)'); \
	  print(df.groupby('ip_dst')['length'].agg(['sum', 'count']).sort_values('sum', ascending=False).head(5))"

# Every test: C++ (release, then ASan+UBSan), then the Python suite once it exists.
# The pandas 2.2 run has the same 15-minute limit as ctest's pytest suites: a hang fails.
test: build build-dev venv python $(VENV_PANDAS2)/.pcapframe-stamp
	@ctest --preset release -j $(JOBS) --output-on-failure
	@ctest --preset dev -j $(JOBS) --output-on-failure
	@echo "== Python tests under pandas 2.2 ($(VENV_PANDAS2))"
	@PCAPFRAME_CLI=$(PCAPFRAME) timeout -k 10 900 $(VENV_PANDAS2)/bin/python -m pytest -q \
	  -p no:cacheprovider tests/python tests/parity
	@$(MAKE) --no-print-directory fuzz-smoke

# The libFuzzer targets (clang, ASan + UBSan; docs/FUZZING.md). fuzz-smoke, part of `make test`:
# FUZZ_SMOKE_SECONDS of each target, two at a time, and a replay of tests/regressions/.
# `make fuzz FUZZ_SECONDS=600 FUZZ_JOBS=2`: the long runs, growing fuzz/corpus/ (kept).
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SECONDS ?= 600
FUZZ_JOBS ?= 1
.PHONY: fuzz-build fuzz-smoke fuzz
fuzz-build: deps
	@cmake --preset fuzz -DPCAPFRAME_FUZZ_SMOKE_SECONDS=$(FUZZ_SMOKE_SECONDS) >/dev/null
	@cmake --build --preset fuzz -j $(JOBS) >build/fuzz/build.log 2>&1 || { cat build/fuzz/build.log; exit 1; }
fuzz-smoke: fuzz-build
	@echo "== fuzz smoke: $(FUZZ_SMOKE_SECONDS) s per target, and the regression corpus"
	@ctest --test-dir build/fuzz/fuzz -j 2 --output-on-failure
fuzz: deps
	@fuzz/run.sh -s $(FUZZ_SECONDS) -j $(FUZZ_JOBS)

# Re-record the sample capture (root: network namespaces and packet capture).
sample: deps
	@data/record_sample.sh $(SAMPLE)

# Performance targets against capinfos, tshark and cat: rewrites docs/BENCHMARKS.md.
.PHONY: bench
bench: deps
	@bench/compare.sh

# pcap_to_pandas against the lab's scapy method and a dpkt loop, and its peak memory:
# rewrites the "Python" section of docs/BENCHMARKS.md (between its markers) only.
.PHONY: bench-python
bench-python: python
	@$(VENV)/bin/python bench/python_bench.py

# The analyses against tshark (flows --bidirectional vs -z conv,tcp) and the pandas group-by
# (top vs pcap_to_pandas + groupby): rewrites the "Analyses" section of docs/BENCHMARKS.md
# (between its markers) only.
.PHONY: bench-analyses
bench-analyses: build python
	@PCAPFRAME_CLI=$(PCAPFRAME) $(VENV)/bin/python bench/analyses_bench.py

# Reading speed per format (pcap, pcapng, gzip, zstd, lz4) against capinfos, tshark and the
# decompressors alone: rewrites the "Formats" section of docs/BENCHMARKS.md (between its
# markers) only.
.PHONY: bench-formats
bench-formats: build venv
	@PCAPFRAME_CLI=$(PCAPFRAME) $(VENV)/bin/python bench/formats_bench.py

format:
	@clang-format-14 -i $$(git ls-files '*.cpp' '*.hpp')

clean:
	rm -rf build
