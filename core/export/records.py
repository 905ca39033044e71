"""Turning an indexed call back into the record an export writes, and reading its bytes.

A record is the call's line without ``metadata``; ``core.export.target`` then keeps only the
keys of the provider's format. A repair replaces the content of the last assistant message.
Calls are read back lazily by (file, offset, length); reading in corpus order keeps gzip files
to one sequential pass.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from core.corpus.lines import open_binary
from core.rules.messages import content_text

CHARS_PER_TOKEN = 4
TOKENS_PER_MESSAGE = 4  # role and separators in a chat template


class SpanReader:
    """Reads call lines by (path, offset, length), holding one open file at a time."""

    def __init__(self) -> None:
        self._path: str | None = None
        self._fd: int | None = None
        self._gzip: BinaryIO | None = None

    def read(self, path: str, offset: int, length: int) -> bytes:
        """The bytes of one line; forward reads of a ``.gz`` file reuse the open stream."""
        if path.endswith(".gz"):
            if path != self._path or self._gzip is None or self._gzip.tell() > offset:
                self.close()
                self._gzip = open_binary(Path(path))
                self._path = path
            self._gzip.seek(offset)
            return self._gzip.read(length)
        if path != self._path or self._fd is None:
            self.close()
            self._fd = os.open(path, os.O_RDONLY)
            self._path = path
        return os.pread(self._fd, length, offset)

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
        if self._gzip is not None:
            self._gzip.close()
        self._fd, self._gzip, self._path = None, None, None

    def __enter__(self) -> SpanReader:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def export_record(call: dict[str, Any], repair: str | None) -> dict[str, Any]:
    """The record of a parsed call before the target format: every key but ``metadata``,
    with the repair applied."""
    messages = call.get("messages")
    if repair is not None and isinstance(messages, list):
        messages = list(messages)
        last = messages[-1] if messages else None
        if isinstance(last, dict) and last.get("role") == "assistant":
            messages[-1] = {**last, "content": repair}
        else:
            messages.append({"role": "assistant", "content": repair})
    record = {key: value for key, value in call.items() if key != "metadata"}
    record["messages"] = messages
    if record.get("tools", ()) is None:
        del record["tools"]  # a null tools list is "no tools", not a value to export
    return record


def record_line(record: dict[str, Any]) -> bytes:
    """One JSONL line (with its newline), keys in their original order, UTF-8."""
    return orjson.dumps(record) + b"\n"


def content_key(record: dict[str, Any]) -> str:
    """A hash of the record's canonical form: equal for exact duplicates whatever key order."""
    canonical = orjson.dumps(record, option=orjson.OPT_SORT_KEYS)
    return hashlib.blake2b(canonical, digest_size=16).hexdigest()


def message_text(content: Any) -> str:
    """The text of a message's content: a string, or the ``text`` of its parts ("" for none)."""
    return content_text(content) or ""


def user_text(messages: Any) -> str:
    """Every user message's text joined by newlines: what near-duplicate detection compares."""
    if not isinstance(messages, list):
        return ""
    return "\n".join(
        message_text(m.get("content"))
        for m in messages
        if isinstance(m, dict) and m.get("role") == "user"
    )


def estimate_tokens(record: dict[str, Any]) -> int:
    """A rough token count: about four characters a token, plus a few per message."""
    messages = record.get("messages")
    if not isinstance(messages, list):
        return 0
    chars = 0
    for message in messages:
        if not isinstance(message, dict):
            continue
        chars += len(message_text(message.get("content")))
        if message.get("tool_calls") is not None:
            chars += len(orjson.dumps(message["tool_calls"]))
    if record.get("tools") is not None:
        chars += len(orjson.dumps(record["tools"]))
    return -(-chars // CHARS_PER_TOKEN) + TOKENS_PER_MESSAGE * len(messages)
