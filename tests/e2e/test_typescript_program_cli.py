"""A TypeScript program (``runtime: nodejs``, as users of the native plugin's TypeScript SDK write them) through the
real CLI and its Node.js language host, ``pulumi-language-nodejs`` (``make node-host``), with ``@pulumi/pulumi``
3.248.0 and typescript from ``make node-deps``: no resource, a config value, a secret and stack outputs, and a type
error refused by the TypeScript compiler before anything runs.

Without the host or the npm packages the test skips with the reason; in CI (``CI=true``) it must run, so there a
missing one fails."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.language_hosts import (
    NODE_HOST,
    goes_up_with_its_config_and_is_destroyed,
    host_project,
    require_host,
    require_node_modules,
)

WHAT = "TypeScript e2e tests"
PROJECT = """\
name: typescript-smoke
runtime: nodejs
description: a program with no resource, to prove the Node.js language host runs TypeScript
"""
PACKAGE = {"name": "typescript-smoke", "private": True, "main": "index.ts"}
TSCONFIG = {"compilerOptions": {"strict": True, "target": "es2020", "module": "commonjs", "moduleResolution": "node",
                                 "types": ["node"]},
            "files": ["index.ts"]}
PROGRAM = """\
import * as pulumi from "@pulumi/pulumi";

const config = new pulumi.Config();
export const message: string = `${config.get("greeting") ?? "hello"}, world`;
export const stack: string = pulumi.getStack();
export const numbers: number[] = [1, 2];
export const token: pulumi.Output<string> = config.requireSecret("token");
"""
TYPE_ERROR = 'export const wrong: number = "not a number";\n'

HOST_DIR = require_host(NODE_HOST, WHAT)
NODE_MODULES = require_node_modules(WHAT)


def test_a_typescript_program_goes_up_and_is_destroyed(tmp_path: Path) -> None:
    folder = tmp_path / "program"
    folder.mkdir()
    (folder / "Pulumi.yaml").write_text(PROJECT, encoding="utf-8")
    (folder / "package.json").write_text(json.dumps(PACKAGE, indent=2), encoding="utf-8")
    (folder / "tsconfig.json").write_text(json.dumps(TSCONFIG, indent=2), encoding="utf-8")
    (folder / "index.ts").write_text(PROGRAM + TYPE_ERROR, encoding="utf-8")
    (folder / "node_modules").symlink_to(NODE_MODULES, target_is_directory=True)
    backend = tmp_path / "state"
    backend.mkdir()
    project = host_project(folder, backend, HOST_DIR)
    project.checked("stack", "init", "dev", stack=False)
    project.set_config("greeting", "hi")
    project.set_config("token", "s3cret-token", secret=True)

    # The program is compiled with typescript's type checks: a type error stops it before anything is created.
    refused = project.run("preview")
    assert refused.returncode != 0
    assert "TS2322" in refused.stdout + (refused.stderr or "")
    (folder / "index.ts").write_text(PROGRAM, encoding="utf-8")

    preview = json.loads(project.checked("preview", "--json").stdout)
    assert [step["op"] for step in preview["steps"]] == ["create"]  # the stack itself, nothing else

    goes_up_with_its_config_and_is_destroyed(project)
