"""The importable formats, in detection order, and detecting a file's format.

Contract JSONL (lines with ``messages``) is detected as ``openai_chat``; callers that read the
contract directly (``curator check``) treat that as "no import needed".
"""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType

from core.importers.read import read_head
from core.importers.sniff import sniff

# name -> module under core.importers; detection tries them in this order
FORMATS: dict[str, str] = {
    "openai_chat": "openai_chat",
    "openai_batch": "openai_batch",
    "otel_genai": "otel_genai",
    "langfuse": "langfuse",
    "langsmith": "langsmith",
    "inspect": "inspect_log",
    "sharegpt": "sharegpt",
    "wrapped": "wrapped",
}
CONTRACT_FORMAT = "openai_chat"


class UnknownFormat(Exception):
    """A file no importer recognises; the message names what was seen."""


def importer(name: str) -> ModuleType:
    """The module implementing format ``name``."""
    return importlib.import_module(f"core.importers.{FORMATS[name]}")


def detect_format(path: Path) -> str:
    """The format of ``path``, or UnknownFormat naming the top-level keys it saw."""
    try:
        head = read_head(path)
    except OSError as exc:
        raise UnknownFormat(f"cannot read: {exc.strerror or exc}") from None
    for name in FORMATS:
        if importer(name).detect(head, path.name):
            return name
    raise UnknownFormat(describe_unknown(head))


def describe_unknown(head: bytes) -> str:
    """Why a head matched no format, naming the keys of its first object when it has one."""
    shape = sniff(head)
    if shape.container == "other":
        return "not JSON or JSONL"
    if shape.container == "zip":
        return "a zip archive that is not an Inspect .eval log"
    where = "top-level keys" if shape.container == "object" else "keys of the first item"
    keys = ", ".join(shape.keys[:12]) or "none"
    return f"unrecognised JSON document ({where}: {keys}); see `curator import --help`"
