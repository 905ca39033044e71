"""Property: check_call never raises on JSON-ish records and only returns well-formed findings."""

from __future__ import annotations

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import CuratorConfig
from core.models import Finding, Severity
from core.rules.calls import check_call
from core.rules.findings import MAX_MESSAGE_CHARS
from core.rules.registry import RULES_BY_ID

SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4)
    ),
    max_leaves=12,
)
FIELD_TEXT = st.sampled_from(
    ["Casa Verde", "(512) 555-0142", "+1 512.555.0142", "https://www.casa.example/", "CASA", "4.5"]
)
ENTITY = st.dictionaries(st.sampled_from(["name", "phone", "website", "rating"]), FIELD_TEXT)


@st.composite
def output_texts(draw) -> str:
    """Assistant outputs: JSON (sometimes wrapped in a fence, think block or prose) or junk."""
    value = draw(st.lists(ENTITY, max_size=3) | ENTITY | JSON_VALUES)
    body = orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS).decode() if _dumpable(value) else "x"
    wrapper = draw(
        st.sampled_from(["{}", "```json\n{}\n```", "<think>hmm</think>{}", "Sure! {} Bye", "{}```"])
    )
    return wrapper.replace("{}", body) if draw(st.integers(0, 3)) else draw(st.text(max_size=40))


def _dumpable(value) -> bool:
    try:
        orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except (orjson.JSONEncodeError, TypeError):
        return False
    return True


CONTENT = (
    st.text(max_size=60)
    | output_texts()
    | st.none()
    | st.lists(
        st.fixed_dictionaries({"type": st.sampled_from(["text", "image_url"]), "text": st.text()})
        | JSON_VALUES,
        max_size=3,
    )
    | JSON_VALUES
)
MESSAGE = st.fixed_dictionaries(
    {
        "role": st.sampled_from(["system", "user", "assistant", "tool", "function", None])
        | JSON_VALUES
    },
    optional={"content": CONTENT, "tool_calls": JSON_VALUES, "name": st.text(max_size=5)},
)
MESSAGES = st.lists(MESSAGE | JSON_VALUES, max_size=6) | JSON_VALUES


@st.composite
def plausible_records(draw) -> dict:
    """Mostly well-formed calls, so the output and task rules get exercised, not just format."""
    user = draw(
        st.text(max_size=60)
        | st.lists(FIELD_TEXT, max_size=4).map(" ".join)
        | ENTITY.map(lambda entity: orjson.dumps(entity).decode())
    )
    middle = draw(st.lists(MESSAGE, max_size=2))
    content = draw(output_texts()) if draw(st.integers(0, 3)) else draw(CONTENT)
    last = {"role": "assistant", "content": content}
    return {"messages": [{"role": "user", "content": user}, *middle, last]}


RECORDS = st.integers(0, 3).flatmap(
    lambda pick: (
        plausible_records()
        if pick
        else st.fixed_dictionaries({"messages": MESSAGES}, optional={"tools": JSON_VALUES})
        | JSON_VALUES
    )
)
CONFIGS = st.sampled_from(
    [
        CuratorConfig(),
        CuratorConfig.model_validate(
            {
                "rules": {"output.reasoning": "off", "extraction.ungrounded": "warn"},
                "bands": {"max_context_chars": 50},
                "tasks": {
                    "planning": {"allowed_tools": ["web_search"], "max_target_count": 10},
                    "extraction": {"known_fields": ["name", "phone"]},
                    "enrichment": {"known_fields": ["name"]},
                },
            }
        ),
    ]
)
TASKS = st.sampled_from(["planning", "extraction", "enrichment", "unknown", ""])


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(record=RECORDS, task=TASKS, config=CONFIGS)
def test_check_call_never_raises_and_returns_known_call_findings(record, task, config):
    findings = check_call(record, task, config)
    assert isinstance(findings, list)
    for finding in findings:
        assert isinstance(finding, Finding)
        spec = RULES_BY_ID[finding.rule]
        assert spec.level == "call"
        assert finding.rule != "dup.exact"
        assert finding.severity in (Severity.ERROR, Severity.WARN)
        assert finding.severity is config.severity(finding.rule)
        assert 0 < len(finding.message) <= MAX_MESSAGE_CHARS


@settings(max_examples=200, deadline=None)
@given(
    user=st.text(max_size=80) | FIELD_TEXT,
    entities=st.lists(ENTITY, max_size=4),
    task=st.sampled_from(["extraction", "enrichment"]),
)
def test_values_copied_verbatim_from_the_input_are_always_grounded(user, entities, task):
    """Whatever the page says, echoing its own strings never yields an ungrounded finding."""
    page = user + " " + " ".join(value for entity in entities for value in entity.values())
    output = entities if task == "extraction" else (entities[0] if entities else {})
    line = {
        "messages": [
            {"role": "user", "content": page},
            {"role": "assistant", "content": orjson.dumps(output).decode()},
        ]
    }
    rules = [finding.rule for finding in check_call(line, task, CuratorConfig())]
    assert f"{task}.ungrounded" not in rules


PAGE_PIECES = FIELD_TEXT | st.text(max_size=20) | st.sampled_from(["\n", "  ", "Tel +44 20 7946"])
VALUES = FIELD_TEXT | st.text(max_size=12) | st.integers() | st.floats() | JSON_VALUES


@settings(max_examples=300, deadline=None)
@given(
    pieces=st.lists(PAGE_PIECES, max_size=8),
    entities=st.lists(
        st.dictionaries(st.sampled_from(["name", "phone", "url"]), VALUES), max_size=4
    ),
    task=st.sampled_from(["extraction", "enrichment"]),
    wrapped=st.booleans(),
)
def test_grounding_never_raises_on_arbitrary_pages_and_values(pieces, entities, task, wrapped):
    output = entities if task == "extraction" else {"name": None, **(entities[:1] or [{}])[0]}
    text = orjson.dumps(output).decode() if _dumpable(output) else "[]"
    line = {
        "messages": [
            {"role": "user", "content": orjson.dumps({"name": "Casa"}).decode() + "".join(pieces)},
            {"role": "assistant", "content": f"```json\n{text}\n```" if wrapped else text},
        ]
    }
    for finding in check_call(line, task, CuratorConfig()):
        assert RULES_BY_ID[finding.rule].level == "call"
        assert len(finding.message) <= MAX_MESSAGE_CHARS
