#!/usr/bin/env bash
# `make sdk-nodejs`: the committed TypeScript SDK (sdk/nodejs) compiled and packed as npm would publish it:
# dist/pulumi-chartmogul-chartmogul-<version>.tgz, which `npm install <that file>` installs into a program.
#
# Usage: tools/sdk-nodejs.sh [SRC] [DIST]  (default sdk/nodejs and dist). Installs the SDK's dependencies into
# SRC/node_modules with @pulumi/pulumi 3.248.0 (the newest whose `engines` accept node 20; the package asks for
# ^3.248.0), compiles with tsc into SRC/bin, copies package.json, README.md and LICENSE there and packs that folder.
# node_modules and bin are git-ignored (sdk/nodejs/.gitignore). Needs node and npm, and the npm registry or its cache.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
src=$(cd "${1:-$root/sdk/nodejs}" && pwd)
mkdir -p "${2:-$root/dist}"
dist=$(cd "${2:-$root/dist}" && pwd)
pulumi_sdk=3.248.0

for tool in node npm; do
    command -v "$tool" >/dev/null 2>&1 || { echo "make sdk-nodejs needs $tool, which is not installed." >&2; exit 2; }
done
cd "$src"
npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error "@pulumi/pulumi@$pulumi_sdk" >&2
rm -rf bin
./node_modules/.bin/tsc
cp package.json README.md bin/
cp "$root/LICENSE" bin/
tarball=$(cd "$dist" && npm pack --loglevel=error "$src/bin" | tail -n 1)
printf '%s\n' "$dist/$tarball"
