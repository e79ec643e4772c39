# kechuang: `make run` to try it, `make test` to check it.
PYTHON ?= python3.11
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
DEMO_ENTERPRISES ?= 3000
export DJANGO_SETTINGS_MODULE := config.settings
# Development targets use a random key kept in var/ when SECRET_KEY is unset; production must set SECRET_KEY.
export KECHUANG_DEV_KEY ?= 1

.PHONY: run test test-fast test-pg bench lint setup migrate demo worker lock messages chromium clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check uv==0.13.9
	$(VENV)/bin/uv pip install --quiet --python $(PY) -r requirements.lock
	$(VENV)/bin/uv pip install --quiet --python $(PY) --no-deps -e .
	touch $@

setup: $(VENV)/.installed

migrate: setup
	mkdir -p var
	$(PY) manage.py migrate --no-input -v0

demo: migrate
	$(PY) manage.py seed_demo --if-empty --enterprises $(DEMO_ENTERPRISES)

run: demo
	@echo "Starting the job worker and the site at http://127.0.0.1:$(PORT)/ (Ctrl-C stops both)"
	@trap 'kill 0' INT TERM EXIT; \
	  DEBUG=1 $(PY) manage.py run_jobs & \
	  DEBUG=1 $(PY) manage.py runserver 127.0.0.1:$(PORT)

worker: migrate
	$(PY) manage.py run_jobs

# Debian packages the tests use: chromium for the browser tests, a CJK font for PDF certificates.
chromium:
	@command -v chromium >/dev/null 2>&1 && fc-list :lang=zh 2>/dev/null | grep -q . || { \
	  echo "installing Debian's chromium and a CJK font for the tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
	  || echo "chromium or the CJK font could not be installed: browser and certificate tests will be skipped"; }

# The suite runs on every core (`-n`); each worker keeps its own test database.
TEST_WORKERS ?= auto
PYTEST := $(PY) -m pytest -q -n $(TEST_WORKERS) --dist worksteal

test: setup chromium
	$(PYTEST)

test-fast: setup
	$(PYTEST) -m "not browser"

# The suite against PostgreSQL (trust auth on 127.0.0.1:5432 by default).
PG_URL ?= postgres://postgres@127.0.0.1:5432/kechuang
test-pg: setup
	DATABASE_URL=$(PG_URL) $(PYTEST) -m "not browser"

bench: setup
	$(PY) -m bench.run $(BENCH)

lint: setup
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	DEBUG=1 $(VENV)/bin/mypy

lock:
	$(PY) -m pip install --quiet uv==0.13.9
	$(VENV)/bin/uv pip compile -q pyproject.toml --extra dev -o requirements.lock --python-version 3.11

messages: setup
	$(PY) manage.py makemessages --no-obsolete --ignore='.venv/*' --ignore='var/*' --ignore='bench/*' \
	  -l zh_Hans -l en -l vi -l th -l id -l ms -l fil -l km -l lo -l my
	$(PY) manage.py compilemessages -v0 --ignore='.venv/*'

clean:
	rm -rf $(VENV) var
