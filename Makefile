# polyfon: `make run` sets up everything and serves the demo; `make test` sets up and runs the suite.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export DJANGO_SETTINGS_MODULE ?= polyfon.settings

.PHONY: setup run serve test test-fast lint messages makemessages assets migrate demo bench clean

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	$(PY) -m pip install --quiet --no-deps --no-build-isolation -e .
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

polyfon/static/vendor/.done: node_modules/.installed scripts/vendor_assets.py
	$(PY) scripts/vendor_assets.py
	@touch $@

assets: $(VENV)/.installed polyfon/static/vendor/.done

messages: $(VENV)/.installed
	$(PY) scripts/compile_messages.py

setup: $(VENV)/.installed assets messages
	@mkdir -p var

migrate: setup
	$(PY) manage.py migrate --noinput

demo: migrate
	DEMO_MODE=true $(PY) manage.py demo_data

# The web server, the background worker and the scheduler, side by side (Ctrl+C stops all).
run: demo
	@echo "polyfon on http://127.0.0.1:$(PORT)/ (worker and scheduler beside it)"
	DEMO_MODE=true REQUIRE_STAFF_MFA=false $(VENV)/bin/honcho -f Procfile.dev start -p $(PORT)

test: setup
	$(PY) -m pytest $(PYTEST_ARGS)

test-fast: setup
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)

lint: setup
	$(VENV)/bin/ruff check polyfon tests bench scripts

# Needs GNU gettext (xgettext); only for developers who change translatable text.
makemessages: setup
	$(PY) manage.py makemessages -l nb -l nn -l en --no-obsolete --add-location=file \
		--ignore=node_modules --ignore=.venv --ignore=var --ignore=tests --ignore=bench --ignore="*/tests/*" --ignore=conftest.py

bench: migrate
	$(PY) -m bench.run $(BENCH_ARGS)

clean:
	rm -rf $(VENV) node_modules polyfon/static/vendor var/test-media
