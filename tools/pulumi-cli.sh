#!/usr/bin/env bash
# `make pulumi-cli`: a working Pulumi CLI for `make demo` and the e2e tests, in .pulumi-cli/bin/ (git-ignored):
# `pulumi`, the Python language host `pulumi-language-python`, and the scripts `pulumi-language-python-exec`
# and `pulumi-resource-pulumi-python`, all in that one folder.
#
# In this order, the first that works:
#   1. a `pulumi` on PATH, of a supported version, with its Python language host beside it: nothing to do;
#   2. .pulumi-cli/bin already holds the pinned release (a second run is instant);
#   3. the official installer (get.pulumi.com), where that host can be reached;
#   4. a build from pulumi/pulumi's Go modules (tools/pulumi-cli, tools/pulumi-language-python): needs only
#      `go` and the Go module proxy;
#   5. otherwise one sentence saying what is missing, and exit status 2.
#
# Prints the path of the folder that holds the CLI on its last line of stdout (progress goes to stderr), so
# callers can put it first on PATH. PULUMI_CHARTMOGUL_CLI_VIA=official|go forces one way (for measuring).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
dest="$root/.pulumi-cli/bin"
# The release built from Go modules and installed by the official installer: the one tools/pulumi-cli pins.
version=$(sed -n 's|^\s*github.com/pulumi/pulumi/pkg/v3 v\([0-9.]*\).*|\1|p' "$here/pulumi-cli/go.mod")
# configure() receives the stack config only from engines of 3.139 on (pulumi#17673).
minimum=3.139.0
parts=(pulumi pulumi-language-python pulumi-language-python-exec pulumi-resource-pulumi-python)
via=${PULUMI_CHARTMOGUL_CLI_VIA:-}

say() { printf '%s\n' "$*" >&2; }

version_of() {  # the version a pulumi binary reports, without the leading v; empty if it reports none
    "$1" version 2>/dev/null | head -n 1 | sed -n 's/^v\{0,1\}\([0-9][0-9.]*\).*/\1/p'
}

at_least() {  # at_least A B: version A >= version B
    [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n 1)" = "$2" ]
}

complete_in() {  # every part is an executable file in folder $1
    local part
    for part in "${parts[@]}"; do [ -x "$1/$part" ] || return 1; done
}

finish() {
    say "Pulumi CLI $(version_of "$1/pulumi") in $1"
    printf '%s\n' "$1"
    exit 0
}

# 1. One on PATH (not ours), with its language host and scripts beside it, as the official install lays out.
if [ -z "$via" ] && on_path=$(command -v pulumi 2>/dev/null) && [ "$(dirname "$on_path")" != "$dest" ]; then
    found=$(version_of "$on_path")
    if [ -n "$found" ] && at_least "$found" "$minimum" && complete_in "$(dirname "$on_path")"; then
        say "Using the Pulumi CLI on PATH ($on_path, $found): nothing to install."
        finish "$(dirname "$on_path")"
    fi
    say "Ignoring $on_path (version '${found:-unknown}'; needs >= $minimum with its Python language host beside it)."
fi

current_wrapper() {  # a Go build's language-host wrapper is this checkout's (an official install has none)
    [ ! -e "$dest/pulumi-language-python.bin" ] ||
        cmp -s "$here/pulumi-language-python/pulumi-language-python" "$dest/pulumi-language-python"
}

# 2. Already here.
if [ -z "$via" ] && complete_in "$dest" && [ "$(version_of "$dest/pulumi")" = "$version" ] && current_wrapper; then
    say "Pulumi CLI $version is already in $dest."
    finish "$dest"
fi

mkdir -p "$dest"

# 3. The official installer, bounded: an unreachable host fails in well under a second, a slow one in 3 minutes.
if [ "$via" != go ] && command -v curl >/dev/null 2>&1; then
    say "Trying the official installer (get.pulumi.com) for Pulumi $version ..."
    if script=$(curl -fsSL --connect-timeout 10 --max-time 30 https://get.pulumi.com/install.sh 2>/dev/null) &&
        timeout 180 sh -c "$script" install.sh --version "$version" --install-root "$root/.pulumi-cli" --no-edit-path \
            >&2 && complete_in "$dest"; then
        finish "$dest"
    fi
    say "The official installer cannot be reached from here; building from Go modules instead."
fi

# 4. Build from Go modules.
if [ "$via" != official ] && command -v go >/dev/null 2>&1; then
    export GOFLAGS=-mod=readonly GOTOOLCHAIN=local
    ldflags="-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$version"
    started=$SECONDS
    say "Building pulumi $version from Go modules with $(go version | cut -d' ' -f3) (cold: 5 to 10 min and 3.5 GB of" \
        "Go caches on 2 cores; warm: under a minute) ..."
    (cd "$here/pulumi-cli" && go build -trimpath -ldflags "$ldflags" -o "$dest/pulumi.new" \
        github.com/pulumi/pulumi/pkg/v3/cmd/pulumi)
    say "  pulumi built in $((SECONDS - started)) s; building the Python language host ..."
    (cd "$here/pulumi-language-python" && go build -trimpath -ldflags "-s -w" -o "$dest/pulumi-language-python.bin" \
        github.com/pulumi/pulumi/sdk/v3/python/cmd/pulumi-language-python)
    install -m 755 "$here/pulumi-language-python/pulumi-language-python" "$dest/pulumi-language-python"
    # The two scripts ship in the sdk/v3 module of the same release (module files are read-only: copy, 755).
    sdk=$(cd "$here/pulumi-cli" && go list -m -f '{{.Dir}}' github.com/pulumi/pulumi/sdk/v3)
    install -m 755 "$sdk/python/cmd/pulumi-language-python-exec" "$dest/pulumi-language-python-exec"
    install -m 755 "$sdk/python/dist/pulumi-resource-pulumi-python" "$dest/pulumi-resource-pulumi-python"
    mv -f "$dest/pulumi.new" "$dest/pulumi"
    say "  done in $((SECONDS - started)) s."
    complete_in "$dest" && finish "$dest"
fi

say "No Pulumi CLI could be had: none on PATH, the official installer (get.pulumi.com) cannot be reached, and" \
    "$(command -v go >/dev/null 2>&1 && echo "the Go build failed" || echo "Go is not installed") -- install" \
    "Pulumi as https://www.pulumi.com/docs/install/ says, or install Go (https://go.dev/dl/) and re-run" \
    "\`make pulumi-cli\`."
exit 2
