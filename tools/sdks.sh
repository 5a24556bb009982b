#!/usr/bin/env bash
# `make sdks`: the TypeScript and Go SDKs of the native plugin's package, generated from its schema by Pulumi's own
# code generators (tools/sdkgen, built against github.com/pulumi/pulumi/pkg/v3 at the CLI's version).
#
# Usage: tools/sdks.sh PYTHON [OUT]  (the interpreter with the package installed; OUT defaults to sdk/, the committed
# SDKs). Writes OUT/nodejs, OUT/go and OUT/schema.json, then `go mod tidy` in OUT/go (go.sum, the indirect
# requirements). Builds .tools/bin/sdkgen first when it is missing or older than its sources (warm Go caches: 10 to
# 20 s, cold up to 8 min; a second run builds nothing). Needs `go` (the version on the go line of
# tools/sdkgen/go.mod or newer) and the Go module proxy or a module cache that holds the modules; otherwise one
# sentence and exit status 2.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
python=${1:?usage: tools/sdks.sh PYTHON [OUT]}
out=${2:-$root/sdk}
module="$here/sdkgen"
sdkgen="$root/.tools/bin/sdkgen"

say() { printf '%s\n' "$*" >&2; }

if ! command -v go >/dev/null 2>&1; then
    say "make sdks needs Go (https://go.dev/dl/), which is not installed: tools/sdkgen is a Go program."
    exit 2
fi
export GOTOOLCHAIN=local
needed=$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$module/go.mod")
have=$(go env GOVERSION | sed 's/^go//')
if [ "$(printf '%s\n%s\n' "$needed" "$have" | sort -V | head -n 1)" != "$needed" ]; then
    say "tools/sdkgen needs Go $needed or newer (the go line of tools/sdkgen/go.mod); this go is $have."
    exit 2
fi

if [ ! -x "$sdkgen" ] || [ -n "$(find "$module" -newer "$sdkgen" -type f | head -n 1)" ]; then
    started=$SECONDS
    say "Building tools/sdkgen (Pulumi's codegen) with go$have (warm Go caches: 10 to 20 s; cold: up to 8 min" \
        "on 2 cores) ..."
    mkdir -p "$(dirname "$sdkgen")"
    if ! (cd "$module" && GOFLAGS=-mod=readonly go build -trimpath -o "$sdkgen.new" .); then
        rm -f "$sdkgen.new"
        say "tools/sdkgen did not build (above): make sdks needs the Go module proxy or a module cache with its modules."
        exit 2
    fi
    mv -f "$sdkgen.new" "$sdkgen"
    say "  built in $((SECONDS - started)) s."
fi

mkdir -p "$out"
"$python" -c "from pulumi_chartmogul.provider_host.schema import schema_json; print(schema_json())" |
    "$sdkgen" -out "$out"
(cd "$out/go" && GOFLAGS=-mod=mod go mod tidy)
say "SDKs in $out: nodejs/ (npm $(sed -n 's/^    "name": "\(.*\)",$/\1/p' "$out/nodejs/package.json")), go/ (module" \
    "$(sed -n 's/^module //p' "$out/go/go.mod"))."
