"""Every rule id the checker knows, its level and its default severity.

The ids and defaults are the product contract (PRODUCT.md, docs/RULES.md); config may change a
rule's severity but not invent ids.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from core.models import Severity


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A rule's identity: id, level (call or run), default severity and a one-line summary."""

    id: str
    level: Literal["call", "run"]
    default: Severity
    summary: str


RULES: tuple[RuleSpec, ...] = (
    RuleSpec("format.messages", "call", Severity.ERROR, "messages are not a valid chat example"),
    RuleSpec("output.empty", "call", Severity.ERROR, "assistant output empty or blank"),
    RuleSpec("output.invalid_json", "call", Severity.ERROR, "assistant output is not JSON"),
    RuleSpec("output.fenced", "call", Severity.ERROR, "JSON wrapped in a markdown code fence"),
    RuleSpec("output.reasoning", "call", Severity.ERROR, "reasoning text around the JSON"),
    RuleSpec("planning.shape", "call", Severity.ERROR, "plan is not a JSON object"),
    RuleSpec("planning.required_fields", "call", Severity.ERROR, "plan misses a required field"),
    RuleSpec("planning.tool_steps", "call", Severity.ERROR, "tool_steps not a non-empty array"),
    RuleSpec("planning.target_count", "call", Severity.ERROR, "target_count out of range"),
    RuleSpec("extraction.shape", "call", Severity.ERROR, "extraction is not a JSON array"),
    RuleSpec("extraction.ungrounded", "call", Severity.ERROR, "value not in the input text"),
    RuleSpec("extraction.unknown_field", "call", Severity.ERROR, "field outside known_fields"),
    RuleSpec("enrichment.shape", "call", Severity.ERROR, "enrichment is not a JSON object"),
    RuleSpec("enrichment.ungrounded", "call", Severity.ERROR, "value not in the input text"),
    RuleSpec("enrichment.overwrite", "call", Severity.ERROR, "a pre-filled field was changed"),
    RuleSpec("enrichment.unknown_field", "call", Severity.ERROR, "field outside known_fields"),
    RuleSpec("band.context_chars", "call", Severity.ERROR, "messages exceed max_context_chars"),
    RuleSpec("format.weight", "call", Severity.ERROR, "weight not 0/1 or not on an assistant"),
    RuleSpec("format.content_part", "call", Severity.ERROR, "content part the format lacks"),
    RuleSpec("format.metadata", "call", Severity.WARN, "a metadata number past 64 bits"),
    RuleSpec("tool.arguments_json", "call", Severity.ERROR, "tool arguments not a JSON object"),
    RuleSpec("tool.unknown_name", "call", Severity.ERROR, "tool call names no declared tool"),
    RuleSpec("tool.arguments_schema", "call", Severity.ERROR, "arguments violate the schema"),
    RuleSpec("tool.orphan_result", "call", Severity.ERROR, "tool result answers no call"),
    RuleSpec("output.repetition", "call", Severity.ERROR, "degenerate repetition in the output"),
    RuleSpec("output.length", "call", Severity.OFF, "output over max_output_chars"),
    RuleSpec("shape.schema", "call", Severity.ERROR, "JSON output violates the task schema"),
    RuleSpec("shape.ungrounded", "call", Severity.ERROR, "grounded field not in the input text"),
    RuleSpec("shape.unknown_field", "call", Severity.ERROR, "field outside known_fields"),
    RuleSpec("dup.exact", "call", Severity.ERROR, "exact duplicate of an earlier call"),
    RuleSpec("dup.prefix", "call", Severity.ERROR, "a step of a longer trajectory"),
    RuleSpec("run.status", "run", Severity.ERROR, "run did not complete"),
    RuleSpec("band.enrichment_iterations", "run", Severity.ERROR, "too many enrichment rounds"),
    RuleSpec("band.discovery_rounds", "run", Severity.ERROR, "too many discovery rounds"),
    RuleSpec("band.circuit_breaker", "run", Severity.ERROR, "discovery ran past the breaker"),
    RuleSpec("band.enrichment_batch_size", "run", Severity.ERROR, "enrichment batch too large"),
    RuleSpec("band.coverage", "run", Severity.ERROR, "final coverage below threshold"),
    RuleSpec("band.attempts_per_entity", "run", Severity.ERROR, "entity enriched too often"),
    RuleSpec("band.additional_queries", "run", Severity.ERROR, "too many additional queries"),
)

RULES_BY_ID: dict[str, RuleSpec] = {spec.id: spec for spec in RULES}
RUN_RULE_IDS: tuple[str, ...] = tuple(s.id for s in RULES if s.level == "run")
