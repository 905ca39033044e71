"""format.weight and format.content_part: the chat fine-tuning format's optional features.

``weight`` (0 or 1) is how the format marks which assistant turns train; content given as a
list of parts carries text and images. Lines using either load and pass format.messages; these
rules report what a fine-tuning provider would reject: a weight that is not 0/1 or sits on
another role, a part type the format lacks (``image`` with a path), an image given as a local
path, an image in an assistant message, a text part without text.
"""

from __future__ import annotations

from typing import Any

from core.rules.findings import FindingList, json_type, quote

# The content part types of the chat format (OpenAI chat completions and fine-tuning).
PART_TYPES = frozenset({"text", "image_url", "input_audio", "file", "refusal"})
IMAGE_TYPES = frozenset({"image_url", "image"})
_URL_PREFIXES = ("http://", "https://", "data:")


def check_chat_parts(messages: Any, findings: FindingList) -> None:
    """Add format.weight and format.content_part findings for every message of a line."""
    weights = "format.weight" in findings.enabled
    parts = "format.content_part" in findings.enabled
    if not isinstance(messages, list) or not (weights or parts):
        return
    weight_problems: list[str] = []
    part_problems: list[str] = []
    for index, message in enumerate(messages):
        if type(message) is not dict:
            continue  # format.messages' finding
        if weights and "weight" in message:
            problem = _weight_problem(message)
            if problem:
                weight_problems.append(f"messages[{index}] {problem}")
        content = message.get("content")
        if parts and type(content) is list:
            role = message.get("role")
            for part_index, part in enumerate(content):
                problem = _part_problem(part, role)
                if problem:
                    part_problems.append(f"messages[{index}].content[{part_index}] {problem}")
    findings.add_capped("format.weight", weight_problems, "… and {count} more weights")
    findings.add_capped("format.content_part", part_problems, "… and {count} more parts")


def _weight_problem(message: dict[str, Any]) -> str | None:
    weight = message["weight"]
    role = message.get("role")
    if role != "assistant":
        return f"({quote(role)}) has a weight: only assistant messages take one"
    if type(weight) not in (int, float) or weight not in (0, 1):
        return f"weight {quote(weight)} is {json_type(weight)} other than 0 or 1"
    return None


def _part_problem(part: Any, role: Any) -> str | None:
    if type(part) is not dict:
        return None  # format.messages' finding
    kind = part.get("type")
    if type(kind) is not str:  # a list or an object as the type: no part type at all
        return f"has type {quote(kind)}, which the chat format lacks"
    if kind in IMAGE_TYPES and role == "assistant":
        return "is an image in an assistant message"
    if kind == "text":
        text = part.get("text")
        if type(text) is not str:
            return "is a text part without text" if text is None else "has a non-string text"
        return None
    if kind == "image_url":
        return _image_url_problem(part.get("image_url"))
    if kind not in PART_TYPES:
        hint = " (use image_url with an http(s) or data: URL)" if kind == "image" else ""
        return f"has type {quote(kind)}, which the chat format lacks{hint}"
    return None


def _image_url_problem(image_url: Any) -> str | None:
    url = image_url.get("url") if type(image_url) is dict else image_url
    if type(url) is not str or not url:
        return "is an image_url part without a url"
    if not url.startswith(_URL_PREFIXES):
        return f"is an image given by a local path {quote(url)}, not an http(s) or data: URL"
    return None
