"""Importers: reading traces where they already live into the trace contract.

One module per source format, each exposing an :class:`~core.importers.base.Importer`; the
registry lists them, ``convert`` writes contract JSONL, and ``cache`` imports on the fly for
``curator check``/``review``.
"""
