#!/usr/bin/env bash
# `make node-deps`: the npm packages a TypeScript program needs in the e2e tests (and the TypeScript SDK's build):
# @pulumi/pulumi 3.248.0 (the newest whose engines allow node 20; 3.269 on need node 22), typescript and
# @types/node, exactly as tools/node/package-lock.json locks them, in .tools/node/node_modules (git-ignored).
#
# Usage: tools/node-deps.sh. In this order, the first that works:
#   1. .tools/node holds this lock's install already (a second run is instant);
#   2. `npm ci` from tools/node/package.json and package-lock.json (needs node >= 20, npm and the npm registry);
#   3. otherwise one sentence saying what is missing, and exit status 2.
#
# Prints the folder that holds node_modules on its last line of stdout (progress goes to stderr).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(dirname "$here")
source="$here/node"
dest="$root/.tools/node"
stamp="$dest/node_modules/.installed-lock"

say() { printf '%s\n' "$*" >&2; }

finish() {
    say "@pulumi/pulumi $(sed -n 's/^ *"version": "\(.*\)",$/\1/p' "$dest/node_modules/@pulumi/pulumi/package.json" |
        head -n 1), typescript and @types/node in $dest/node_modules"
    printf '%s\n' "$dest"
    exit 0
}

# 1. Already installed from this very lock.
if [ -f "$stamp" ] && cmp -s "$stamp" "$source/package-lock.json"; then
    finish
fi

# 2. npm ci (no install scripts: none of these packages needs one).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
    say "No node and npm here: install Node.js 20 or newer (https://nodejs.org/), then re-run \`make node-deps\`."
    exit 2
fi
major=$(node --version | sed -n 's/^v\([0-9]*\)\..*/\1/p')
if [ "${major:-0}" -lt 20 ]; then
    say "The TypeScript e2e programs need node 20 or newer (@pulumi/pulumi 3.248.0's engines); this node is" \
        "$(node --version): install a newer Node.js (https://nodejs.org/)."
    exit 2
fi
mkdir -p "$dest"
cp "$source/package.json" "$source/package-lock.json" "$dest/"
started=$SECONDS
say "Installing tools/node/package-lock.json into $dest with npm ci (cold: about a minute) ..."
if (cd "$dest" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2); then
    cp "$source/package-lock.json" "$stamp"
    say "  done in $((SECONDS - started)) s."
    finish
fi
say "npm ci could not install tools/node/package-lock.json into $dest (is the npm registry reachable?): re-run" \
    "\`make node-deps\` where it is."
exit 2
