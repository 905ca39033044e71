"""Corpus text into renderables: never read as markup, never with raw control characters.

Trace content is untrusted. A ``str`` handed to a Textual widget, a notification or a Rich
``Rule`` title is parsed as markup (``[@click=app.quit]`` would become a live action), and a
control character in it reaches the terminal as is (Textual passes ``ESC`` through). Corpus
text therefore enters the UI only through these helpers: plain ``Text``/``Content`` objects
whose control characters are shown visibly, as the CLI shows them (:mod:`core.textsafe`).
"""

from __future__ import annotations

from collections.abc import Iterable

from rich.segment import Segment
from rich.text import Text
from textual.content import Content

from core.textsafe import is_safe, safe_line, safe_text

__all__ = ["clean_segments", "clean_text", "line", "plain", "plain_content", "safe_line"]


def plain(value: object, style: str = "") -> Text:
    """Multi-line corpus text as a Rich ``Text`` (no markup; controls but newline visible)."""
    return Text(safe_text(value, newlines=True), style=style)


def line(value: object, style: str = "") -> Text:
    """One line of corpus text as a Rich ``Text`` (newlines shown as ``\\n`` too)."""
    return Text(safe_line(value), style=style)


def plain_content(value: object, style: str = "") -> Content:
    """One line of corpus text as Textual ``Content`` (for option lists, labels, titles)."""
    return Content.styled(safe_line(value), style) if style else Content(safe_line(value))


def clean_segments(segments: Iterable[Segment]) -> list[Segment]:
    """Segments with any control character in their text made visible (styles kept)."""
    cleaned: list[Segment] = []
    for segment in segments:
        text = segment.text
        if segment.control is None and not is_safe(text):
            segment = Segment(safe_text(text, newlines=True), segment.style)
        cleaned.append(segment)
    return cleaned


def clean_text(text: Text) -> Text:
    """``text`` with control characters made visible, its styles kept on the same characters."""
    plain_text = text.plain
    if is_safe(plain_text):
        return text
    cuts = sorted({0, len(plain_text), *(p for s in text.spans for p in (s.start, s.end))})
    cleaned = Text(
        style=text.style,
        justify=text.justify,
        overflow=text.overflow,
        no_wrap=text.no_wrap,
        end=text.end,
    )
    for start, end in zip(cuts, cuts[1:], strict=False):
        at = len(cleaned)
        cleaned.append(safe_text(plain_text[start:end], newlines=True))
        for span in text.spans:
            if span.start <= start and span.end >= end:
                cleaned.stylize(span.style, at, len(cleaned))
    return cleaned
