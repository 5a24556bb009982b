#!/usr/bin/env bash
# `make node-host`, `make go-host`, `make yaml-host`: Pulumi's Node.js, Go or YAML language host,
# `pulumi-language-nodejs`, `-go` or `-yaml`, beside the CLI in .pulumi-cli/bin/ (git-ignored), so the e2e tests run
# TypeScript, Go and YAML programs (users of the native `chartmogul` plugin and its SDKs) through the real CLI.
#
# Usage: tools/pulumi-language-host.sh nodejs|go|yaml [CLI_FOLDER]  (the folder `tools/pulumi-cli.sh` printed;
# default .pulumi-cli/bin). In this order, the first that works:
#   1. CLI_FOLDER already holds the host and it is not an older build of ours (an official install bundles them):
#      nothing to do;
#   2. .pulumi-cli/bin holds the pinned build (a second run is instant);
#   3. a build from its Go module at the version tools/pulumi-language-<lang>/go.mod pins (nodejs and go: the
#      github.com/pulumi/pulumi/sdk/v3 releases v3.68.0 and v3.66.0, the last whose module still holds the host, as
#      the module proxy serves none of the hosts' own later modules; yaml: github.com/pulumi/pulumi-yaml v1.25.0,
#      the newest the proxy serves), into .pulumi-cli/bin: needs only `go` and the proxy;
#   4. otherwise one sentence saying what is missing, and exit status 2.
#
# Prints the folder that holds the host on its last line of stdout (progress goes to stderr).
set -euo pipefail

say() { printf '%s\n' "$*" >&2; }

lang=${1:-}
sdk=github.com/pulumi/pulumi/sdk/v3
case "$lang" in
    nodejs) source=$sdk package=$sdk/nodejs/cmd/pulumi-language-nodejs version_var=$sdk/go/common/version.Version
            cold="cold: about 2 min" ;;
    go)     source=$sdk package=$sdk/go/pulumi-language-go version_var=$sdk/go/common/version.Version
            cold="cold: about 1 min" ;;
    yaml)   source=github.com/pulumi/pulumi-yaml package=$source/cmd/pulumi-language-yaml
            version_var=$source/pkg/version.Version cold="cold: 2 to 8 min and 850 MB of Go caches" ;;
    *)      say "usage: $0 nodejs|go|yaml [CLI_FOLDER]"; exit 2 ;;
esac

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
host=pulumi-language-$lang
module="$here/$host"
dest="$root/.pulumi-cli/bin"
cli=${2:-$dest}
version=$(sed -n "s|^\\s*$source v\\([0-9.]*\\).*|\\1|p" "$module/go.mod")

finish() {
    say "$host in $1"
    printf '%s\n' "$1"
    exit 0
}

# Go embeds the build's modules in every binary (`go version -m`): ours, built from a release of the module through
# the wrapper, names that release on its `mod` line; an official binary, built in the project's own checkout, says
# (devel) there.
built_here() {  # our build at the pinned version
    go version -m "$1" 2>/dev/null | grep -Eq "^\s+mod\s+$source\s+v$version\s"
}

ours() {  # a build from a release of the module, at any version
    go version -m "$1" 2>/dev/null | grep -Eq "^\s+mod\s+$source\s+v[0-9]"
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
        say "$host $version needs Go $needed or newer (the go line of tools/$host/go.mod); this go is $have:" \
            "install a newer Go (https://go.dev/dl/)."
        exit 2
    fi
    mkdir -p "$dest"
    started=$SECONDS
    say "Building $host $version from Go modules with go$have ($cold on 2 cores with empty Go caches; warm:" \
        "seconds) ..."
    if (cd "$module" && go build -trimpath \
        -ldflags "-s -w -X $version_var=v$version" \
        -o "$dest/$host.new" "$package"); then
        mv -f "$dest/$host.new" "$dest/$host"
        say "  done in $((SECONDS - started)) s."
        finish "$dest"
    fi
    rm -f "$dest/$host.new"
fi

say "No $host could be had: none beside the CLI in $cli, and" \
    "$(command -v go >/dev/null 2>&1 && echo "the Go build failed" || echo "Go is not installed") -- install" \
    "Go (https://go.dev/dl/) and re-run \`make ${lang/nodejs/node}-host\`, or use an official Pulumi install," \
    "which bundles it."
exit 2
