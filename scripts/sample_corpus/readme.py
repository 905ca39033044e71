"""Renders sample_traces/README.md from the same data the generator writes, so it cannot drift."""

from __future__ import annotations

from collections import Counter

from .catalogue import RUN_SPECS
from .corpus import Corpus
from .layout import FILE_FORMATS
from .model import BuiltRun, Call
from .runs import LATE_EXTRACTION_FILE

_LIMITS = {"discovery_rounds": 3, "enrichment_iterations": 3, "additional_queries": 20}

_CONVENTIONS = """\
## Reading of RULES.md the expected findings assume

- A defect's `also` column lists the other rules RULES.md makes fire on the same line: an empty,
  fenced or reasoning-wrapped output does not parse, so `output.invalid_json` fires with it.
- When the last message is not the assistant's there is no output: `format.messages` fires
  and the output and task rules (`output.*`, `<task>.*`) have nothing to read.
- A shape failure stops the task's field rules: a planning output that is not an object gets
  `planning.shape` only, not `planning.required_fields`; an extraction that is not an array and
  an enrichment that is not an object are not checked for grounding or overwrites.
- Run-level findings land on every call of the run; a call-level defect fails only its line.
- `dup.exact`: files in sorted path order, lines in order; the first occurrence passes.
- Clean runs have every band known and passing and no call finding. Bare lines are runs of
  their own with every run-level band unknown.
"""


def render_readme(corpus: Corpus) -> str:
    sections = [
        _intro(),
        _files_table(corpus),
        _runs_section(corpus),
        _planted_table(corpus),
        _malformed_section(corpus),
        _tolerances(corpus),
        _CONVENTIONS,
    ]
    return "\n".join(sections)


def _intro() -> str:
    return """\
# Sample traces

A small, deterministic corpus of LLM calls from an agent that finds local businesses ("find 20
dentists in Austin"): a planning call, extraction calls over scraped listing pages, enrichment
calls over scraped business pages. Each line is one call in the chat format of PRODUCT.md; most
runs are clean, the others carry planted defects at known places, one for every rule id.

**Generated — do not edit by hand.** Change `scripts/make_sample_traces.py` (and
`scripts/sample_corpus/`) and run `python scripts/make_sample_traces.py` from the repository
root; it rewrites this folder byte for byte the same every time. Tests import `PLANTED`,
`CLEAN_RUN_IDS`, `MALFORMED` and `BARE` from that script rather than copying this README.
"""


def _files_table(corpus: Corpus) -> str:
    rows = [
        "## Files",
        "",
        "| file | runs | calls | physical lines | bytes |",
        "|---|---|---|---|---|",
    ]
    rows += [
        f"| `{s.path}` | {s.runs} | {s.calls} | {s.lines} | {s.size:,} |" for s in corpus.stats
    ]
    total = sum(s.size for s in corpus.stats)
    rows += [
        "",
        f"{len(corpus.runs)} runs, {sum(s.calls for s in corpus.stats)} calls, {total:,} bytes. "
        "`runs.jsonl` holds one summary per run (no calls). `coverage` is entity_count ÷ "
        "target_count capped at 1, rounded to 2 places; `discovery_rounds` and "
        "`enrichment_iterations` are the highest extraction and enrichment `round`; "
        "`additional_queries` is the sum of the extraction calls' `queries`, so every summary "
        "agrees with what the calls derive.",
        "",
    ]
    return "\n".join(rows)


def _runs_section(corpus: Corpus) -> str:
    rows = [
        "## Clean runs",
        "",
        f"{len(corpus.clean_run_ids)} of {len(corpus.runs)} runs have no finding at all. "
        "Several sit exactly on a band's edge, which passes:",
        "",
        "| run | what it exercises |",
        "|---|---|",
    ]
    runs = {run.run_id: run for run in corpus.runs}
    for run_id in corpus.clean_run_ids:
        traits = _band_edges(runs[run_id]) + _shape_traits(runs[run_id])
        rows.append(f"| `{run_id}` | {'; '.join(traits) or 'an ordinary run'} |")
    return "\n".join(rows) + "\n"


def _band_edges(run: BuiltRun) -> list[str]:
    edges = [
        f"{key} = {run.summary[key]} (limit {limit})"
        for key, limit in _LIMITS.items()
        if run.summary[key] == limit
    ]
    if run.summary["coverage"] == 0.65:
        edges.append("coverage = 0.65 (threshold)")
    enrichment = [call.metadata for call in run.calls if call.task == "enrichment"]
    if enrichment and max(Counter(m["round"] for m in enrichment).values()) == 15:
        edges.append("15 enrichment calls in one round (limit 15)")
    if enrichment and max(Counter(m["entity_id"] for m in enrichment).values()) == 2:
        edges.append("an entity enriched twice (limit 2)")
    if not enrichment:
        edges.append("no enrichment calls (enrichment figures are 0)")
    edges += _zero_round_traits(run.calls)
    return edges


def _zero_round_traits(calls: list[Call]) -> list[str]:
    found: Counter[int] = Counter()
    for call in calls:
        if call.task == "extraction" and call.metadata:
            found[call.metadata["round"]] += call.metadata["new_entities"]
    traits = []
    zero_rounds = [round_no for round_no in sorted(found) if found[round_no] == 0]
    if zero_rounds:
        traits.append(
            f"zero-new-entity rounds {zero_rounds} of {len(found)}: the breaker never had to stop"
        )
    if any(
        call.output == "[]" and found[call.metadata["round"]] for call in calls if call.metadata
    ):
        traits.append("a no-results page inside a round that found businesses")
    return traits


def _shape_traits(run: BuiltRun) -> list[str]:
    traits = []
    spec = next(spec for spec in RUN_SPECS if spec.run_id == run.run_id)
    if spec.normalized_outputs:
        traits.append(
            "extraction re-formats phones and URLs: grounding must compare phone digits and "
            "URLs without scheme/www."
        )
    if any(call.tools for call in run.calls):
        traits.append("a scrape_page tool call, a tool message and top-level `tools`")
    if any(isinstance(call.messages[1]["content"], list) for call in run.calls):
        traits.append("user content as a list of text parts")
    files = {call.file for call in run.calls if call.task == "extraction"}
    if files == {LATE_EXTRACTION_FILE}:
        traits.append(f"extraction only in `{LATE_EXTRACTION_FILE}` (task from the file name)")
    elif LATE_EXTRACTION_FILE in files:
        traits.append("extraction split over two files")
    if any(call.file.endswith(".gz") for call in run.calls):
        traits.append("enrichment in the gzip archive")
    return traits


def _planted_table(corpus: Corpus) -> str:
    rows = [
        "## Planted defects",
        "",
        "`where` is `run:<run_id>` for a run-level rule (every call of the run fails with it) or "
        "`<file>:<line>` with the 1-based physical line, blank and malformed lines included, "
        "counted in the decompressed file.",
        "",
        "| rule | where | what | also fires |",
        "|---|---|---|---|",
    ]
    for item in corpus.planted:
        also = ", ".join(f"`{rule}`" for rule in item.also) or "—"
        rows.append(f"| `{item.rule}` | `{item.where}` | {_cell(item.note)} | {also} |")
    return "\n".join(rows) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("<", "&lt;")


def _malformed_section(corpus: Corpus) -> str:
    rows = [
        "## Malformed lines",
        "",
        "Each must be reported as an error with its file and line while every other line loads.",
        "",
        "| where | why |",
        "|---|---|",
    ]
    rows += [f"| `{path}:{line}` | {reason} |" for path, line, reason in corpus.malformed]
    bare = ", ".join(f"`{path}:{line}`" for path, line in corpus.bare)
    rows += [
        "",
        "## Bare lines",
        "",
        f"Messages only, no metadata, as in the engineer's story: {bare}. Each is a run of its "
        "own (`<file>#<line>`) whose run-level bands are all unknown; their content is clean.",
        "",
    ]
    return "\n".join(rows)


def _tolerances(corpus: Corpus) -> str:
    by_quirk = {
        "UTF-8 BOM at the start": [p for p, f in FILE_FORMATS.items() if f.bom],
        "CRLF line endings": [p for p, f in FILE_FORMATS.items() if f.crlf],
        "no newline after the last line": [
            p for p, f in FILE_FORMATS.items() if not f.final_newline
        ],
        "gzip (fixed mtime, so the bytes are stable)": [
            p for p in corpus.files if p.endswith(".gz")
        ],
    }
    rows = ["## Tolerances exercised", ""]
    rows += [
        f"- {quirk}: {', '.join(f'`{p}`' for p in paths)}" for quirk, paths in by_quirk.items()
    ]
    blanks = ", ".join(f"`{path}:{line}`" for path, line in corpus.blank)
    rows += [
        f"- blank lines (skipped, but counted in line numbers): {blanks}",
        f"- no `metadata.task`: every line of `{LATE_EXTRACTION_FILE}`; the task comes from the "
        "leading word of the file stem",
        "- non-ASCII text written as UTF-8 (Peña, Café, “quotes”, en dashes in hours)",
        "- grounding normalizations in clean outputs: case (chamber-of-commerce pages print names "
        "in upper case), whitespace (they wrap addresses over two lines), phone digits and URL "
        "scheme/`www.` (the run that re-formats them, listed above)",
        "",
    ]
    return "\n".join(rows)
