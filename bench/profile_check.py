"""Where ``curator check`` spends its time: phase timers, or a cProfile of one first run.

    python bench/profile_check.py CORPUS                 # wall time per phase and hot function
    python bench/profile_check.py CORPUS --cprofile F    # cProfile, top functions by self time
    python bench/profile_check.py CORPUS --core DIR      # the core/ of another checkout

Runs the installed ``core`` in this process on a fresh temporary workspace, as a first run.
Worker pools are switched off (``PARALLEL_MIN_BYTES`` raised) unless ``--workers``: the timers
only see this process, and the per-line work is the same either way.
Phase timers wrap the functions named in ``TIMED`` where they exist (a name the core no longer
has is reported, not an error); each wrapper costs well under a microsecond per call, so the
figures are close to an unprofiled run, unlike cProfile, which inflates call-heavy code.
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import functools
import importlib
import io
import pstats
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

# (module, attribute) pairs to time, patched in the module that calls them.
TIMED: tuple[tuple[str, str], ...] = (
    ("core.check.run", "discover"),
    ("core.check.run", "index_sources"),
    ("core.check.run", "evaluate_corpus"),
    ("core.check.evaluate", "evaluate_corpus"),  # imported by run_check when it is needed
    # per line: in the indexer (before worker pools) or in core.check.call_rows (after)
    ("core.check.indexer", "parse_line"),
    ("core.check.indexer", "call_facts"),
    ("core.check.indexer", "check_call"),
    ("core.check.indexer", "context_chars"),
    ("core.check.indexer", "preview"),
    ("core.check.parallel", "call_rows"),
    ("core.check.parallel", "chunk_rows"),  # after workers read their own chunks
    ("core.check.call_rows", "call_row"),
    ("core.check.call_rows", "parse_line"),
    ("core.check.call_rows", "call_facts"),
    ("core.check.call_rows", "check_call"),
    ("core.check.call_rows", "check_call_kind"),
    ("core.check.call_rows", "context_chars"),
    ("core.check.call_rows", "preview"),
    ("core.check.call_rows", "_call_findings_columns"),
    ("core.corpus.records", "trace_id"),
    ("core.check.evaluate", "_find_duplicates"),
    ("core.check.evaluate", "_evaluate_runs"),
    ("core.check.evaluate", "_write_runs"),
    ("core.check.evaluate", "_write_call_verdicts"),
    ("core.check.evaluate", "_write_verdicts"),
    ("core.check.evaluate", "_run_figures"),
    ("core.check.indexer", "_CallsWriter.add"),
    ("core.check.indexer", "_CallsWriter._finish_file"),
    ("core.check.summary", "build_summary"),
    ("core.cli.check_cmd", "_print_human"),
    # inside check_call: the content rules; "NAME[key]" times one entry of a dict
    ("core.rules.calls", "check_chat_format"),
    ("core.rules.calls", "check_output"),
    ("core.rules.calls", "TASK_RULES[planning]"),
    ("core.rules.calls", "TASK_RULES[extraction]"),
    ("core.rules.calls", "TASK_RULES[enrichment]"),
    ("core.rules.enrichment", "first_json_object"),
    ("core.rules.enrichment", "_check_overwrite"),
    ("core.rules.enrichment", "input_text"),
    ("core.rules.extraction", "input_text"),
    ("core.rules.enrichment", "ungrounded_as_written"),
    ("core.rules.extraction", "ungrounded_as_written"),
)
# Called once per check: the process's peak RSS so far is sampled when each returns.
PHASES = frozenset(
    ("index_sources", "evaluate_corpus", "_find_duplicates", "_evaluate_runs")
    + ("_write_runs", "_write_call_verdicts", "build_summary")
)
ITERATORS: tuple[tuple[str, str], ...] = (("core.check.indexer", "iter_lines"),)
CONNECT = ("core.store.db", "connect")  # its connection's execute/executemany are timed


def _apply(wrapper: Callable[[str, Any], Any], name: str, found: Any) -> Any:
    return wrapper(name, found)


def _patch(module: Any, attribute: str, replace: Callable[[Any], Any]) -> None:
    """Replace ``module.attribute``, one entry of it when written ``NAME[key]``, or a method
    when written ``Class.method``."""
    if attribute.endswith("]"):
        mapping_name, key = attribute[:-1].split("[", 1)
        mapping = getattr(module, mapping_name)
        mapping[key] = replace(mapping[key])
    elif "." in attribute:
        owner_name, method = attribute.split(".", 1)
        owner = getattr(module, owner_name)
        setattr(owner, method, replace(getattr(owner, method)))
    else:
        setattr(module, attribute, replace(getattr(module, attribute)))


def vm_hwm_mib() -> float:
    """This process's peak RSS so far (Linux ``VmHWM``), 0 where unavailable."""
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class TimedConnection:
    """A sqlite3 connection whose ``execute``/``executemany`` time themselves."""

    def __init__(self, conn: Any, timers: Timers) -> None:
        self._conn = conn
        self.execute = self._timed(timers, "execute", conn.execute)
        self.executemany = self._timed(timers, "executemany", conn.executemany)

    @staticmethod
    def _timed(timers: Timers, kind: str, method: Callable[..., Any]) -> Callable[..., Any]:
        """Time per statement shape: the first words of the SQL (``INSERT INTO calls``)."""
        wrapped: dict[str, Callable[..., Any]] = {}

        def timed(sql: str, *args: Any) -> Any:
            words = sql.split()
            label = f"sqlite {kind}: {' '.join(words[:3] if words[0] != 'SELECT' else words[:1])}"
            if label not in wrapped:
                wrapped[label] = timers.wrap(label, method)
            return wrapped[label](sql, *args)

        return timed

    def __getattr__(self, name: str) -> Any:
        return getattr(self._conn, name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name in ("_conn", "execute", "executemany"):
            object.__setattr__(self, name, value)
        else:
            setattr(self._conn, name, value)


class Timers:
    """Accumulated wall time and call count per wrapped function."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.calls: dict[str, int] = defaultdict(int)
        self.missing: list[str] = []
        self.peak_after: dict[str, float] = {}

    def wrap(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        clock = time.perf_counter
        phase = name.rsplit(".", 1)[-1] in PHASES

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = clock()
            try:
                return function(*args, **kwargs)
            finally:
                self.seconds[name] += clock() - start
                self.calls[name] += 1
                if phase:
                    self.peak_after[name] = vm_hwm_mib()

        return timed

    def wrap_iterator(self, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        """Time every step of the iterators ``function`` returns (e.g. reading lines)."""
        clock = time.perf_counter

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            iterator = iter(function(*args, **kwargs))
            while True:
                start = clock()
                try:
                    item = next(iterator)
                except StopIteration:
                    return
                finally:
                    self.seconds[name] += clock() - start
                self.calls[name] += 1
                yield item

        return timed

    def install(self) -> None:
        kinds = [(TIMED, self.wrap), (ITERATORS, self.wrap_iterator)]
        kinds.append(((CONNECT,), self._wrap_connect))
        for pairs, wrapper in kinds:
            for module_name, attribute in pairs:
                name = f"{module_name}.{attribute}"
                try:
                    module = importlib.import_module(module_name)
                    _patch(module, attribute, functools.partial(_apply, wrapper, name))
                except (ImportError, AttributeError, KeyError, TypeError):
                    self.missing.append(name)

    def _wrap_connect(self, name: str, connect: Callable[..., Any]) -> Callable[..., Any]:
        return lambda *args, **kwargs: TimedConnection(connect(*args, **kwargs), self)


def serial_only() -> bool:
    """Keep every line in this process, where the timers are; False when the core has no pool."""
    try:
        parallel = importlib.import_module("core.check.parallel")
    except ImportError:
        return False
    parallel.PARALLEL_MIN_BYTES = 1 << 62
    return True


def run_check(corpus: Path, workspace: Path) -> int:
    """``curator check CORPUS --workspace W`` in process, its output discarded."""
    from core.cli import main

    with contextlib.redirect_stdout(io.StringIO()):
        return main(["check", str(corpus), "--workspace", str(workspace)])


def phase_report(corpus: Path, workspace: Path) -> str:
    start = time.perf_counter()
    importlib.import_module("core.cli")
    imported = time.perf_counter()
    timers = Timers()
    timers.install()
    code = run_check(corpus, workspace)
    done = time.perf_counter()
    total = done - start
    lines = [
        f"exit {code}; total {total:.2f} s (imports {imported - start:.2f} s, "
        f"check {done - imported:.2f} s)",
        f"{'function (inclusive)':<52}{'calls':>8}{'s':>8}{'% total':>9}{'µs/call':>11}"
        f"{'peak MiB':>10}",
    ]
    for name, seconds in sorted(timers.seconds.items(), key=lambda item: -item[1]):
        calls = timers.calls[name]
        peak = timers.peak_after.get(name)
        lines.append(
            f"{name:<52}{calls:>8}{seconds:>8.3f}{100 * seconds / total:>8.1f}%"
            f"{1e6 * seconds / calls:>11.1f}{'' if peak is None else f'{peak:.0f}':>10}"
        )
    if timers.missing:
        lines.append(f"not found in this core: {', '.join(timers.missing)}")
    return "\n".join(lines)


def cprofile_report(corpus: Path, workspace: Path, output: Path, top: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    importlib.import_module("core.cli")
    run_check(corpus, workspace)
    profiler.disable()
    profiler.dump_stats(output)
    stats = pstats.Stats(profiler)
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]  # type: ignore[attr-defined]
    lines = [f"cProfile total {total:.2f} s (profiler overhead included); saved to {output}"]
    lines.append(f"{'self %':>7}{'self s':>8}{'cum s':>8}{'calls':>9}  function")
    for (path, line, function), (_, calls, self_s, cum_s, _) in rows:
        where = f"{function} ({_short(path)}:{line})" if line else function
        lines.append(f"{100 * self_s / total:>6.1f}%{self_s:>8.3f}{cum_s:>8.3f}{calls:>9}  {where}")
    return "\n".join(lines)


def _short(path: str) -> str:
    marker = path.find("/core/")
    return path[marker + 1 :] if marker >= 0 else Path(path).name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--cprofile", type=Path, metavar="FILE", help="profile into FILE")
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--core", type=Path, metavar="DIR", help="import core/ from here")
    parser.add_argument("--workers", action="store_true", help="let the core use its pool")
    args = parser.parse_args(argv)
    if args.core is not None:
        sys.path.insert(0, str(args.core.resolve()))
    if not args.workers and serial_only():
        print("worker pool switched off: all lines are checked in this process")
    with tempfile.TemporaryDirectory(prefix="curator-profile-") as scratch:
        workspace = Path(scratch, "workspace")
        if args.cprofile:
            print(cprofile_report(args.corpus, workspace, args.cprofile, args.top))
        else:
            print(phase_report(args.corpus, workspace))
    return 0


if __name__ == "__main__":
    sys.exit(main())
