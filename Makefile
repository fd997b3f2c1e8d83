# lossbook: the two commands a new user needs are `make book` and `make test`.
# Every target creates the virtual environment first if there is none.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CHAPTERS := $(sort $(wildcard chapters/*.ipynb))
# One BLAS thread: the last digits of float sums then do not depend on the machine,
# so what `make execute` stores is what nbval recomputes.
export OMP_NUM_THREADS := 1
export OPENBLAS_NUM_THREADS := 1
export MKL_NUM_THREADS := 1
export PYTHONHASHSEED := 0
BOOK_FLAGS := -W -n --keep-going

.PHONY: help setup book book-offline test test-site test-download lint lab execute bench dist clean

help:
	@echo "make book     build the website (warnings are errors) and print the page to open"
	@echo "make test     run every test: lint, lossbook unit tests, nbval on every chapter, the book build"
	@echo "make book-offline  build a site that needs no network (math typeset at build time)"
	@echo "make test-site     build the offline site and test every page in headless Chromium"
	@echo "make lab      open the chapters in JupyterLab with live sliders"
	@echo "make execute  re-execute chapters in place (NB=chapters/01_what_is_a_loss.ipynb for one)"
	@echo "make bench    print the benchmark tables"
	@echo "make dist     build the lossbook sdist and wheel into dist/ and check them (twine)"
	@echo "make test-download  run every chapter as the site serves it, in a fresh venv without the repo"
	@echo "make clean    remove the built site"

$(STAMP): requirements.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $(STAMP)

setup: $(STAMP)

book: $(STAMP)
	$(BIN)/jupyter-book build . $(BOOK_FLAGS)
	@echo
	@echo "The book is built. Open this page in a browser:"
	@echo "  file://$(CURDIR)/_build/html/index.html"

OFFLINE_SITE := _build/offline/_build/html
# --all: every page is written afresh, so the browser test sees the pages a clean clone
# builds (an incremental build rewrites only the pages it writes again).
book-offline: $(STAMP)
	$(BIN)/python tools/offline_site.py
	$(BIN)/jupyter-book build . --config _build/offline-config/_config.yml \
		--path-output _build/offline --all $(BOOK_FLAGS)
	@echo
	@echo "The offline book is built. Open this page in a browser (no network needed):"
	@echo "  file://$(CURDIR)/$(OFFLINE_SITE)/index.html"

# Needs Debian's chromium (apt-get install chromium); screenshots go to screenshots/.
test-site: book-offline
	LOSSBOOK_SITE=$(CURDIR)/$(OFFLINE_SITE) $(BIN)/python -m pytest tests/site

# nbval re-executes every chapter and compares its stored outputs, strictly; the unit tests
# and lossbook's doctests (pyproject's addopts) run in the same pytest call.
NBVAL := --nbval --nbval-current-env --nbval-sanitize-with=tests/nbval_sanitize.cfg
test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest -n 2 --dist loadfile $(NBVAL)

lint: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

lab: $(STAMP)
	$(BIN)/jupyter lab chapters/

NB ?= $(CHAPTERS)
execute: $(STAMP)
	$(BIN)/jupyter nbconvert --to notebook --execute --inplace \
		--ExecutePreprocessor.timeout=60 \
		--ExecutePreprocessor.kernel_name=python3 \
		--ExecutePreprocessor.store_widget_state=True \
		--ExecutePreprocessor.record_timing=False \
		$(NB)

bench: $(STAMP)
	$(BIN)/python benchmarks/losses.py
	$(BIN)/python benchmarks/explorers.py
	$(BIN)/python benchmarks/course.py
	# Lighthouse (mobile) over every page of the offline site, and the live explorers in JupyterLab
	$(MAKE) book-offline
	$(BIN)/python benchmarks/site.py
	$(BIN)/python benchmarks/lab_explorers.py

# The course package the chapters' install cell fetches (pip install lossbook==VERSION).
dist: $(STAMP)
	rm -rf dist
	$(BIN)/python -m build --outdir dist .
	$(BIN)/twine check --strict dist/*

# Every chapter as the website serves it for download, run top to bottom in a fresh virtual
# environment with what Colab has and no lossbook but the wheel just built (tools/test_download.py).
test-download: dist book
	$(BIN)/python tools/test_download.py --wheel-dir dist --site _build/html

clean:
	rm -rf _build dist
