# Two commands do all the set-up on a fresh clone: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
RAW ?= raw
OUT ?= outputs

.PHONY: run test lint bench quality report clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,notebook,ray]'
	touch $(STAMP)

run: $(STAMP)  ## process raw/ into outputs/
	$(BIN)/newsextract run $(RAW) --out $(OUT)

test: $(STAMP)  ## lint and run the test suite (installs the tests' browser where it may)
	@.ci/browser
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)  ## benchmarks (on demand; prints figures)
	$(BIN)/python -m bench

quality: $(STAMP)  ## entity quality per layer on the dev sets that are built
	$(BIN)/python -m bench quality

clean:
	rm -rf $(VENV) $(OUT) .pytest_cache
