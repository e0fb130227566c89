# The two commands a user needs: `make run` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench setup screenshots clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("netapp needs Python 3.11 or newer") if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test,crypto]'
	@touch $(STAMP)

setup: $(STAMP)

# Starts the desktop app on the default database. With no display, it runs on Xvfb.
run: $(STAMP)
	@if [ -n "$${DISPLAY:-}$${WAYLAND_DISPLAY:-}" ]; then \
		scripts/sysdeps.sh xvfb && $(BIN)/netapp; \
	else \
		scripts/sysdeps.sh xvfb && echo "netapp: no display found, starting on a virtual X server (xvfb-run)" && \
		xvfb-run -a -s "-screen 0 1440x900x24" $(BIN)/netapp; \
	fi

test: $(STAMP)
	@scripts/sysdeps.sh xvfb
	$(BIN)/lint-imports
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m pytest -q -p no:cacheprovider $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check netapp ui tests bench
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(STAMP)
	@scripts/sysdeps.sh xvfb
	QT_QPA_PLATFORM=offscreen $(BIN)/python -m bench $(BENCH_ARGS)

screenshots: $(STAMP)
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf $(VENV) build dist *.egg-info
