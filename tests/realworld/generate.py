"""Write the real-world corpus: chat fine-tuning lines in each shape users have, and broken ones.

Deterministic: ``python -m tests.realworld.generate`` rewrites ``corpus/``, ``expected.json``
and ``README.md`` byte for byte; a test checks the files match. Each line carries the verdict
and the rule set that ``curator check`` must give it with no curator.toml (PRODUCT.md, "Beyond
the story's agent"), and its output kind.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from tests.realworld.shapes import chat, images, reasoning, tools, weights
from tests.realworld.trajectories import airline_keyed, airline_sft, airline_unkeyed

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"


FILES = {
    "chat.jsonl": chat,
    "weights.jsonl": weights,
    "tools.jsonl": tools,
    "airline-env.jsonl": airline_keyed,
    "airline-steps.jsonl": airline_unkeyed,
    "airline-sft.jsonl": airline_sft,
    "reasoning.jsonl": reasoning,
    "images.jsonl": images,
}


def build() -> tuple[dict[str, bytes], list[dict[str, Any]]]:
    """Every file's bytes and the expectation of every line, in file then line order."""
    files: dict[str, bytes] = {}
    expected: list[dict[str, Any]] = []
    for name, make in FILES.items():
        lines = make()
        files[name] = b"".join(orjson.dumps(line) + b"\n" for line, *_ in lines)
        for number, (_line, verdict, rules, kind, what) in enumerate(lines, start=1):
            expected.append(
                {
                    "file": name,
                    "line": number,
                    "verdict": verdict,
                    "rules": sorted(rules),
                    "kind": kind,
                    "what": what,
                }
            )
    return files, expected


def readme(expected: list[dict[str, Any]]) -> str:
    rows = "\n".join(
        f"| {e['file']}:{e['line']} | {e['what']} | {e['kind']} | {e['verdict']} |"
        f" {', '.join(e['rules']) or '—'} |"
        for e in expected
    )
    return f"""# The real-world corpus

Chat fine-tuning lines in each shape users have, written by `generate.py` (deterministic; run
`python -m tests.realworld.generate` after editing it, and `tests/realworld/test_realworld.py`
checks the files match). `curator check tests/realworld/corpus` with no curator.toml must give
every line exactly the verdict and the rules below; `curator export` exports the passing lines.

No line has a story task, so no run band applies (each is `n/a`) and every run passes on the
bands: a line's verdict comes from its content rules, `dup.exact` and `dup.prefix` alone.
`airline-env.jsonl` holds two trajectories keyed by `env_index` (runs `0` and `1`);
`airline-steps.jsonl` one with no key, whose steps form one run named after the longest line
(`airline-steps.jsonl#3`). Every step but the last of a trajectory is a `dup.prefix`.
`airline-sft.jsonl` is a per-step training set: its earlier turns are at `weight: 0`, so its
lines chain into one run (`airline-sft.jsonl#3`) and each passes, training on its own turn.

| line | what | kind | verdict | rules |
|---|---|---|---|---|
{rows}
"""


def main() -> None:
    files, expected = build()
    CORPUS.mkdir(exist_ok=True)
    for name, body in files.items():
        (CORPUS / name).write_bytes(body)
    (HERE / "expected.json").write_bytes(orjson.dumps(expected, option=orjson.OPT_INDENT_2) + b"\n")
    (HERE / "README.md").write_text(readme(expected))


if __name__ == "__main__":
    main()
