"""Compatible ranges in pyproject.toml, exact versions in constraints.txt, which CI installs."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]


def _key(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _declared() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    lines = project["dependencies"] + project["optional-dependencies"]["test"]
    return [Requirement(line) for line in lines]


def _pins() -> dict[str, str]:
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[_key(name)] = version
    return pins


def test_no_dependency_is_pinned_exactly_and_each_has_an_upper_bound() -> None:
    for req in _declared():
        operators = {spec.operator for spec in req.specifier}
        assert "==" not in operators, f"{req}: use a compatible range; pin in constraints.txt"
        assert "<" in operators, f"{req}: give an upper bound (the next major)"


def test_constraints_pin_every_direct_dependency_inside_its_range() -> None:
    pins = _pins()
    for req in _declared():
        assert _key(req.name) in pins, f"{req.name} missing from constraints.txt"
        assert req.specifier.contains(pins[_key(req.name)]), f"{req.name}=={pins[req.name]}"


def test_ci_installs_with_the_constraints() -> None:
    script = (ROOT / ".ci" / "run").read_text()
    assert "-c constraints.txt" in script
    readme = (ROOT / "README.md").read_text()
    assert "pip install -e . && curator review sample_traces\n" in readme
    assert "\npip install -e '.[test]' && pytest\n" in readme
