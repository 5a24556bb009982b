"""Scratch copies of a Pulumi program, and the runner that drives them through the real CLI, for the tests and the
bench."""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Self

from pulumi_chartmogul.commands.pulumi_cli import offline_env
from testkit.processes import run_marked


def copy_program(source: Path, folder: Path, *, virtualenv: Path, files: tuple[str, ...] = ()) -> None:
    """The program in ``source`` (``__main__.py`` and ``files``) in ``folder``, with a ``Pulumi.yaml`` that works
    from there: the ``virtualenv`` by absolute path (nothing is installed) and the provider host ``plugins`` paths
    resolved against ``source``, so the copy runs the same host."""
    yaml: Any = importlib.import_module("yaml")  # PyYAML comes with pulumi; its stubs are not installed
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("__main__.py", *files):
        shutil.copy(source / name, folder / name)
    project = yaml.safe_load((source / "Pulumi.yaml").read_text(encoding="utf-8"))
    runtime = project["runtime"] if isinstance(project["runtime"], dict) else {"name": project["runtime"]}
    runtime["options"] = {**(runtime.get("options") or {}), "toolchain": "pip", "virtualenv": str(virtualenv)}
    project["runtime"] = runtime
    for plugin in (project.get("plugins") or {}).get("providers") or []:
        plugin["path"] = str((source / plugin["path"]).resolve())
    (folder / "Pulumi.yaml").write_text(yaml.safe_dump(project, sort_keys=False, allow_unicode=True),
                                        encoding="utf-8")


class CliCommandFailed(RuntimeError):
    """A ``pulumi`` command exited non-zero; the message carries what it printed."""


@dataclass
class CliProject:
    """A Pulumi project in a scratch folder with a local file backend, run through the real ``pulumi`` binary,
    offline (:func:`pulumi_chartmogul.commands.pulumi_cli.offline_env`). The one runner the e2e tests (which add
    their assertions) and the bench (which adds its clocks and counters) share."""

    folder: Path
    backend: Path
    cli_dir: Path
    stack: str
    passphrase: str
    env: dict[str, str] = field(default_factory=dict)  # added to every command's environment
    timeout: float = 600.0
    failure: type[Exception] = CliCommandFailed  # what :meth:`checked` raises

    @classmethod
    def copied(cls, scratch: Path, source: Path, *, cli_dir: Path, stack: str, passphrase: str, virtualenv: Path,
               files: tuple[str, ...] = (), **options: Any) -> Self:
        """A copy of the program in ``source`` in ``scratch/project`` (:func:`copy_program`), its state in
        ``scratch/state``."""
        folder = scratch / "project"
        copy_program(source, folder, virtualenv=virtualenv, files=files)
        backend = scratch / "state"
        backend.mkdir()
        return cls(folder, backend, cli_dir, stack, passphrase, **options)

    @property
    def stack_file(self) -> Path:
        return self.folder / f"Pulumi.{self.stack}.yaml"

    def environment(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        return offline_env(self.cli_dir, self.backend, self.passphrase, {**self.env, **(extra or {})})

    def command(self, *args: str, stack: bool = True) -> list[str]:
        return [str(self.cli_dir / "pulumi"), *args, "--non-interactive", *(["--stack", self.stack] if stack else [])]

    def run(self, *args: str, env: Mapping[str, str] | None = None, stack: bool = True,
            merge_output: bool = False) -> subprocess.CompletedProcess[str]:
        """``pulumi ARGS`` in the project folder (``--stack`` unless ``stack=False``), whatever its exit status.

        The CLI and everything it starts are killed when it runs past :attr:`timeout`
        (:class:`testkit.processes.CommandTimedOut`) or the caller is interrupted (pytest-timeout), and any plugin
        still running when it exits (:func:`testkit.processes.run_marked`)."""
        return run_marked(self.command(*args, stack=stack), cwd=self.folder, env=self.environment(env),
                          timeout=self.timeout, merge_output=merge_output)

    def checked(self, *args: str, **options: Any) -> subprocess.CompletedProcess[str]:
        """:meth:`run`, raising :attr:`failure` with what the command printed if it exits non-zero."""
        result = self.run(*args, **options)
        if result.returncode != 0:
            raise self.failure(f"`pulumi {' '.join(args)}` exited {result.returncode}\n--- stdout\n{result.stdout}\n"
                               f"--- stderr\n{result.stderr or ''}")
        return result

    def start(self, *args: str, env: Mapping[str, str] | None = None) -> subprocess.Popen[str]:
        """``pulumi ARGS`` started in its own process group (so a caller can kill the CLI and then its children)."""
        return subprocess.Popen(self.command(*args), cwd=self.folder, env=self.environment(env),
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                stdin=subprocess.DEVNULL, start_new_session=True)

    def set_config(self, key: str, value: str, *, secret: bool = False) -> None:
        self.checked("config", "set", key, value, "--secret" if secret else "--plaintext")

    def set_stack_config(self, key: str, value: Any) -> None:
        """Structured config (a catalog) into the stack file, keeping what the CLI wrote there."""
        yaml: Any = importlib.import_module("yaml")
        settings = yaml.safe_load(self.stack_file.read_text(encoding="utf-8")) if self.stack_file.exists() else None
        settings = settings or {}
        settings.setdefault("config", {})[key] = value
        self.stack_file.write_text(yaml.safe_dump(settings, sort_keys=False, allow_unicode=True), encoding="utf-8")

    def export(self) -> dict[str, Any]:
        return dict(json.loads(self.checked("stack", "export").stdout))

    def state_bytes(self) -> int:
        """The size of the stack's state file in the file backend."""
        return sum(path.stat().st_size for path in self.backend.rglob(f"{self.stack}.json"))
