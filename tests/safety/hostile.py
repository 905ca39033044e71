"""Hostile strings and a corpus carrying them in every field a printer shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.factories import call, summary, write_jsonl

OSC52 = "\u001b]52;c;cHduZWQ=\u0007"  # writes "pwned" to the clipboard
TITLE = "\u001b]0;owned title\u0007"
CLEAR = "\u001b[2J\u001b[H"
COLOUR = "\u001b[31;1mred\u001b[0m"
LINK = "\u001b]8;;https://evil.example/\u001b\\click\u001b]8;;\u001b\\"
C1_CSI = "\u009b2J"
BIDI = "abc\u202edcba"
MARKUP = "[bold red]x[/][@click=app.quit]q[/]"
HOSTILE = [OSC52, TITLE, CLEAR, COLOUR, LINK, C1_CSI, BIDI]

# What must never reach a terminal raw.
FORBIDDEN = ("\x1b", "\x07", "\x9b", "\u202e")


def assert_clean(*texts: str) -> None:
    """No raw escape, bell, 8-bit CSI or bidi override in any of ``texts``."""
    for text in texts:
        for raw in FORBIDDEN:
            assert raw not in text, f"raw {raw!r} in output: {text[:400]!r}"


def hostile_call(index: int, value: str, **extra: Any) -> dict[str, Any]:
    """An extraction call whose task, run id and model are ``value`` (a failing output)."""
    record = call(
        "extraction",
        run_id=f"run{index}{value}",
        output=f"not json {value}",
        model=value,
        round=1,
        **extra,
    )
    record["metadata"]["task"] = value
    record["metadata"][f"note{value}"] = value  # an unknown key is kept and shown
    return record


def hostile_corpus(folder: Path) -> Path:
    """Hostile values in task, run id, model, outputs, file names and malformed lines."""
    calls = [hostile_call(i, value) for i, value in enumerate(HOSTILE)]
    write_jsonl(folder / "extraction.jsonl", [*calls, f"{{bad {OSC52}".encode()])
    write_jsonl(folder / f"evil{CLEAR}.jsonl", [call("planning", run_id="ok"), b"{" + b"\x1b[2J"])
    write_jsonl(folder / "runs.jsonl", [summary(f"run0{OSC52}", stop_reason=TITLE)])
    return folder
