# The two commands a new user needs: `make demo` and `make test`. Each sets up its own virtualenv and Pulumi CLI.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
CLI_BIN := .pulumi-cli/bin
N ?= 1000
# plans of the exported account the bench adopts through the real CLI (bench/adopt.py); 0 skips those rows
ADOPT_N ?= 2000
# the rows at ChartMogul's limits (bench/limits.py): plans put up, refreshed and destroyed, plans adopted; 0 skips
LIMITS_N ?= 400
LIMITS_ADOPT_N ?= 2000
# ONLY=limits measures those rows alone and rewrites only their section of bench/RESULTS.md
ONLY ?=

.PHONY: demo test test-quick test-fast lint typecheck unit bench clean pulumi-cli cli-for-tests actionlint \
	actionlint-for-tests examples-dev

$(STAMP): pyproject.toml requirements.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -e '.[dev]'
	touch $(STAMP)

# A Pulumi CLI in .pulumi-cli/bin: the one on PATH, the official installer, or a build from Go modules.
pulumi-cli:
	@bash tools/pulumi-cli.sh >/dev/null

# Pulumi's YAML language host beside the CLI: the CLI's own (an official install bundles it), or a build from its Go
# module (tools/pulumi-language-yaml) into .pulumi-cli/bin. The CLI script prints only its folder on stdout.
.PHONY: yaml-host
yaml-host: pulumi-cli
	@bash tools/pulumi-language-yaml.sh "$$(bash tools/pulumi-cli.sh 2>/dev/null)" >/dev/null

# Pulumi's Node.js and Go language hosts beside the CLI: the CLI's own (an official install bundles both), or builds
# from the last pulumi/pulumi sdk/v3 releases that hold them (tools/pulumi-language-nodejs, tools/pulumi-language-go)
# into .pulumi-cli/bin. node-deps: the npm packages of the TypeScript e2e programs (tools/node) in .tools/node.
.PHONY: node-host go-host node-deps
node-host: pulumi-cli
	@bash tools/pulumi-language-host.sh nodejs "$$(bash tools/pulumi-cli.sh 2>/dev/null)" >/dev/null
go-host: pulumi-cli
	@bash tools/pulumi-language-host.sh go "$$(bash tools/pulumi-cli.sh 2>/dev/null)" >/dev/null
node-deps:
	@bash tools/node-deps.sh >/dev/null

# The e2e tests need a CLI; the YAML, TypeScript and Go ones their language hosts (TypeScript its npm packages too).
# In CI all must be had (any missing fails the run); elsewhere the tests that need what is missing skip, saying why.
cli-for-tests:
	@if cli=$$(bash tools/pulumi-cli.sh); then \
		{ bash tools/pulumi-language-yaml.sh "$$cli" >/dev/null || \
			{ [ "$${CI:-}" != true ] && echo "(the YAML e2e tests will skip)"; }; } && \
		{ { bash tools/pulumi-language-host.sh nodejs "$$cli" >/dev/null && bash tools/node-deps.sh >/dev/null; } || \
			{ [ "$${CI:-}" != true ] && echo "(the TypeScript e2e tests will skip)"; }; } && \
		{ bash tools/pulumi-language-host.sh go "$$cli" >/dev/null || \
			{ [ "$${CI:-}" != true ] && echo "(the Go e2e tests will skip)"; }; }; \
	else [ "$${CI:-}" != true ] && echo "(the e2e tests will skip)"; fi

# actionlint (lints examples/pr-review's workflow in the tests), built from its Go module into .tools/bin.
ACTIONLINT_VERSION ?= 1.7.7
actionlint: .tools/bin/actionlint
.tools/bin/actionlint:
	GOBIN=$(abspath .tools/bin) GOFLAGS=-buildvcs=false go install github.com/rhysd/actionlint/cmd/actionlint@v$(ACTIONLINT_VERSION)

# Without go or the module proxy the workflow test falls back to a structural check (and says so).
actionlint-for-tests:
	@$(MAKE) --no-print-directory actionlint >/dev/null 2>&1 || echo "(no actionlint: the workflow gets a structural check only)"

lint: $(STAMP)
	$(VENV)/bin/ruff check .

typecheck: $(STAMP)
	$(VENV)/bin/mypy

# The suite runs on WORKERS pytest-xdist workers, each with its own emulator. The e2e tests mostly wait on the CLI,
# so more workers than cores pay; tests marked xdist_group share a worker. WORKERS=0 runs in this process.
WORKERS ?= 3
PARALLEL := -n $(WORKERS) --dist loadgroup

unit: $(STAMP)
	$(VENV)/bin/pytest -q $(PARALLEL)

test: lint typecheck cli-for-tests actionlint-for-tests unit

# The inner loop: every test that needs no Pulumi CLI (no e2e, acceptance or bench), in parallel, in about a minute.
test-quick: $(STAMP)
	$(VENV)/bin/pytest -q $(PARALLEL) -m "not cli and not slow"

# The e2e Go program alone (tests/e2e/test_go_program_cli.py): its first compile takes minutes (the Go SDK and its
# dependencies), so `make test` skips it, saying so; CI runs this after `make test` (.ci/run).
.PHONY: test-go-program
test-go-program: $(STAMP) cli-for-tests
	PULUMI_CHARTMOGUL_GO_PROGRAM=1 $(VENV)/bin/pytest -q tests/e2e/test_go_program_cli.py

# The in-process tests only (tests/unit): seconds. `make test` still runs everything.
test-fast: $(STAMP)
	$(VENV)/bin/pytest -q -m unit

# The lowest version of every runtime dependency pyproject.toml declares, in a venv of its own, with the fast tests.
.PHONY: test-min-deps
MIN_VENV ?= .venv-min
test-min-deps: $(STAMP)
	rm -rf $(MIN_VENV)
	$(PYTHON) -m venv $(MIN_VENV)
	$(PY) -m tests.min_deps > $(MIN_VENV)/constraints.txt
	$(MIN_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c $(MIN_VENV)/constraints.txt \
		-e '.[emulator]' pytest pytest-timeout
	$(MIN_VENV)/bin/python -m tests.min_deps --check
	$(MIN_VENV)/bin/pytest -q -p no:cacheprovider tests/unit tests/compat

# A release build: sdist and wheel (in dist/), their contents, and each installed in a clean venv.
.PHONY: check-dist
check-dist: $(STAMP)
	rm -rf dist
	$(PY) -m build --outdir dist .
	rm -rf build pulumi_chartmogul.egg-info
	$(PY) -m tests.dist_check dist

# The native plugin `chartmogul` as a tarball for `pulumi plugin install resource chartmogul <version> --file ...`:
# dist/pulumi-resource-chartmogul-v<version>-<os>-<arch>.tar.gz, the launcher and the wheel (tools/plugin/tarball.py).
.PHONY: plugin
plugin: $(STAMP)
	$(PY) tools/plugin/tarball.py --out dist

# The TypeScript and Go SDKs (sdk/nodejs, sdk/go, committed) generated from the plugin's schema by Pulumi's codegen
# (tools/sdkgen, a Go program built into .tools/bin); sdk/schema.json is the schema they came from.
# `make sdk-nodejs` compiles and packs the TypeScript one: dist/pulumi-chartmogul-chartmogul-<version>.tgz.
.PHONY: sdks sdk-nodejs
sdks: $(STAMP)
	bash tools/sdks.sh $(PY)
sdk-nodejs:
	bash tools/sdk-nodejs.sh

# Run the examples from this checkout: each one's venv/ becomes a link to the repository's .venv (the package
# installed editable). Outside the repository an example makes its own: python -m venv venv && pip install -r ...
EXAMPLES := quickstart multi-environment adopt-existing
examples-dev: $(STAMP)
	@for example in $(EXAMPLES); do ln -sfn ../../$(VENV) examples/$$example/venv; echo "examples/$$example/venv -> $(VENV)"; done

demo: $(STAMP) pulumi-cli
	$(PY) -m pulumi_chartmogul.commands.demo

# The acceptance suite (tests/acceptance) against the account of CHARTMOGUL_API_KEY: refused, saying why, unless
# CHARTMOGUL_ACCEPTANCE=1 and CHARTMOGUL_ALLOWED_ACCOUNT_IDS are set too. `make test` runs it against the emulator.
# `make sweep` lists what runs left there (names pcm-acc-...); CONFIRM=1 deletes it, SWEEP_PREFIX= narrows it.
.PHONY: acceptance sweep
CONFIRM ?=
SWEEP_PREFIX ?=
acceptance: $(STAMP)
	$(PY) -m tests.acceptance
sweep: $(STAMP)
	$(PY) -m tests.acceptance.sweep $(if $(filter 1,$(CONFIRM)),--yes) $(if $(SWEEP_PREFIX),--prefix $(SWEEP_PREFIX))

# The rows measured through the real CLI need one; without it they say so and the rest is measured.
bench: $(STAMP)
	@bash tools/pulumi-cli.sh >/dev/null || echo "(no Pulumi CLI: the bench's real-CLI rows will say so)"
	$(PY) -m bench --plans $(N) --adopt-plans $(ADOPT_N) --limits-plans $(LIMITS_N) \
		--limits-adopt-plans $(LIMITS_ADOPT_N) $(if $(ONLY),--only $(ONLY))

clean:
	rm -rf $(VENV) $(MIN_VENV) dist .demo .mypy_cache .ruff_cache .pytest_cache
