"""Neutralising untrusted text before it reaches a terminal or a report.

Trace content is untrusted (scraped pages, model answers, file names). Printed raw, a control
character in it drives the user's terminal: ``ESC]52`` writes the clipboard, ``ESC]0`` sets the
title, ``ESC[2J`` clears the screen, ``ESC]8`` makes a hyperlink to anywhere, and bidi overrides
make text read differently from what it is. Every printer and report writer passes
corpus-derived text through :func:`safe_text` (or :func:`safe_json` for JSON documents), which
shows such code points visibly (``\\x1b``, ``\\u202e``) instead of emitting them.
"""

from __future__ import annotations

import re

# C0 controls but tab and newline, DEL, C1 controls (U+009B is an 8-bit CSI), lone surrogates
# (undecodable file names), and the invisible direction/line marks that reorder or split text.
_ALWAYS = (
    "\x00-\x08\x0b-\x1f\x7f-\x9f"
    "\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb"
    "\ud800-\udfff"
)
_PATTERNS = {  # (keep newlines, keep tabs) -> what to escape
    (True, True): re.compile(f"[{_ALWAYS}]"),
    (True, False): re.compile(f"[{_ALWAYS}\t]"),
    (False, True): re.compile(f"[{_ALWAYS}\n]"),
    (False, False): re.compile(f"[{_ALWAYS}\t\n]"),
}
# In JSON text orjson already escapes C0; what remains raw inside strings is DEL, C1, the marks
# and separators above. A ``\\uXXXX`` escape is valid JSON wherever these can occur (in strings).
_JSON = re.compile("[\x7f-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code == 0x0A:
        return "\\n"
    if code == 0x09:
        return "\\t"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


# The same code points as UTF-8 byte sequences, to escape a large JSON document without
# decoding it (a check report of a big corpus is hundreds of megabytes).
_JSON_BYTES = re.compile(
    rb"\x7f|\xc2[\x80-\x9f]|\xd8\x9c|\xe2\x80[\x8b-\x8f\xa8-\xae]|\xe2\x81[\xa0-\xa9]"
    rb"|\xef\xbb\xbf|\xef\xbf[\xb9-\xbb]"
)


def _json_escape_bytes(match: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(match.group().decode())


def safe_text(text: object, *, newlines: bool = False, tabs: bool = True) -> str:
    """``text`` with every terminal-dangerous code point shown as a visible escape.

    Args:
        text: anything; non-strings are converted with ``str`` first.
        newlines: keep ``\\n`` (a multi-line report); else it is shown as ``\\n`` so one
            field stays on one line and cannot forge a line of output.
        tabs: keep ``\\t``; else it is shown as ``\\t``.
    """
    value = text if isinstance(text, str) else str(text)
    return _PATTERNS[newlines, tabs].sub(_visible, value)


def safe_line(text: object) -> str:
    """One field on one line: every control character (tab and newline too) made visible."""
    return safe_text(text, newlines=False, tabs=False)


def safe_json(text: str) -> str:
    """A JSON document with the code points orjson leaves raw escaped as ``\\uXXXX``."""
    return _JSON.sub(_json_escape, text)


def safe_json_bytes(data: bytes) -> bytes:
    """:func:`safe_json` for UTF-8 JSON bytes as ``orjson.dumps`` returns them."""
    return _JSON_BYTES.sub(_json_escape_bytes, data)


def is_safe(text: str) -> bool:
    """True when ``text`` holds nothing :func:`safe_text` would change (newlines and tabs aside)."""
    return _PATTERNS[True, True].search(text) is None
