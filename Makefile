# One command runs the demo crawl, one runs the tests; each sets up whatever is missing first.
#   make demo    - build everything needed, then crawl the bundled demo site and print the report path
#   make test    - build everything needed, then run the test suite
# Everything built lives in the project: .venv/ (Python packages), .cache/kenlm/bin/ (lmplz, build_binary),
# .cache/corpus/ (downloaded public text), models/en/ (the default model, its card, synonyms, reference text).

PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES := build-essential cmake zlib1g-dev libbz2-dev liblzma-dev libboost-program-options-dev \
	libboost-system-dev libboost-thread-dev libboost-test-dev wordnet-base chromium
MODEL  := models/en/en.bin
CARD   := models/en/en.card.json

.PHONY: demo test bench bench-small setup system-deps venv kenlm model clean

demo: setup
	$(PY) -m crawler.demo

test: setup
	$(PY) -m pytest tests

bench: setup
	$(PY) -m bench.run

bench-small: setup
	$(PY) -m bench.run --small

setup: system-deps venv kenlm model

# Debian packages: compilers and Boost for KenLM's tools, WordNet for the synonym check, Chromium (the tests
# open the HTML report in a real headless browser), and (only where
# the Python in use lacks them) venv and headers. Skipped when all are installed already.
system-deps:
	@pkgs="$(APT_PACKAGES)"; \
	$(PYTHON) -c "import ensurepip, sysconfig, os, sys; sys.exit(not os.path.exists(os.path.join(sysconfig.get_paths()['include'], 'Python.h')))" 2>/dev/null \
	  || pkgs="$$pkgs python3-venv python3-dev"; \
	missing=$$(for p in $$pkgs; do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "installing Debian packages:" $$missing; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	else echo "Debian packages: all present"; fi

venv: $(VENV)/.installed
$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,bench,model]'
	touch $@

kenlm:
	PYTHON=$(PY) bash models/build_kenlm.sh

model: $(CARD)
# Rebuilt pieces are skipped when present; calibration is redone whenever the scoring code changes.
$(CARD): models/build_default.py $(wildcard scoring/*.py scoring/signals/*.py) | venv kenlm
	$(PY) -m models.build_default --calibrate
	touch $@

clean:
	rm -rf $(VENV) .cache models/en/*.bin models/en/*.json models/en/*.txt reports
