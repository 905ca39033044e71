"""``curator import FORMAT SOURCE... --out DIR``: write sources of another format as traces.

Each source file becomes ``DIR/<stem>.jsonl`` (OpenAI Batch files are joined into one). The
output is deterministic and written atomically; sources are never modified. Each record that
cannot be imported is one error line (file, line or record, why); the rest imports.
Exit 0 when everything imported, 1 when some records were not, 2 for bad arguments.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from core.cli.common import CommandError
from core.cli.exit_codes import ExitCode
from core.cli.output import ProgressLine, print_error, print_json, print_text
from core.corpus.discover import RUNS_FILE_STEM, file_stem, in_import_cache
from core.importers.convert import IMPORT_SUFFIXES, ImportResult, source_stem, write_import
from core.importers.registry import FORMATS, UnknownFormat, detect_format, importer
from core.textsafe import safe_line


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "import",
        help="import traces from another format (OTel, Langfuse, LangSmith, Inspect, ...)",
        description="Write sources of another format as trace JSONL (the format `curator "
        "check` reads). `check` and `review` also accept these sources directly.",
        epilog=_formats_help(),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "format", choices=["auto", *FORMATS], metavar="FORMAT", help="a format below, or auto"
    )
    parser.add_argument("sources", nargs="+", type=Path, metavar="SOURCE", help="files or folders")
    parser.add_argument("--out", type=Path, required=True, metavar="DIR", help="output folder")
    parser.add_argument("--json", action="store_true", help="one JSON summary on stdout")
    parser.set_defaults(handler=handle)


def _formats_help() -> str:
    lines = ["formats:"]
    for name in FORMATS:
        module = importer(name)
        lines.append(f"  {name:<13} {module.title}")
        lines.append(f"  {'':<13}   e.g. {module.example}")
    lines.append("  auto          detect each file's format from its content")
    lines.append("")
    lines.append("exit status: 0 all imported, 1 some records not imported, 2 bad arguments")
    return "\n".join(lines)


def handle(args: argparse.Namespace) -> ExitCode:
    files = _source_files(args.sources)
    groups: dict[str, list[tuple[Path, str]]] = {}
    refused = 0
    for path, label in files:
        name = args.format
        if name == "auto":
            try:
                name = detect_format(path)
            except UnknownFormat as exc:
                print_error(f"{label}: {exc}")
                refused += 1
                continue
        groups.setdefault(name, []).append((path, label))
    if not groups:
        raise CommandError("nothing to import")
    sources = {path.resolve() for path, _ in files}
    results = []
    plan = _outputs(groups, args.out.resolve(), sources)
    progress = ProgressLine("importing")
    try:
        for done, (name, group, out) in enumerate(plan):
            progress(done, len(plan), group[0][1])
            try:
                results.append(write_import(name, group, out))
            except OSError as exc:
                where = exc.filename or out
                raise CommandError(f"{where}: cannot write: {exc.strerror or exc}") from None
    finally:
        progress.close()
    problems = [p for result in results for p in result.problems]
    for problem in problems:
        print_error(problem.line())
    if args.json:
        print_json(_summary(results, args.out))
    else:
        _print_human(results, args.out)
    return ExitCode.GATE_FAILED if problems or refused else ExitCode.OK


def _source_files(arguments: list[Path]) -> list[tuple[Path, str]]:
    """(path, label) of every source file, folders searched in sorted order."""
    files: list[tuple[Path, str]] = []
    for argument in arguments:
        if argument.is_dir():
            found = sorted(
                p
                for p in argument.rglob("*")
                if p.is_file()
                and p.name.endswith(IMPORT_SUFFIXES)
                and file_stem(p.name) != RUNS_FILE_STEM  # run summaries, not calls
                and not in_import_cache(p)
            )
            if not found:
                raise CommandError(f"{argument}: no .jsonl, .json or .eval files in this folder")
            files += [(p, str(p)) for p in found]
        elif argument.is_file():
            files.append((argument, str(argument)))
        else:
            raise CommandError(f"{argument}: no such file or folder")
    return files


def _outputs(
    groups: dict[str, list[tuple[Path, str]]], out: Path, sources: set[Path]
) -> list[tuple[str, list[tuple[Path, str]], Path]]:
    """One output per source file (one per joined group), names made unique in order."""
    plan: list[tuple[str, list[tuple[Path, str]], Path]] = []
    taken: set[str] = set()
    for name, group in groups.items():
        units = [group] if name == "openai_batch" else [[entry] for entry in group]
        for unit in units:
            stem = source_stem(unit[-1][0].name)
            if stem == RUNS_FILE_STEM:  # runs.jsonl holds run summaries for check
                stem = f"{stem}-imported"
            candidate, number = stem, 1
            while candidate in taken:
                number += 1
                candidate = f"{stem}-{number}"
            taken.add(candidate)
            target = out / f"{candidate}.jsonl"
            if target in sources:
                raise CommandError(f"{target}: the output would overwrite a source")
            plan.append((name, unit, target))
    return plan


def _summary(results: list[ImportResult], out: Path) -> dict:
    return {
        "out": str(out),
        "calls": sum(r.calls for r in results),
        "runs": sum(r.runs for r in results),
        "problems": sum(len(r.problems) for r in results),
        "files": [
            {
                "format": r.format,
                "out": str(r.out),
                "calls": r.calls,
                "runs": r.runs,
                "problems": [
                    {"file": p.file, "record": p.record, "unit": p.unit, "reason": p.reason}
                    for p in r.problems
                ],
            }
            for r in results
        ],
    }


def _print_human(results: list[ImportResult], out: Path) -> None:
    lines: list[str] = []  # file names come from the user's folders: made safe by print_text
    write = lines.append
    for result in results:
        note = f", {len(result.problems)} not imported" if result.problems else ""
        name = safe_line(result.out.name)
        write(f"{name}: {result.calls} calls, {result.runs} runs ({result.format}{note})\n")
    calls, runs = sum(r.calls for r in results), sum(r.runs for r in results)
    write(f"\n{calls} calls in {runs} runs written to {safe_line(out)}\n")
    print_text("".join(lines))
