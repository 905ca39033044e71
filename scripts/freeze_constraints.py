"""Print constraints.txt: the exact installed version of every package ``.[test]`` pulls in.

Run in a working environment (``pip install -e '.[test]'``) and redirect into
``constraints.txt``; CI installs with ``-c constraints.txt`` so it gets exactly these.
"""

from __future__ import annotations

import importlib.metadata as metadata
import re
import sys

from packaging.requirements import Requirement

HEADER = """\
# Exact versions CI installs (.ci/run passes this file to pip with -c), test tools included,
# so a new release of a dependency, ruff or pytest cannot turn CI red overnight.
# pyproject.toml keeps compatible ranges; bump a pin here on purpose, in its own commit.
# Regenerate from a working environment: python scripts/freeze_constraints.py > constraints.txt
"""


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def closure(project: str = "trace-curator", extra: str = "test") -> dict[str, str]:
    """Normalized name -> installed version of every dependency of ``project[extra]``."""
    found: dict[str, str] = {}

    def walk(name: str, extras: tuple[str, ...]) -> None:
        try:
            dist = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            return  # a marker-excluded or optional package that is not installed
        if _key(name) in found:
            return
        found[_key(name)] = dist.version
        for line in dist.requires or []:
            req = Requirement(line)
            if req.marker and not any(req.marker.evaluate({"extra": e}) for e in (*extras, "")):
                continue
            walk(req.name, tuple(req.extras))

    for line in metadata.distribution(project).requires or []:
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate({"extra": extra}):
            walk(req.name, tuple(req.extras))
    return found


def main() -> int:
    sys.stdout.write(HEADER)
    for name, version in sorted(closure().items()):
        sys.stdout.write(f"{name}=={version}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
