"""The workspace store: one SQLite file holding the index, decisions, exports, jobs and evals."""
