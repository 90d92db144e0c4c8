# Two commands matter: `make dashboards` serves every notebook as a Voila dashboard,
# `make test` runs the whole test suite. Both create .venv on first use.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: test dashboards lab lint bench clean node

# axe-core (the accessibility audit of the browser tests), pinned in package-lock.json.
NODE_STAMP := node_modules/.installed

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	# an editable install writes no bytecode: write it once, so new kernels need not compile
	$(PY) -c 'from rebalance_widgets.cli import compile_bytecode; compile_bytecode()'
	# outputs of a lesson run in JupyterLab are stripped when the notebook is added to git
	# (nbstripout as the git filter named in .gitattributes; cell ids stay as written)
	if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean '"$(abspath $(PY))" -m nbstripout --keep-id' && \
	  git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv '"$(abspath $(PY))" -m nbstripout -t --keep-id'; fi
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

# The charts' JavaScript and every widget's chart specs, built into the cache folder before
# the first kernel needs them (again when a chart module changes).
PREPARED := $(VENV)/.prepared
$(PREPARED): $(STAMP) $(wildcard rebalance_widgets/charts/*.py)
	$(VENV)/bin/rebalance-widgets prepare
	touch $(PREPARED)

dashboards: $(PREPARED)
	$(VENV)/bin/rebalance-widgets serve

LAB_STAMP := $(VENV)/.lab-installed
$(LAB_STAMP): $(PREPARED) binder/overrides.json
	$(PY) -m pip install --quiet -e '.[test,lab]'
	# JupyterLab's settings for a classroom: no question about its news feed (a website)
	mkdir -p $(VENV)/share/jupyter/lab/settings
	cp binder/overrides.json $(VENV)/share/jupyter/lab/settings/overrides.json
	touch $(LAB_STAMP)

# The lessons in JupyterLab on http://127.0.0.1:8888 (Notebook 7: /tree); works offline.
lab: $(LAB_STAMP)
	cd notebooks && ../$(VENV)/bin/jupyter lab --ip 127.0.0.1 \
	  $$( [ "$$(id -u)" = 0 ] && echo --allow-root ) 00-start-here.ipynb

lint: $(STAMP)
	$(PY) -m ruff check rebalance_widgets tests benchmarks tools

bench: $(STAMP)
	for f in benchmarks/bench_*.py; do $(PY) $$f || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .hypothesis node_modules
