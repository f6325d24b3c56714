# The two commands of the README:
#   make run   - set everything up and run the service on its embedded defaults
#   make test  - set everything up, check lint and types (make lint), and run the test suite
.PHONY: setup run test bench lint lint-only clean

PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	bash scripts/setup.sh

run: setup
	$(PY) -m signavatar.cli serve --host $(HOST) --port $(PORT)

test: setup
	$(MAKE) --no-print-directory lint-only
	$(PY) -m pytest -q

# ruff (the rule set in pyproject.toml, imports sorted) and mypy (strict on signavatar/ and api/)
lint: setup
	$(MAKE) --no-print-directory lint-only

lint-only:
	$(PY) -m ruff check signavatar api tests benchmarks scripts
	$(PY) -m mypy

bench: setup
	$(PY) benchmarks/render_speed.py

clean:
	rm -rf var .pytest_cache
