# Set-up is part of every target: a fresh clone needs only `make crawl` or `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: crawl test lint bench demo reliability clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

crawl: $(STAMP)
	$(BIN)/storywatch crawl

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

demo: $(STAMP)
	$(BIN)/storywatch demo

lint: $(STAMP)
	$(BIN)/ruff check .

bench: $(STAMP)
	$(BIN)/python -m tests.bench
	$(BIN)/python -m bench

# Faults, hostile input and a 10-minute soak, one line per case (~25 min; the disk-full case
# mounts a small tmpfs and needs root). SOAK_SECONDS shortens the soak.
reliability: $(STAMP)
	$(BIN)/python -m tests.reliability

clean:
	rm -rf $(VENV) *.egg-info
