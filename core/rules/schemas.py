"""Compiled JSON Schema validators, cached by the schema's canonical bytes.

tool.arguments_schema and shape.schema validate with ``jsonschema-rs`` (a compiled validator in
Rust; measured 5x faster than ``fastjsonschema`` on a tool-call corpus, see bench/RESULTS.md).
The same ``tools`` array repeats on every line of a tool-calling corpus, so validators are
cached: first by the schema's bytes as serialized (cheap, no key sorting), then by its canonical
bytes (sorted keys), so a schema written with another key order still compiles once. A schema
that is itself invalid is kept as its error message, never raised.
"""

from __future__ import annotations

from typing import Any

import jsonschema_rs
import orjson

MAX_CACHED = 4096
MAX_ERRORS = 3

_by_bytes: dict[bytes, CompiledSchema] = {}
_by_canonical: dict[bytes, CompiledSchema] = {}


class CompiledSchema:
    """A validator, or why the schema could not be compiled (``error``)."""

    __slots__ = ("validator", "error")

    def __init__(self, validator: Any | None, error: str | None) -> None:
        self.validator = validator
        self.error = error

    def violations(self, value: Any) -> list[str]:
        """Up to :data:`MAX_ERRORS` messages ``at /path: what``; empty when ``value`` is valid."""
        validator = self.validator
        if validator is None or validator.is_valid(value):
            return []
        messages: list[str] = []
        for error in validator.iter_errors(value):
            path = "/" + "/".join(str(part) for part in error.instance_path)
            messages.append(f"at {path}: {error.message}")
            if len(messages) == MAX_ERRORS:
                break
        return messages


def compile_schema(schema: Any) -> CompiledSchema:
    """The cached validator of ``schema`` (any JSON value; never raises)."""
    try:
        raw = orjson.dumps(schema)
    except (TypeError, orjson.JSONEncodeError) as exc:
        return CompiledSchema(None, f"not JSON: {exc}")
    found = _by_bytes.get(raw)
    if found is not None:
        return found
    canonical = orjson.dumps(schema, option=orjson.OPT_SORT_KEYS)
    found = _by_canonical.get(canonical)
    if found is None:
        found = _compile(schema)
        _remember(_by_canonical, canonical, found)
    _remember(_by_bytes, raw, found)
    return found


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a usable JSON Schema, or None (for config validation)."""
    return compile_schema(schema).error


def _compile(schema: Any) -> CompiledSchema:
    if not isinstance(schema, dict | bool):
        return CompiledSchema(None, "a schema must be an object")
    try:
        return CompiledSchema(jsonschema_rs.validator_for(schema), None)
    except (ValueError, TypeError) as exc:  # jsonschema_rs.ValidationError is a ValueError
        return CompiledSchema(None, str(exc).split("\n", 1)[0])


def _remember(cache: dict[bytes, CompiledSchema], key: bytes, value: CompiledSchema) -> None:
    if len(cache) >= MAX_CACHED:  # a corpus with ever-new schemas must not grow memory forever
        cache.clear()
    cache[key] = value
