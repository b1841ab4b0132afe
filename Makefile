# Newsroom: build, run and test.  `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(VENV)/bin/pip
# Rebuilt whenever pyproject.toml is newer than it.
STAMP := $(VENV)/.newsroom-installed

PORT ?= 8000
# Seed articles for `make run` (in the repository; see demo/seeds/README.md).
SEEDS ?= demo/seeds
PYTEST_ARGS ?=
# Environment for the benchmark and detector scripts (settings refuse to start without
# SECRET_KEY unless DEBUG or NEWSROOM_TESTING is on).
BENCH_ENV ?= NEWSROOM_TESTING=1

WITH_PG := bash scripts/with_postgres.sh

.PHONY: help install run test test-postgres test-sqlite bench eval-detector train-detector loadtest bench-peers lint \
	system-deps clean \
	distclean

help:
	@echo "make install        create $(VENV) and install the project with [dev] extras"
	@echo "make run            migrate, demo_setup --seeds $(SEEDS), runserver 127.0.0.1:$(PORT)"
	@echo "make test           pytest on a throwaway PostgreSQL, then on SQLite (PYTEST_ARGS=...)"
	@echo "make test-postgres  only the PostgreSQL pass;  make test-sqlite: only the SQLite pass"
	@echo "make bench          bench/run.py on SQLite, then on PostgreSQL"
	@echo "make eval-detector  bench/eval_detector.py"
	@echo "make train-detector refit the detector's learned component (scripts/train_detector.py)"
	@echo "make loadtest       gunicorn + PostgreSQL + Redis under wrk, a mixed 50-user run, two app servers"
	@echo "make bench-peers    django-comments-xtd and Isso beside Newsroom (../shared/peers)"
	@echo "make lint           ruff check, ruff format --check, lint-imports, mypy"
	@echo "make system-deps    apt-install missing Debian packages (postgresql, chromium)"
	@echo "make clean          remove caches and the local SQLite database (keeps $(VENV))"
	@echo "make distclean      clean, and remove $(VENV) too"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --disable-pip-version-check -q -e '.[dev]'
	@touch $@

install: $(STAMP)

system-deps:
	bash scripts/install_system_deps.sh

run: export DEBUG := 1
run: install
	$(PY) manage.py migrate
	$(PY) manage.py createcachetable
	$(PY) manage.py demo_setup --seeds $(SEEDS)
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: install
	PYTHON=$(PY) bash scripts/run_tests.sh $(PYTEST_ARGS)

test-postgres: install
	NEWSROOM_TESTING=1 $(WITH_PG) $(PY) -m pytest $(PYTEST_ARGS)

test-sqlite: install
	env -u DATABASE_URL NEWSROOM_TESTING=1 $(PY) -m pytest -m "not postgresql" $(PYTEST_ARGS)

bench: install
	@echo "== bench: detector (no database) =="
	$(BENCH_ENV) $(PY) bench/bench_detector.py
	@echo "== bench: SQLite =="
	env -u DATABASE_URL $(BENCH_ENV) $(PY) bench/run.py
	@echo "== bench: PostgreSQL =="
	$(BENCH_ENV) $(WITH_PG) $(PY) bench/run.py

eval-detector: install
	$(BENCH_ENV) $(PY) bench/eval_detector.py

# writes moderation/detection/learned_weights.json; scikit-learn is only needed here
train-detector: install
	$(BENCH_ENV) $(PY) scripts/train_detector.py

# ruff (lint and format), the import contracts in pyproject.toml, and mypy on the write/read
# layers and the detector.
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(BENCH_ENV) $(VENV)/bin/mypy

clean:
	rm -rf .pytest_cache .ruff_cache .hypothesis build *.egg-info db.sqlite3 staticfiles
	find . -path ./$(VENV) -prune -o -name __pycache__ -type d -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)

# --- load and peer benchmarks (scripts/loadtest.sh, scripts/bench_peers.sh) ------------------
# make loadtest     gunicorn + PostgreSQL + Redis on loopback: wrk, a mixed 50-user run, two app
#                   servers; ~4 min (LOADTEST_SECONDS, LOADTEST_WRK_SECONDS, LOADTEST_USERS, ...)
# make bench-peers  ../shared/peers (PEERS_DIR): Newsroom vs django-comments-xtd and Isso;
#                   quick by default (SIZES="100 1000", no wrk), PEERS_FULL=1 for everything
.PHONY: loadtest bench-peers

loadtest: install
	PYTHON=$(PY) bash scripts/loadtest.sh

bench-peers: install
	bash scripts/bench_peers.sh
