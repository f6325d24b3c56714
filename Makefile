# The two commands of the README:
#   make run   - set everything up and run the service on its embedded defaults
#   make test  - set everything up and run the test suite
.PHONY: setup run test bench lint clean

PY := .venv/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

setup:
	bash scripts/setup.sh

run: setup
	$(PY) -m signavatar.cli serve --host $(HOST) --port $(PORT)

test: setup
	$(PY) -m pytest -q

bench: setup
	$(PY) benchmarks/render_speed.py

clean:
	rm -rf var .pytest_cache
