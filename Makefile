# Common Good: `make run` to try it, `make test` to prove it.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
# `make run PORT=8001` serves on another port; links in emails follow it unless SITE_URL is set.
PORT ?= 8000
SITE_URL ?= http://127.0.0.1:$(PORT)
# pytest-xdist workers for `make test`: one per core. `--dist loadgroup` runs the browser tests
# (and the other tests that start servers) first, as two groups, one per worker, and hands every
# other test to whichever worker is free (tests/scheduling.py).
TEST_WORKERS ?= auto

.PHONY: run install test lighthouse lint format bench migrations-check messages seed-scale clean var

$(STAMP): pyproject.toml
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is needed (apt-get install python3.11 python3.11-venv)"; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

var:
	@mkdir -p var/mail var/media var/broker/queue var/broker/control

run: install var
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore '.venv/*' >/dev/null; fi
	$(PY) manage.py migrate --noinput
	$(PY) manage.py seed_demo
	@echo ""
	@echo "  Common Good is starting on http://127.0.0.1:$(PORT)/"
	@echo "  Demo logins (password: commongood): leader@example.org, steward@example.org, partner@example.org"
	@echo "  Email goes to var/mail/. Ctrl-C stops the web server, the worker and beat."
	@echo ""
	SITE_URL=$(SITE_URL) $(VENV)/bin/honcho -f Procfile.dev start --port $(PORT)

test: install var
	@if command -v msgfmt >/dev/null; then $(PY) manage.py compilemessages --ignore '.venv/*' >/dev/null; fi
	$(PY) -m pytest -n $(TEST_WORKERS) --dist loadgroup $(PYTEST_ARGS)

# Lighthouse measures timings, so it runs alone, after the suite, not beside other tests.
lighthouse: install var
	$(PY) -m pytest -m lighthouse tests/browser/test_lighthouse.py $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

migrations-check: install
	$(PY) manage.py makemigrations --check --dry-run

# Refreshes every interface language's catalogue from the code (README: adding a language).
messages: install
	$(PY) manage.py makemessages --all --no-obsolete --ignore '.venv/*' --ignore 'var/*'
	$(PY) manage.py compilemessages --ignore '.venv/*'

# `make seed-scale LOCALS=50` builds the large local among 49 smaller ones (about 300,000 members).
LOCALS ?= 1
seed-scale: install var
	$(PY) manage.py seed_scale --locals $(LOCALS)

# The benchmark needs PostgreSQL and Redis (as in .ci/run) and uses wrk for requests/s.
# `BENCH_SCALE=state make bench` measures the large local among 49 others and compares each page
# with the one-local figures in var/bench.json.
bench: install var
	@command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null 2>&1 || echo "wrk missing: requests/s measured with Python clients"
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf var/broker var/mail var/staticfiles
