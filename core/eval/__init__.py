"""Side-by-side eval of a candidate model against a baseline on held-out examples.

The public API (what the CLI and the Evals screen call):

- :func:`core.eval.runner.run_eval` — run (or resume) an eval with a progress callback and a
  cancel event; returns an :class:`core.eval.results.EvalResult`.
- :func:`core.eval.runner.rescore_eval` — score a stored eval again without any request.
- :func:`core.eval.runner.list_evals` — the stored evals, newest first.
- :func:`core.eval.runner.probe` — send one held-out example and return the raw exchange.
- :mod:`core.eval.report` — the terminal table, Markdown and JSON renderings of a result.

Each example is scored by the metrics of its output kind (:mod:`core.eval.kinds`): the story's
JSON metrics (:mod:`core.eval.metrics`), or tool-call and text metrics
(:mod:`core.eval.kind_metrics`); :func:`core.eval.taxonomy.is_usable` decides what is usable.

This package imports nothing at import time, so ``core.config`` can import the settings models
from :mod:`core.eval.settings` without a cycle.
"""
