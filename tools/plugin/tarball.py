"""``make plugin``: the native plugin ``chartmogul`` as a tarball for
``pulumi plugin install resource chartmogul <version> --file <tarball>``.

``python tools/plugin/tarball.py [--wheel WHEEL] [--out DIR] [--platform OS-ARCH]`` writes
``DIR/pulumi-resource-chartmogul-v<version>-<os>-<arch>.tar.gz`` (default DIR ``dist``, the platform this machine's)
and prints its path. The archive holds, at its top, as ``pulumi plugin install --file`` unpacks it into the plugin's
folder:

* ``pulumi-resource-chartmogul``, the launcher (``tools/plugin/launcher.py``, mode 755), which makes a virtualenv
  beside itself from the wheel on its first run and then runs the wheel's console script of that name;
* the package's wheel, ``pulumi_chartmogul-<version>-py3-none-any.whl`` (built from a copy of the package's sources
  unless ``--wheel`` names one), of the version ``pulumi_chartmogul/_version.py`` says;
* ``LICENSE``.

Nothing of the build machine goes in: no path (the wheel is built in a scratch folder and holds relative names only),
no user or group name, no time stamp but ``SOURCE_DATE_EPOCH`` (default 0), so the same sources give the same bytes.
The contents are the same on every platform (pure Python); the name carries the platform because that is where the
CLI looks for a plugin's release tarball. Windows is not supported (the launcher is a ``python3`` script).
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import platform
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LAUNCHER = Path(__file__).resolve().parent / "launcher.py"
EXECUTABLE = "pulumi-resource-chartmogul"
ARCHITECTURES = {"x86_64": "amd64", "amd64": "amd64", "aarch64": "arm64", "arm64": "arm64"}
# What an sdist of the package holds (tests/dist_check.py): enough to build the wheel.
SOURCES = ("pyproject.toml", "README.md", "LICENSE")


def package_version(repo: Path = REPO) -> str:
    """The version ``pulumi_chartmogul/_version.py`` writes, read without importing the package."""
    text = (repo / "pulumi_chartmogul" / "_version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise SystemExit("no __version__ in pulumi_chartmogul/_version.py")
    return match.group(1)


def this_platform() -> str:
    """``<os>-<arch>`` as Pulumi names plugin tarballs: linux-amd64, darwin-arm64, ..."""
    system = platform.system().lower()
    machine = platform.machine().lower()
    if system not in ("linux", "darwin") or machine not in ARCHITECTURES:
        raise SystemExit(f"no plugin tarball for {platform.system()} {platform.machine()}: the launcher needs a POSIX "
                         "system (Linux or macOS); pass --platform to name one")
    return f"{system}-{ARCHITECTURES[machine]}"


def build_wheel(scratch: Path, repo: Path = REPO) -> Path:
    """The package's wheel, built from a copy of its sources in ``scratch`` (the checkout stays untouched)."""
    source = scratch / "source"
    source.mkdir()
    for name in SOURCES:
        shutil.copy(repo / name, source / name)
    shutil.copytree(repo / "pulumi_chartmogul", source / "pulumi_chartmogul",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    out = scratch / "wheel"
    built = subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(out), str(source)],
                           capture_output=True, text=True, check=False)
    if built.returncode != 0:
        raise SystemExit(f"building the wheel failed:\n{built.stdout}{built.stderr}")
    [wheel] = out.glob("pulumi_chartmogul-*.whl")
    return wheel


def _member(name: str, data: bytes, mode: int, mtime: int) -> tuple[tarfile.TarInfo, io.BytesIO]:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = mtime
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info, io.BytesIO(data)


def write_tarball(target: Path, wheel: Path, *, license_file: Path = REPO / "LICENSE") -> None:
    """The archive, byte for byte the same for the same inputs (fixed order, owners, modes and times)."""
    mtime = int(os.environ.get("SOURCE_DATE_EPOCH", "0"))
    members = [
        _member(EXECUTABLE, LAUNCHER.read_bytes(), 0o755, mtime),
        _member(wheel.name, wheel.read_bytes(), 0o644, mtime),
        _member("LICENSE", license_file.read_bytes(), 0o644, mtime),
    ]
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    with partial.open("wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=mtime) as compressed, \
            tarfile.open(fileobj=compressed, mode="w", format=tarfile.PAX_FORMAT) as archive:
        for info, data in members:
            archive.addfile(info, data)
    partial.replace(target)


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--wheel", type=Path, help="the package's wheel (default: build one from this checkout)")
    parser.add_argument("--out", type=Path, default=REPO / "dist", help="the folder to write the tarball into")
    parser.add_argument("--platform", help="<os>-<arch> in the file name (default: this machine's)")
    args = parser.parse_args(argv)
    version = package_version()
    out: Path = args.out
    target = out / f"{EXECUTABLE}-v{version}-{args.platform or this_platform()}.tar.gz"
    with tempfile.TemporaryDirectory(prefix="chartmogul-plugin-") as scratch:
        wheel: Path = args.wheel or build_wheel(Path(scratch))
        expected = f"pulumi_chartmogul-{version}-"
        if not wheel.name.startswith(expected):
            raise SystemExit(f"{wheel.name} is not the wheel of pulumi-chartmogul {version} ({expected}*.whl)")
        write_tarball(target, wheel)
    print(target)
    return target


if __name__ == "__main__":
    main()
