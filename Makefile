# Two commands on a fresh machine:
#   make decks   set everything up (once), then build every paper's deck and handout
#   make test    set everything up (once), then run the whole test suite
# Set-up: a virtual environment in .venv with decks and its libraries, and the
# system packages WeasyPrint, the fonts and the render tests need (tools/system-deps.sh).

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
JOBS   ?=

.PHONY: decks test fuzz bench check clean help

help:
	@echo "make decks   build every paper's deck and handout into papers/<paper>/docs/"
	@echo "make test    run the test suite"
	@echo "make check   lint every paper without writing outputs"
	@echo "make fuzz    search for crashes with fresh random Markdown (FUZZ=20: 20x the suite's examples)"
	@echo "make bench   run the benchmark (writes bench/results.md; PAPERS=dir: on your own papers)"
	@echo "make clean   remove generated outputs and build/ (never your own files)"

decks: $(VENV)/.decks-ready $(VENV)/.bytecode
	@$(BIN)/decks build $(if $(JOBS),-j $(JOBS))

check: $(VENV)/.decks-ready $(VENV)/.bytecode
	@$(BIN)/decks check

test: $(VENV)/.test-ready
	$(BIN)/python -m pytest -n auto -q

fuzz: $(VENV)/.test-ready
	DECKS_FUZZ=$(or $(FUZZ),20) $(BIN)/python -m pytest -n auto -q tests/test_robustness.py tests/test_markdown.py tests/test_equations.py

bench: $(VENV)/.test-ready $(VENV)/.bytecode
	$(BIN)/python bench/run.py $(if $(PAPERS),--papers $(PAPERS))

clean: $(VENV)/.decks-ready
	@$(BIN)/decks clean

$(VENV)/.python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
	  { echo "decks needs Python 3.11 or newer; run: make PYTHON=python3.11 ..."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	@$(BIN)/python -m pip install -q --upgrade pip
	@touch $@

$(VENV)/.decks-ready: $(VENV)/.python pyproject.toml tools/system-deps.sh
	@bash tools/system-deps.sh decks
	$(BIN)/python -m pip install -q -e .
	@touch $@

# decks is installed editable, and Python writes no bytecode where PYTHONDONTWRITEBYTECODE is
# set (as on this project's machines): compiled here, its modules load without being compiled
# again by every run of the decks command (a twentieth of a deck's time).
$(VENV)/.bytecode: $(VENV)/.decks-ready $(wildcard src/decks/*.py src/decks/*/*.py)
	@$(BIN)/python -m compileall -q src/decks >/dev/null || true  # a read-only checkout: slower, not broken
	@touch $@

$(VENV)/.test-ready: $(VENV)/.decks-ready
	@bash tools/system-deps.sh test
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $@
