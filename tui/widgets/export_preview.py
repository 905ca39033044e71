"""What an export would write: counts per task and split, the selection, duplicates, warnings
and provider violations (naming task, file and trace), before anything is written."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.containers import VerticalScroll
from textual.widgets import Static

from core.export import ExportPlan
from core.export.target import describe_removed
from tui.safe import line, safe_line

SHOWN_VIOLATIONS = 50


class ExportPreview(VerticalScroll, can_focus=True):
    """The preview of an :class:`ExportPlan`; stays on the last plan while a new one computes."""

    DEFAULT_CSS = """
    ExportPreview {
        height: 1fr;
        padding: 0 1;
        & > Static { width: 1fr; }
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.plan: ExportPlan | None = None
        self.problem: str | None = None  # why the plan cannot be written (e.g. the out dir)

    def compose(self):
        yield Static(Text("Computing the preview…", style="dim"), id="preview-body")

    def show_plan(self, plan: ExportPlan, problem: str | None = None) -> None:
        self.plan, self.problem = plan, problem
        self.query_one("#preview-body", Static).update(plan_view(plan, problem))

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.plan, self.problem = None, text if error else None
        style = "bold red" if error else "dim"
        self.query_one("#preview-body", Static).update(Text(text, style=style))


def plan_view(plan: ExportPlan, problem: str | None = None) -> Group:
    """The counts table and the lines below it."""
    return Group(counts_table(plan), Text(), *plan_lines(plan, problem))


def counts_table(plan: ExportPlan) -> Table:
    """Per task: calls selected, and where each went — train, held-out (yellow when short of
    the target), left out (of held-out runs, in neither file) and exact duplicates dropped —
    so every row adds up: selected = train + held-out + left out + dup."""
    table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold", expand=False)
    table.add_column("task", no_wrap=True)
    for column in ("selected", "train", "held-out", "left out", "dup"):
        table.add_column(column, justify="right", no_wrap=True)
    for task, row in plan.counts().items():
        counts = plan.tasks[task]
        short = counts.heldout < counts.heldout_target
        heldout = Text(f"{counts.heldout:,}", style="yellow" if short else "")
        left_out = Text(f"{row['left_out']:,}", style="yellow" if row["left_out"] else "")
        table.add_row(
            line(task),  # a corpus task: plain text, controls shown
            f"{row['selected']:,}",
            f"{row['train']:,}",
            heldout,
            left_out,
            f"{row['duplicates']:,}",
        )
    totals = plan.totals()
    if plan.options.combine:
        table.add_row(Text("combined", style="dim"), "", f"{totals['train']:,}", "-", "", "")
    keys = ("selected", "train", "heldout", "left_out", "duplicates")
    table.add_row(
        Text("total", style="bold"), *(Text(f"{totals[k]:,}", style="bold") for k in keys)
    )
    if not plan.tasks:
        table.add_row(Text("nothing selected", style="yellow"), "", "", "", "", "")
    return table


def plan_lines(plan: ExportPlan, problem: str | None) -> list[Text]:
    """The verdict first (can it be written?), then what blocks it, then the details."""
    d, dup, options = plan.decisions, plan.duplicates, plan.options
    lines = [verdict_line(plan, problem)]
    for violation in plan.violations[:SHOWN_VIOLATIONS]:
        lines.append(Text.assemble(("✗ ", "bold red"), safe_line(violation)))
    hidden = len(plan.violations) - SHOWN_VIOLATIONS
    if hidden > 0:
        lines.append(Text(f"  … and {hidden:,} more problems", style="red"))
    lines.append(
        Text.assemble(
            ("Selection ", "bold"),
            f"{options.include}: {d.selected:,} of {d.calls:,} calls — {d.accepted:,} accepted",
            f" ({d.accepted_failing:,} failing a rule, {d.repaired:,} repaired),",
            f" {d.auto_included:,} undecided passing; left out {d.rejected:,} rejected,",
            f" {d.undecided_left_out:,} undecided",
        )
    )
    lines.append(
        Text.assemble(
            ("Duplicates ", "bold"),
            f"{dup.exact_dropped:,} exact dropped · {dup.near_dup_groups:,} near-dup groups",
            f" ({dup.near_dup_examples:,} examples, {dup.runs_linked:,} runs linked) kept on one"
            " side",
        )
    )
    if dup.step_runs_linked:
        lines.append(
            Text.assemble(
                ("Trajectories ", "bold"),
                f"{dup.step_runs_linked:,} runs joined by steps logged under another key,"
                " kept on one side",
            )
        )
    lines.append(Text.assemble(("Format ", "bold"), describe_removed(plan.removed)))
    for warning in plan.warnings:
        lines.append(Text.assemble(("⚠ ", "bold yellow"), warning))
    return lines


def verdict_line(plan: ExportPlan, problem: str | None) -> Text:
    provider = plan.options.provider
    if plan.violations:
        count = len(plan.violations)
        noun = "problem" if count == 1 else "problems"
        return Text(
            f"Write blocked: {count} {provider} {noun}; change the options or the decisions",
            style="bold red",
        )
    if problem:
        return Text(f"Write blocked: {problem}", style="bold red")
    examples = sum(c.train + c.heldout for c in plan.tasks.values())
    return Text(f"✓ {provider} checks pass: w writes {examples:,} examples", style="bold green")
