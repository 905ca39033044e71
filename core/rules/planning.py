"""Planning rules: the plan is an object with its required fields, real tool steps and a sane
target count (planning.shape, planning.required_fields, planning.tool_steps,
planning.target_count).
"""

from __future__ import annotations

from typing import Any

from core.rules.findings import FindingList, json_type, quote
from core.rules.output import OutputJson
from core.rules.settings import CallRuleSettings


def check_planning(
    output: OutputJson, messages: Any, settings: CallRuleSettings, findings: FindingList
) -> None:
    """Add the planning findings for one call's output."""
    plan = output.value
    if not isinstance(plan, dict):
        findings.add("planning.shape", f"plan is {json_type(plan)}, not an object")
        return
    if "planning.required_fields" in findings.enabled:
        _check_required_fields(plan, settings.required_fields, findings)
    if "planning.tool_steps" in findings.enabled:
        _check_tool_steps(plan.get("tool_steps"), settings.allowed_tools, findings)
    if "planning.target_count" in findings.enabled:
        _check_target_count(plan.get("target_count"), settings.max_target_count, findings)


def _check_required_fields(
    plan: dict[str, Any], required: tuple[str, ...], findings: FindingList
) -> None:
    for field in required:
        if plan.get(field) is None:
            break
    else:
        return  # every field present and non-null: the common case, checked cheaply
    missing = [field for field in required if field not in plan]
    null = [field for field in required if field in plan and plan[field] is None]
    parts = []
    if missing:
        parts.append("missing " + ", ".join(missing))
    if null:
        parts.append("null " + ", ".join(null))
    findings.add("planning.required_fields", "required fields " + "; ".join(parts))


def _check_tool_steps(steps: Any, allowed_tools: frozenset[str], findings: FindingList) -> None:
    if steps is None:
        return  # absent or null is planning.required_fields' finding
    if not isinstance(steps, list):
        findings.add("planning.tool_steps", f"tool_steps is {json_type(steps)}, not an array")
        return
    if not steps:
        findings.add("planning.tool_steps", "tool_steps is an empty array")
        return
    if allowed_tools:
        problems = [
            problem
            for index, step in enumerate(steps)
            if (problem := _disallowed_step(index, step, allowed_tools)) is not None
        ]
        findings.add_capped("planning.tool_steps", problems, "… and {count} more disallowed steps")


def _disallowed_step(index: int, step: Any, allowed_tools: frozenset[str]) -> str | None:
    """Why a step's tool is not allowed, or None when it is."""
    tool = step.get("tool") if isinstance(step, dict) else step
    if isinstance(tool, str) and tool in allowed_tools:
        return None
    if isinstance(step, dict):
        if tool is None:
            return f"tool_steps[{index}] has no tool"
        return f"tool_steps[{index}].tool {quote(tool)} is not in allowed_tools"
    if isinstance(step, str):
        return f"tool_steps[{index}] {quote(step)} is not in allowed_tools"
    return f"tool_steps[{index}] is {json_type(step)}, not a tool name or step object"


def _check_target_count(count: Any, maximum: int, findings: FindingList) -> None:
    if count is None:
        return
    if type(count) is not int or count <= 0:
        findings.add(
            "planning.target_count", f"target_count {quote(count)} is not a positive integer"
        )
    elif maximum and count > maximum:
        findings.add("planning.target_count", f"target_count {count} > max_target_count {maximum}")
