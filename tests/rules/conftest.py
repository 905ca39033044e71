"""Factories for small, realistic trace records and configs used by the call-rule tests."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from core.config import CuratorConfig
from core.models import Finding
from core.rules.calls import check_call

SYSTEM_PROMPT = "You are a data agent. Reply with JSON only."

PLAN = {
    "entity_type": "restaurant",
    "target_count": 40,
    "city": "Austin, TX",
    "tool_steps": [{"tool": "web_search", "query": "best taquerias austin"}],
}

PAGE = (
    "Austin's best taquerias\n"
    "Casa Verde Taqueria — 1402 E Cesar Chavez St, Austin, TX 78702\n"
    "Tel (512) 555-0142 · https://www.casaverde.example.com/\n"
    "Rated 4.5 by 312 diners. Open 7am–3pm.\n\n"
    "El Farolito\n2201 Manor Rd, Austin, TX 78722\nPhone: 512.555.0199\n"
)

CASA_VERDE = {
    "name": "Casa Verde Taqueria",
    "address": "1402 E Cesar Chavez St, Austin, TX 78702",
    "phone": "(512) 555-0142",
    "website": "https://www.casaverde.example.com/",
}


def record(
    output: Any = "{}",
    *,
    user: Any = "Plan the search.",
    system: str | None = SYSTEM_PROMPT,
    before_output: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """One trace line: optional system prompt, a user turn, extra turns, the assistant output.

    ``output`` that is not a string is serialized as JSON, so tests can pass plain values.
    """
    messages: list[dict[str, Any]] = []
    if system is not None:
        messages.append({"role": "system", "content": system})
    messages.append({"role": "user", "content": user})
    messages.extend(before_output or [])
    content = output if isinstance(output, str) or output is None else orjson.dumps(output).decode()
    messages.append({"role": "assistant", "content": content})
    return {"messages": messages, "metadata": {"run_id": "r-0142", "seq": 1}}


def enrichment_user(entity: dict[str, Any], content: str = PAGE) -> str:
    """An enrichment user turn: the entity as JSON, then the scraped content."""
    return f"Fill the missing fields.\nEntity: {orjson.dumps(entity).decode()}\n\n{content}"


def config(rules: dict[str, str] | None = None, **tasks: dict[str, Any]) -> CuratorConfig:
    """A config with some rule severities and task settings changed."""
    return CuratorConfig.model_validate({"rules": rules or {}, "tasks": tasks})


class Checked(list[Finding]):
    """check_call's findings, with the lookups the tests make."""

    @property
    def ids(self) -> list[str]:
        return [finding.rule for finding in self]

    def only(self, rule_id: str) -> Finding:
        """The single finding of a rule; fails the test when there are none or several."""
        matching = [finding for finding in self if finding.rule == rule_id]
        assert len(matching) == 1, f"expected one {rule_id} finding, got {list(self)}"
        return matching[0]

    def of(self, rule_id: str) -> list[str]:
        """The messages of every finding of a rule."""
        return [finding.message for finding in self if finding.rule == rule_id]


def check(line: Any, task: str = "unknown", cfg: CuratorConfig | None = None) -> Checked:
    """check_call with the default config unless one is given."""
    return Checked(check_call(line, task, cfg or CuratorConfig()))


@pytest.fixture(name="make_record")
def make_record_fixture():
    return record


@pytest.fixture(name="enrichment_user")
def enrichment_user_fixture():
    return enrichment_user


@pytest.fixture(name="make_config")
def make_config_fixture():
    return config


@pytest.fixture(name="check")
def check_fixture():
    return check


@pytest.fixture
def plan() -> dict[str, Any]:
    return orjson.loads(orjson.dumps(PLAN))


@pytest.fixture
def page() -> str:
    return PAGE


@pytest.fixture
def casa_verde() -> dict[str, Any]:
    return dict(CASA_VERDE)
