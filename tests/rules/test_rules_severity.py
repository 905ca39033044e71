"""Severities come from config: ``warn`` keeps the finding but demotes it, ``off`` drops it."""

from __future__ import annotations

import pytest

from core.models import Severity, Verdict, verdict_of
from core.rules import settings as settings_module
from core.rules.registry import RULES_BY_ID

UNGROUNDED_LINE = {
    "messages": [
        {"role": "user", "content": "Casa Verde Taqueria, Austin"},
        {"role": "assistant", "content": '[{"name": "Casa Verde Taqueria", "city": "Dallas"}]'},
    ]
}


def test_default_severity_is_error(check):
    findings = check(UNGROUNDED_LINE, "extraction")
    assert findings.only("extraction.ungrounded").severity is Severity.ERROR
    assert verdict_of(findings) is Verdict.FAIL


def test_warn_produces_a_warn_finding_that_does_not_fail(check, make_config):
    cfg = make_config({"extraction.ungrounded": "warn"})
    findings = check(UNGROUNDED_LINE, "extraction", cfg)
    assert findings.only("extraction.ungrounded").severity is Severity.WARN
    assert verdict_of(findings) is Verdict.PASS


def test_off_produces_no_finding(check, make_config):
    cfg = make_config({"extraction.ungrounded": "off"})
    assert check(UNGROUNDED_LINE, "extraction", cfg) == []


def _line(output: object, user: str = "hi") -> dict:
    return {
        "messages": [{"role": "user", "content": user}, {"role": "assistant", "content": output}]
    }


def _weighted(weight: object) -> dict:
    line = _line("Fine.")
    line["messages"][-1]["weight"] = weight
    return line


def _tool_line(name: str, arguments: str) -> dict:
    call = {"id": "c1", "type": "function", "function": {"name": name, "arguments": arguments}}
    schema = {"type": "object", "properties": {"n": {"type": "integer"}}}
    return {
        "messages": [
            {"role": "user", "content": "hi"},
            {"role": "assistant", "content": None, "tool_calls": [call]},
        ],
        "tools": [{"type": "function", "function": {"name": "f", "parameters": schema}}],
    }


def _orphan_line() -> dict:
    line = _line("Done.")
    line["messages"].insert(1, {"role": "tool", "tool_call_id": "c9", "content": "ok"})
    return line


# rule id -> (a line that breaks it, the task it is checked as)
BAD_LINES = {
    "format.messages": ({"messages": [{"role": "assistant", "content": "{}"}]}, "unknown"),
    "output.empty": (_line(""), "unknown"),
    "output.invalid_json": (_line("{'a': 1}"), "planning"),
    "output.fenced": (_line("```\n{}\n```"), "unknown"),
    "output.reasoning": (_line("Sure: {}"), "planning"),
    "band.context_chars": (_line("{}", user="x" * 60_001), "unknown"),
    "planning.shape": (_line("[]"), "planning"),
    "planning.required_fields": (_line("{}"), "planning"),
    "planning.tool_steps": (_line('{"tool_steps": []}'), "planning"),
    "planning.target_count": (_line('{"target_count": 0}'), "planning"),
    "extraction.shape": (_line("{}"), "extraction"),
    "extraction.ungrounded": (_line('[{"a": "b"}]'), "extraction"),
    "enrichment.shape": (_line("[]"), "enrichment"),
    "enrichment.overwrite": (_line("{}", user='{"a": "b"}'), "enrichment"),
    "enrichment.ungrounded": (_line('{"a": "b"}'), "enrichment"),
    "format.weight": (_weighted(2), "unknown"),
    "format.content_part": (_line([{"type": "text"}]), "unknown"),
    "tool.arguments_json": (_tool_line("f", "{oops"), "unknown"),
    "tool.unknown_name": (_tool_line("g", "{}"), "unknown"),
    "tool.arguments_schema": (_tool_line("f", '{"n": "x"}'), "unknown"),
    "tool.orphan_result": (_orphan_line(), "unknown"),
    "output.repetition": (_line("again " * 40), "unknown"),
}


@pytest.mark.parametrize("rule_id", sorted(BAD_LINES))
def test_every_rule_can_be_warned_or_switched_off(check, make_config, rule_id):
    line, task = BAD_LINES[rule_id]
    assert rule_id in check(line, task).ids
    warned = check(line, task, make_config({rule_id: "warn"}))
    assert all(f.severity is Severity.WARN for f in warned if f.rule == rule_id)
    assert rule_id in warned.ids
    assert rule_id not in check(line, task, make_config({rule_id: "off"})).ids


def test_findings_only_use_registered_call_rule_ids(check):
    for line, task in BAD_LINES.values():
        for finding in check(line, task):
            assert RULES_BY_ID[finding.rule].level == "call"
            assert finding.rule != "dup.exact"


def test_settings_are_resolved_once_per_config(make_config, monkeypatch):
    cfg = make_config({"output.fenced": "off"})
    first = settings_module.call_rule_settings(cfg)
    assert settings_module.call_rule_settings(cfg) is first
    assert "output.fenced" not in first.severities
    other = settings_module.call_rule_settings(make_config())
    assert "output.fenced" in other.severities
