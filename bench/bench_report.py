"""Results of one benchmark run: per-step figures, the ratios, the targets and the table."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from measure import Measurement

MIB = 1 << 20
TARGET_B_OVER_A = 1 / 3  # (b) throughput at least a third of the floor's
TARGET_C_SPEEDUP = 20.0  # (c) at least 20× faster than (b)
TARGET_RSS_MIB = 300.0  # peak RSS of curator check on a 1 GiB corpus
RSS_TARGET_CORPUS = 1 << 30


@dataclass(frozen=True, slots=True)
class Step:
    """One measured step over the corpus."""

    key: str
    label: str
    command: list[str]
    run: Measurement
    corpus_bytes: int
    calls: int
    reads_corpus: bool = True  # False for the startup step: no throughput
    walls: tuple[float, ...] = ()  # every repeat's wall time; ``run`` is the fastest

    @property
    def mib_per_s(self) -> float:
        return self.corpus_bytes / MIB / self.run.wall_s

    @property
    def calls_per_s(self) -> float:
        return self.calls / self.run.wall_s

    @property
    def peak_rss_mib(self) -> float | None:
        return None if self.run.peak_rss_kib is None else self.run.peak_rss_kib / 1024

    @property
    def tree_pss_mib(self) -> float | None:
        kib = self.run.peak_tree_pss_kib
        return None if kib is None else kib / 1024

    @property
    def memory_mib(self) -> float | None:
        """What the RSS target is held against: the larger of the two figures."""
        figures = [m for m in (self.peak_rss_mib, self.tree_pss_mib) if m is not None]
        return max(figures) if figures else None

    def as_dict(self) -> dict[str, Any]:
        run = asdict(self.run)
        run.pop("stdout")
        run["wall_s"] = round(run["wall_s"], 4)
        if run["cpu_s"] is not None:
            run["cpu_s"] = round(run["cpu_s"], 3)
        return {
            "key": self.key,
            "walls": list(self.walls),
            "label": self.label,
            "command": self.command,
            **run,
            "mib_per_s": round(self.mib_per_s, 2) if self.reads_corpus else None,
            "calls_per_s": round(self.calls_per_s, 1) if self.reads_corpus else None,
            "peak_rss_mib": None if self.peak_rss_mib is None else round(self.peak_rss_mib, 1),
            "tree_pss_mib": None if self.tree_pss_mib is None else round(self.tree_pss_mib, 1),
        }


@dataclass(frozen=True, slots=True)
class Target:
    """A target of the spec: the figure, the bound and whether it held."""

    name: str
    value: float | None
    bound: str
    passed: bool | None  # None when it could not be measured
    note: str = ""


@dataclass(slots=True)
class Report:
    """Everything one benchmark run found, ready for the table and ``--json``."""

    context: dict[str, Any]
    steps: dict[str, Step] = field(default_factory=dict)

    def targets(self) -> list[Target]:
        a, b, c = (self.steps.get(key) for key in "abc")
        targets: list[Target] = []
        if a and b:
            ratio = a.run.wall_s / b.run.wall_s
            passed = ratio >= TARGET_B_OVER_A
            note = ""
            if a.run.cpu_s and b.run.cpu_s:  # steadier than wall time on a busy machine
                note = f"by CPU time {a.run.cpu_s / b.run.cpu_s:.3f}"
            targets.append(Target("b/a throughput", ratio, "≥ 0.33", passed, note))
        if b and c:
            speedup = b.run.wall_s / c.run.wall_s
            passed = speedup >= TARGET_C_SPEEDUP
            note = f"c/b time {c.run.wall_s / b.run.wall_s:.3f}"
            if b.run.cpu_s and c.run.cpu_s:
                note += f"; by CPU time {b.run.cpu_s / c.run.cpu_s:.1f}×"
            startup = self.steps.get("s")
            if startup and startup.run.wall_s >= c.run.wall_s / 2:
                share = startup.run.wall_s / c.run.wall_s
                note += f"; {share:.0%} of (c) is interpreter and import start-up (s)"
            targets.append(Target("b/c speed-up", speedup, "≥ 20×", passed, note))
        targets.append(self._rss_target(b, c))
        return targets

    def _rss_target(self, b: Step | None, c: Step | None) -> Target:
        """Held against the larger of the biggest process's RSS and the tree's summed PSS."""
        name = "peak memory (b, c) MiB"
        peaks = [s.memory_mib for s in (b, c) if s and s.memory_mib is not None]
        if not peaks:
            return Target(name, None, "< 300", None, "not measured")
        size = self.context["corpus"]["bytes"]
        note = "" if size >= RSS_TARGET_CORPUS else "target is set for a 1 GiB corpus"
        workers = max((s.run.processes for s in (b, c) if s), default=0)
        if workers > 1:
            note = "; ".join(filter(None, [note, f"summed over up to {workers} processes"]))
        return Target(name, max(peaks), "< 300", max(peaks) < TARGET_RSS_MIB, note)

    def missed(self) -> list[Target]:
        return [t for t in self.targets() if t.passed is False]

    def as_dict(self) -> dict[str, Any]:
        return {
            **self.context,
            "steps": {key: step.as_dict() for key, step in self.steps.items()},
            "targets": [asdict(t) for t in self.targets()],
        }


def format_table(report: Report) -> str:
    """The steps as an aligned text table, then the targets, one per line."""
    header = (
        f"{'step':<40}{'wall s':>9}{'MiB/s':>9}{'calls/s':>10}{'peak MiB':>10}{'tree MiB':>10}"
        f"{'procs':>6}{'CPU s':>8}"
    )
    lines = [header, "-" * len(header)]
    for step in report.steps.values():
        rss = "?" if step.peak_rss_mib is None else f"{step.peak_rss_mib:.0f}"
        tree = "?" if step.tree_pss_mib is None else f"{step.tree_pss_mib:.0f}"
        cpu = "?" if step.run.cpu_s is None else f"{step.run.cpu_s:.2f}"
        speed = f"{step.mib_per_s:>9.1f}{step.calls_per_s:>10.0f}"
        if not step.reads_corpus:
            speed = f"{'-':>9}{'-':>10}"
        lines.append(
            f"{step.label:<40}{step.run.wall_s:>9.2f}{speed}{rss:>10}{tree:>10}"
            f"{step.run.processes:>6}{cpu:>8}"
        )
    lines.append("peak MiB: largest process (exact); tree MiB: PSS summed over the processes")
    lines.append("")
    for target in report.targets():
        verdict = {True: "PASS", False: "MISS", None: "n/a"}[target.passed]
        value = "?" if target.value is None else f"{target.value:.3g}"
        note = f"  ({target.note})" if target.note else ""
        lines.append(f"{target.name:<22}{value:>8}  target {target.bound:<7} {verdict}{note}")
    return "\n".join(lines)
