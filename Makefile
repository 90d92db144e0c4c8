# Two commands matter: `make dashboards` serves every notebook as a Voila dashboard,
# `make test` runs the whole test suite. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test dashboards lint bench clean node

# axe-core (the accessibility audit of the browser tests), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	touch $(STAMP)

$(NODE_STAMP): package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $(NODE_STAMP)

node:
	@if command -v npm >/dev/null 2>&1; then $(MAKE) --no-print-directory $(NODE_STAMP); \
	else echo "npm not found: the accessibility audit will be skipped"; fi

test: $(STAMP) node
	$(PY) -m ruff check rebalance_widgets tests benchmarks tools
	$(PY) -m pytest

dashboards: $(STAMP)
	$(VENV)/bin/rebalance-widgets serve

lint: $(STAMP)
	$(PY) -m ruff check rebalance_widgets tests benchmarks tools

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis node_modules
