"""What a release publishes, checked before anything is published (.github/workflows/release.yml runs it).

``python tools/release/check.py --tag vX.Y.Z [--dist DIR]`` fails, saying each reason, unless

* the tag is ``v`` and the version ``pulumi_chartmogul/_version.py`` writes (the package's, the schema's, the
  plugin's and the SDKs' version);
* DIR (default ``dist``) holds the package's wheel and sdist of that version (``make check-dist`` built and checked
  them) and the plugin's tarball for each platform the CLI may ask for, named as the engine asks for it from the
  schema's ``pluginDownloadURL``: ``pulumi-resource-chartmogul-v<version>-<os>-<arch>.tar.gz``
  (``tools/plugin/tarball.py``);
* each tarball holds, at its top, exactly the launcher ``pulumi-resource-chartmogul`` (mode 755), ``LICENSE`` and
  the very wheel in DIR (the bytes PyPI gets), with no owner names.

It prints the release's assets, one path a line, for ``gh release create``.
"""

from __future__ import annotations

import argparse
import re
import sys
import tarfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
EXECUTABLE = "pulumi-resource-chartmogul"
# Where `pulumi plugin install` and the engine's automatic acquisition look: every POSIX platform Pulumi ships for.
PLATFORMS = ("linux-amd64", "linux-arm64", "darwin-amd64", "darwin-arm64")


def package_version(repo: Path = REPO) -> str:
    """The version ``pulumi_chartmogul/_version.py`` writes, read without importing the package."""
    text = (repo / "pulumi_chartmogul" / "_version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    if match is None:
        raise SystemExit("no __version__ in pulumi_chartmogul/_version.py")
    return match.group(1)


def plugin_tarballs(version: str) -> list[str]:
    """The plugin's release assets, as ``<pluginDownloadURL>/<name>`` is fetched by the engine."""
    return [f"{EXECUTABLE}-v{version}-{platform}.tar.gz" for platform in PLATFORMS]


def python_archives(version: str) -> list[str]:
    return [f"pulumi_chartmogul-{version}-py3-none-any.whl", f"pulumi_chartmogul-{version}.tar.gz"]


def check_tag(tag: str, version: str) -> list[str]:
    if tag != f"v{version}":
        return [f"the tag {tag} is not v{version}, the version pulumi_chartmogul/_version.py writes: set the version "
                "there (and CHANGELOG's entry) and tag that commit"]
    return []


def check_tarball(path: Path, wheel: Path) -> list[str]:
    """Why the plugin tarball at ``path`` is not the launcher, LICENSE and ``wheel`` (empty when it is)."""
    try:
        with tarfile.open(path, "r:gz") as archive:
            members = {member.name: member for member in archive.getmembers()}
            expected = {EXECUTABLE, "LICENSE", wheel.name}
            if set(members) != expected:
                return [f"{path.name} holds {sorted(members)}, not {sorted(expected)}"]
            problems = [f"{path.name}: {name} is not a plain file" for name, member in members.items()
                        if not member.isfile()]
            if members[EXECUTABLE].mode & 0o777 != 0o755:
                problems.append(f"{path.name}: {EXECUTABLE} has mode {members[EXECUTABLE].mode:o}, not 755")
            problems += [f"{path.name}: {name} names an owner ({member.uname or member.uid}:"
                         f"{member.gname or member.gid})" for name, member in members.items()
                         if member.uname or member.gname or member.uid or member.gid]
            bundled = archive.extractfile(members[wheel.name])
            if bundled is None or bundled.read() != wheel.read_bytes():
                problems.append(f"{path.name}: its {wheel.name} is not the one in {wheel.parent}")
            return problems
    except (OSError, tarfile.TarError) as error:
        return [f"{path.name} is not a gzipped tar archive: {error}"]


def check_dist(dist: Path, version: str) -> list[str]:
    """Why ``dist`` does not hold the release's Python archives and plugin tarballs (empty when it does)."""
    missing = [name for name in (*python_archives(version), *plugin_tarballs(version)) if not (dist / name).is_file()]
    if missing:
        return [f"{dist} lacks {', '.join(missing)} (make check-dist, then tools/plugin/tarball.py --wheel <the "
                "wheel> --platform <os-arch> for each platform)"]
    wheel = dist / python_archives(version)[0]
    return [problem for name in plugin_tarballs(version) for problem in check_tarball(dist / name, wheel)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--tag", required=True, help="the release's git tag, v<version>")
    parser.add_argument("--dist", type=Path, default=REPO / "dist", help="the folder the archives are in")
    args = parser.parse_args(argv)
    version = package_version()
    problems = check_tag(args.tag, version) or check_dist(args.dist, version)
    if problems:
        print("\n".join(f"release check: {problem}" for problem in problems), file=sys.stderr)
        return 1
    for name in (*python_archives(version), *plugin_tarballs(version)):
        print(args.dist / name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
