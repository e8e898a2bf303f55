# Two commands do everything: `make run` and `make test`.
SHELL := /bin/bash
UV_VERSION := 0.13.9
UV := $(shell command -v uv 2>/dev/null || echo .tools/bin/uv)
VENV := .venv
SYNCED := $(VENV)/.synced

.PHONY: run test lint format bench clean

run: $(SYNCED) system-libs
	$(VENV)/bin/tb dev

test: $(SYNCED) system-libs
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/pytest

bench: $(SYNCED) system-libs
	@command -v wrk >/dev/null || [ "$$(id -u)" != 0 ] || apt-get install -y -qq wrk >/dev/null \
		|| echo "wrk could not be installed: the benchmarks use a Python load generator"
	$(VENV)/bin/python -m bench

lint: $(SYNCED)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

$(SYNCED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet uv==$(UV_VERSION)

# WeasyPrint needs Pango; install it when missing and we are allowed to.
.PHONY: system-libs
system-libs:
	@ldconfig -p | grep -q libpango-1.0 || scripts/install-system-libs

clean:
	rm -rf $(VENV) .tools
