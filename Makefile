# Backprop Lab. Needs only GNU make and Python 3.11+; everything else goes into $(VENV).
#   make run ARGS="train resources/lessons/playground_default.json"
#   make test            ruff + the whole pytest suite, offscreen
#   make wheel-check     the wheel, installed in a fresh virtualenv, works from any folder

PYTHON ?= python3
VENV ?= .venv
ARGS ?=
PYTEST_ARGS ?=

BIN := $(VENV)/bin
# Stamps record what was installed; pyproject.toml is their prerequisite, so editing it reinstalls.
RUN_STAMP := $(VENV)/.installed-run
TEST_STAMP := $(VENV)/.installed-test

.DEFAULT_GOAL := help
.PHONY: help venv install run test lint format bench clean wheel-check smoke

help: ## list the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-12s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

venv: $(BIN)/python ## create the virtualenv (.venv, or VENV=path) with PYTHON (3.11+)

install: $(TEST_STAMP) ## install the app and its test tools into the virtualenv

run: $(RUN_STAMP) ## launch the app; pass arguments with ARGS="..."
	$(BIN)/python main.py $(ARGS)

test: $(TEST_STAMP) ## lint, check formatting, run the whole pytest suite (offscreen)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	QT_QPA_PLATFORM=$${QT_QPA_PLATFORM:-offscreen} $(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(TEST_STAMP) ## ruff lint and format check, without the tests
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(TEST_STAMP) ## reformat the code and apply ruff's safe fixes
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

wheel-check: ## build the wheel, install it in a fresh venv, run it from another folder
	PYTHON=$(PYTHON) .ci/wheel-check

smoke: $(TEST_STAMP) ## the real window on the X server in DISPLAY: open, play, lecture, quit
	$(BIN)/python .ci/smoke_window.py

bench: $(TEST_STAMP) ## time the core (benchmarks/bench_core.py)
	$(BIN)/python benchmarks/bench_core.py

clean: ## remove the virtualenv, caches and build output
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis build dist *.egg-info
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

# The venv's python is an order-only prerequisite: its mtime is that of the interpreter it links
# to, so it must only be created when missing, never "rebuilt".
$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { \
		echo "error: PYTHON=$(PYTHON) was not found; install Python 3.11 or newer," \
			"or run make again with PYTHON=/path/to/python3.11" >&2; \
		exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "error: Backprop Lab needs Python 3.11 or newer, but PYTHON=$(PYTHON) is" \
			"$$($(PYTHON) --version 2>&1); run make again with PYTHON=/path/to/python3.11" >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade pip

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[video]'  # video: the lecture as an MP4 too
	touch $@

$(TEST_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -e '.[test]'
	touch $@
