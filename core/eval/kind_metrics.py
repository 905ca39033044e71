"""Metrics of ``tool_call``, ``text`` and ``reasoning`` examples, as pure functions.

Same component style as :mod:`core.eval.metrics`: each metric of one example is ``(numerator,
denominator)`` and a metric over a set is ``Σ numerators ÷ Σ denominators``, so the bootstrap
and the paired wins work alike for every kind. A component ``(0, 0)`` leaves the example out.

``tool_call`` (the answer's ``tool_calls`` against the gold's, see :mod:`core.eval.toolcalls`):

- ``tool_name_accuracy``: share of examples whose sequence of called function names equals
  the gold's (same names, same order, same count).
- ``arguments_exact``: share of examples with as many calls as the gold, call *i* having the
  gold call *i*'s name and JSON-equal arguments (key order ignored, ``1 == 1.0``,
  ``true != 1``).
- ``argument_key_precision`` / ``argument_key_recall``: pooled over examples, the multiset of
  ``(function name, argument key)`` pairs of the answer's calls against the gold's: Σ matched ÷
  Σ answered pairs / ÷ Σ gold pairs. Calls whose arguments do not parse add no pairs.
- ``valid_arguments``: pooled over answered calls, the share whose ``arguments`` parse as a
  JSON object (a JSON-object string, or an object). No call: left out.
- per-example ``score``: ``arguments_exact``.

``text`` (the answer's content against the gold's content):

- ``exact_match``: share of answers equal to the gold, surrounding whitespace trimmed.
- ``normalized_match``: share equal after :func:`normalize_answer` (casefolded, Unicode
  punctuation removed, whitespace runs folded).
- ``token_f1``: mean over examples of SQuAD's token F1: tokens are the whitespace-split
  normalized text; F1 of the token multisets; 1 when both are empty, 0 when one is.
- per-example ``score``: ``token_f1``.

``reasoning``: the ``text`` metrics on the answer after its ``<think>`` blocks (gold alike),
plus ``think_present``: share of answers with reasoning, a think block in the content or a
separate ``reasoning_content``.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Sequence

from core.eval.metrics import Component
from core.eval.toolcalls import ToolCall, argument_keys, same_call
from core.jsontext import has_think_block, strip_think

TOOL_CALL_METRICS = (
    "tool_name_accuracy",
    "arguments_exact",
    "argument_key_precision",
    "argument_key_recall",
    "valid_arguments",
)
TEXT_METRICS = ("exact_match", "normalized_match", "token_f1")
REASONING_METRICS = (*TEXT_METRICS, "think_present")


def tool_call_components(
    predicted: Sequence[ToolCall], gold: Sequence[ToolCall]
) -> dict[str, Component]:
    """Every ``tool_call`` metric component of one answer, and its ``score``."""
    names_equal = [c.name for c in predicted] == [c.name for c in gold]
    exact = len(predicted) == len(gold) and all(
        same_call(p, g) for p, g in zip(predicted, gold, strict=True)
    )
    predicted_keys, gold_keys = Counter(argument_keys(predicted)), Counter(argument_keys(gold))
    matched = sum((predicted_keys & gold_keys).values())
    valid = sum(1 for call in predicted if call.parsed_arguments is not None)
    return {
        "tool_name_accuracy": (float(names_equal), 1.0),
        "arguments_exact": (float(exact), 1.0),
        "argument_key_precision": (matched, predicted_keys.total()),
        "argument_key_recall": (matched, gold_keys.total()),
        "valid_arguments": (valid, len(predicted)),
        "score": (float(exact), 1.0),
    }


def text_components(output: str, gold: str) -> dict[str, Component]:
    """Every ``text`` metric component of one answer, and its ``score`` (token F1)."""
    f1 = token_f1(output, gold)
    return {
        "exact_match": (float(output.strip() == gold.strip()), 1.0),
        "normalized_match": (float(normalize_answer(output) == normalize_answer(gold)), 1.0),
        "token_f1": (f1, 1.0),
        "score": (f1, 1.0),
    }


def reasoning_components(output: str, gold: str, reasoning: str | None) -> dict[str, Component]:
    """The ``text`` components of the answers after their think blocks, and ``think_present``."""
    components = text_components(strip_think(output), strip_think(gold))
    components["think_present"] = (float(has_think_block(output) or bool(reasoning)), 1.0)
    return components


def normalize_answer(text: str) -> str:
    """Casefolded, Unicode punctuation (categories P*) removed, whitespace runs folded."""
    kept = "".join(ch for ch in text.casefold() if not unicodedata.category(ch).startswith("P"))
    return " ".join(kept.split())


def token_f1(output: str, gold: str) -> float:
    """SQuAD-style token F1 of the normalized texts."""
    predicted, expected = normalize_answer(output).split(), normalize_answer(gold).split()
    if not predicted or not expected:
        return float(predicted == expected)
    same = sum((Counter(predicted) & Counter(expected)).values())
    if same == 0:
        return 0.0
    precision, recall = same / len(predicted), same / len(expected)
    return 2 * precision * recall / (precision + recall)
