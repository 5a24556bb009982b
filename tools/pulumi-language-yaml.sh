#!/usr/bin/env bash
# `make yaml-host`: Pulumi's YAML language host beside the CLI, the way tools/pulumi-language-host.sh gets every
# language host (usage: tools/pulumi-language-yaml.sh [CLI_FOLDER]; the folder holding the host is the last line of
# stdout). Kept under this name for the Makefile and the docs that name it.
set -euo pipefail
exec bash "$(cd "$(dirname "$0")" && pwd)/pulumi-language-host.sh" yaml "$@"
