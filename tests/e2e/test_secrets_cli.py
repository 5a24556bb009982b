"""The key set with ``pulumi config set --secret chartmogul:apiKey`` appears in no byte of what the CLI shows or
keeps: ``pulumi stack export``, the CLI's output (also with ``--debug`` and ``-v=9`` logs), the state files, the
stack's config file; in the gRPC traffic the engine logs (``PULUMI_DEBUG_GRPC``) only the engine's own
config hand-over holds it."""

from __future__ import annotations

import json
from pathlib import Path

from testkit.emulator import Emulator
from tests.e2e.conftest import KEY, Project, api_plans

# The engine's messages that carry the whole stack config, decrypted, by design.
CONFIG_CARRIERS = {"Run", "GetDeploymentInfo", "CheckConfig", "DiffConfig", "Configure"}
CATALOG = [{"name": "Secret-free billing", "plans": [
    {"name": "Basic", "interval_count": 1, "interval_unit": "month", "external_id": "basic"},
    {"name": "Pro", "interval_count": 1, "interval_unit": "year", "external_id": "pro"},
]}]


def test_the_key_is_in_no_output_state_or_log(bootstrap: Project, emulator: Emulator, tmp_path: Path) -> None:
    project = bootstrap
    project.set_catalog(CATALOG)
    grpc_log = tmp_path / "grpc.json"
    verbose = {"PULUMI_DEBUG_GRPC": str(grpc_log)}
    shown: list[str] = []
    for args in (("up", "--yes", "--debug", "--logtostderr", "-v=9"),
                 ("preview", "--diff", "--debug", "--logtostderr", "-v=9"),
                 ("refresh", "--yes", "--diff", "--debug", "--logtostderr", "-v=9"),
                 ("stack", "export"),
                 ("stack", "output", "--json"),
                 ("config",),
                 ("destroy", "--yes", "--debug", "--logtostderr", "-v=9")):
        result = project.pulumi(*args, env=verbose)
        shown += [result.stdout, result.stderr]
        if args[0] == "up":
            assert len(api_plans(emulator)) == 2  # the run did the work (the key was used)
            exported = project.pulumi("stack", "export").stdout
            assert '"secure"' in exported or "ciphertext" in exported  # the key is there, encrypted
            shown.append(exported)
    text = "\n".join(shown)
    assert "[secret]" in text  # `pulumi config` shows the key masked
    assert len(text) > 100_000, "the -v=9 logs were captured"
    assert KEY not in text
    # The engine's own gRPC log (a debugging aid that writes every message as it is) carries the key only where the
    # engine hands the decrypted config over: to the program, and to our provider host's configure(). No resource
    # operation (Check, Diff, Create, Read, Update, Delete: request or answer) ever holds it.
    carrying = {json.loads(line)["method"].rsplit("/", 1)[1] for line in grpc_log.read_text().splitlines()
                if KEY in line}
    operations = [json.loads(line)["method"] for line in grpc_log.read_text().splitlines()
                  if "/pulumirpc.ResourceProvider/" in line]
    assert {"Check", "Create", "Diff", "Read", "Delete"} <= {m.rsplit("/", 1)[1] for m in operations}
    assert carrying <= CONFIG_CARRIERS, carrying - CONFIG_CARRIERS
    files = [p for p in (project.backend.rglob("*")) if p.is_file()] + [project.stack_file]
    assert len(files) > 2
    assert not [str(p) for p in files if KEY.encode() in p.read_bytes()]
    # The demo keeps its state in the same shape: a file backend in a folder, the key encrypted in Pulumi.*.yaml.
    assert "secure:" in project.stack_file.read_text()
