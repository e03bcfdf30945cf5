# tandem: the two commands are `make run` (set up, index corpus/, serve) and `make test`.
PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint install index serve browser xapian-tools tesseract bench clean

run: install index serve

test: install browser xapian-tools tesseract
	$(BIN)/pytest -q

# Lint only: nothing is rewritten (run `ruff format <file>` on files you own to fix what --check reports).
LINTED := indexer server tests bench tools
lint: install
	$(BIN)/ruff check $(LINTED)
	$(BIN)/ruff format --check $(LINTED)

install: $(STAMP)

# pkuseg's setup imports numpy and Cython: they go in first, and pkuseg builds without isolation.
# A new venv holds an old setuptools (65), whose warnings filled the screen: the build backend is upgraded.
$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "$(PYTHON) not found: install Python 3.11 or run make PYTHON=python3"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet 'numpy>=1.24,<3' cython 'setuptools>=77'
	$(BIN)/pip install --quiet --no-build-isolation pkuseg==0.0.25
	$(BIN)/pip install --quiet --no-build-isolation -e '.[test]'
	touch $(STAMP)

# Debian's Chromium for the browser tests (they skip, saying why, where it cannot be installed).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed and cannot be installed here: browser tests will be skipped"; fi; }

# Debian's xapian-tcpsrv for the remote shard tests (they skip, saying why, where it cannot be installed).
xapian-tools:
	@command -v xapian-tcpsrv >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq xapian-tools >/dev/null; \
	  else echo "xapian-tcpsrv not installed and cannot be installed here: remote Xapian tests will be skipped"; fi; }

# Debian's Tesseract with the data of the six languages (the OCR tests use French and Chinese, and skip, saying
# why, where it cannot be installed); `tandem index` reads scanned PDFs with it wherever it is installed.
OCR_DATA = fra chi_sim eng spa rus ara
tesseract:
	@missing=; for l in $(OCR_DATA); do tesseract --list-langs 2>/dev/null | grep -qx "$$l" || missing="$$missing $$l"; done; \
	[ -z "$$missing" ] || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
	      tesseract-ocr $(patsubst %,tesseract-ocr-%,$(subst _,-,$(OCR_DATA))) >/dev/null; \
	  else echo "tesseract not installed and cannot be installed here: OCR tests will be skipped"; fi; }

index: install
	$(BIN)/tandem index

# PORT=8001 serves on another port (make run PORT=8001)
serve: install
	$(BIN)/tandem serve $(if $(PORT),--port $(PORT))

bench: install
	$(BIN)/python bench/index_bench.py
	$(BIN)/python bench/align_quality.py
	$(BIN)/python bench/query_bench.py

clean:
	rm -rf $(VENV) var
