# The two commands a new user needs: `make demo` and `make test`. Each sets up its own virtualenv and Pulumi CLI.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CLI_BIN := .pulumi-cli/bin
N ?= 1000

.PHONY: demo test lint typecheck unit bench clean pulumi-cli cli-for-tests

$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -e '.[dev]'
	touch $(STAMP)

# A Pulumi CLI in .pulumi-cli/bin: the one on PATH, the official installer, or a build from Go modules.
pulumi-cli:
	@bash tools/pulumi-cli.sh >/dev/null

# The e2e tests need a CLI. In CI one must be had (no CLI fails the run); elsewhere they skip without one.
cli-for-tests:
	@bash tools/pulumi-cli.sh >/dev/null || { [ "$${CI:-}" != true ] && echo "(the e2e tests will skip)"; }

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

unit: $(STAMP)
	$(VENV)/bin/pytest -q

test: lint typecheck cli-for-tests unit

demo: $(STAMP) pulumi-cli
	$(PY) -m pulumi_chartmogul.demo

# The rows measured through the real CLI need one; without it they say so and the rest is measured.
bench: $(STAMP)
	@bash tools/pulumi-cli.sh >/dev/null || echo "(no Pulumi CLI: the bench's real-CLI rows will say so)"
	$(PY) -m bench --plans $(N)

clean:
	rm -rf $(VENV) .demo .mypy_cache .ruff_cache .pytest_cache
