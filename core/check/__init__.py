"""The check: index a corpus into the store, apply rules and bands, report verdicts."""
