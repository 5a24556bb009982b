#!/usr/bin/env bash
# `make yaml-host`: Pulumi's YAML language host, `pulumi-language-yaml`, beside the CLI in .pulumi-cli/bin/
# (git-ignored), so the e2e tests run YAML programs (the native plugin's users) through the real CLI.
#
# Usage: tools/pulumi-language-yaml.sh [CLI_FOLDER]  (the folder `tools/pulumi-cli.sh` printed; default
# .pulumi-cli/bin). In this order, the first that works:
#   1. CLI_FOLDER already holds a `pulumi-language-yaml` that is not an older build of ours (an official install
#      bundles one): nothing to do;
#   2. .pulumi-cli/bin holds the pinned build (a second run is instant);
#   3. a build from the Go module github.com/pulumi/pulumi-yaml at the version tools/pulumi-language-yaml/go.mod
#      pins, into .pulumi-cli/bin: needs only `go` and the Go module proxy;
#   4. otherwise one sentence saying what is missing, and exit status 2.
#
# Prints the folder that holds the host on its last line of stdout (progress goes to stderr).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
module="$here/pulumi-language-yaml"
dest="$root/.pulumi-cli/bin"
cli=${1:-$dest}
host=pulumi-language-yaml
version=$(sed -n 's|^\s*github.com/pulumi/pulumi-yaml v\([0-9.]*\).*|\1|p' "$module/go.mod")

say() { printf '%s\n' "$*" >&2; }

finish() {
    say "pulumi-language-yaml in $1"
    printf '%s\n' "$1"
    exit 0
}

# Go embeds the build's modules in every binary (`go version -m`): one built from a release of the module, as ours
# is, names the version on its `mod` line; an official binary, built in pulumi-yaml's own checkout, says (devel).
built_here() {  # our build at the pinned version
    go version -m "$1" 2>/dev/null | grep -Eq "^\s+mod\s+github.com/pulumi/pulumi-yaml\s+v$version\s"
}

ours() {  # a build from a release of the module, at any version
    go version -m "$1" 2>/dev/null | grep -Eq "^\s+mod\s+github.com/pulumi/pulumi-yaml\s+v[0-9]"
}

acceptable() {  # $1 is an executable host that is not a stale build of ours (without go, any executable one)
    [ -x "$1" ] && { ! command -v go >/dev/null 2>&1 || built_here "$1" || ! ours "$1"; }
}

# 1. Beside the CLI the tests use (an official install lays it out there).
if [ "$cli" != "$dest" ] && acceptable "$cli/$host"; then
    finish "$cli"
fi

# 2. Already here.
if acceptable "$dest/$host"; then
    finish "$dest"
fi

# 3. Build from the Go module, with the Go on PATH only (GOTOOLCHAIN=local: no toolchain download).
if command -v go >/dev/null 2>&1; then
    export GOFLAGS=-mod=readonly GOTOOLCHAIN=local
    needed=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$module/go.mod")
    have=$(go env GOVERSION | sed 's/^go//')
    if [ "$(printf '%s\n%s\n' "$needed" "$have" | sort -V | head -n 1)" != "$needed" ]; then
        say "pulumi-language-yaml $version needs Go $needed or newer (the go line of" \
            "tools/pulumi-language-yaml/go.mod); this go is $have: install a newer Go (https://go.dev/dl/)."
        exit 2
    fi
    mkdir -p "$dest"
    started=$SECONDS
    say "Building pulumi-language-yaml $version from Go modules with go$have (cold: 2 to 8 min and 850 MB of Go" \
        "caches on 2 cores; warm: seconds) ..."
    if (cd "$module" && go build -trimpath \
        -ldflags "-s -w -X github.com/pulumi/pulumi-yaml/pkg/version.Version=v$version" \
        -o "$dest/$host.new" github.com/pulumi/pulumi-yaml/cmd/pulumi-language-yaml); then
        mv -f "$dest/$host.new" "$dest/$host"
        say "  done in $((SECONDS - started)) s."
        finish "$dest"
    fi
    rm -f "$dest/$host.new"
fi

say "No pulumi-language-yaml could be had: none beside the CLI in $cli, and" \
    "$(command -v go >/dev/null 2>&1 && echo "the Go build failed" || echo "Go is not installed") -- install" \
    "Go (https://go.dev/dl/) and re-run \`make yaml-host\`, or use an official Pulumi install, which bundles it."
exit 2
