"""Schema migrations, in order. Each entry is (version, SQL script); never edit a landed one.

Versions by capability: 1 corpus index, 2 review decisions, 3 exports, 4 provider uploads and
jobs, 5 evals, 6 the review app's full-text search index.
"""

from __future__ import annotations

CORPUS_INDEX = """
CREATE TABLE corpus_roots (
    position INTEGER PRIMARY KEY,
    path TEXT NOT NULL
);
CREATE TABLE files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    root TEXT NOT NULL,
    relpath TEXT NOT NULL,
    kind TEXT NOT NULL,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    config_fingerprint TEXT NOT NULL,
    calls INTEGER NOT NULL DEFAULT 0,
    errors INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE calls (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    offset INTEGER NOT NULL,
    length INTEGER NOT NULL,
    trace_id TEXT NOT NULL,
    task TEXT NOT NULL,
    run_id TEXT NOT NULL,
    bare INTEGER NOT NULL,
    seq INTEGER,
    round INTEGER,
    entity_id TEXT,
    model TEXT,
    timestamp TEXT,
    new_entities INTEGER,
    queries INTEGER,
    context_chars INTEGER NOT NULL,
    preview TEXT NOT NULL,
    metadata TEXT NOT NULL,
    call_findings TEXT NOT NULL,
    findings TEXT NOT NULL DEFAULT '[]',
    verdict TEXT NOT NULL DEFAULT 'unknown',
    first_rule TEXT,
    dup_of INTEGER
);
CREATE INDEX calls_by_file ON calls(file_id, line);
CREATE INDEX calls_by_run ON calls(run_id);
CREATE INDEX calls_by_trace ON calls(trace_id);
CREATE INDEX calls_by_task_verdict ON calls(task, verdict);
CREATE TABLE call_rules (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    PRIMARY KEY (rule, call_id)
) WITHOUT ROWID;
CREATE TABLE run_summaries (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    run_id TEXT NOT NULL,
    summary TEXT NOT NULL
);
CREATE INDEX run_summaries_by_run ON run_summaries(run_id);
CREATE TABLE runs (
    run_id TEXT PRIMARY KEY,
    verdict TEXT NOT NULL,
    bands TEXT NOT NULL,
    findings TEXT NOT NULL,
    summary TEXT,
    calls INTEGER NOT NULL
);
CREATE TABLE load_errors (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    message TEXT NOT NULL
);
CREATE TABLE check_state (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
)
"""

REVIEW = """
CREATE TABLE review_ops (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    target_op INTEGER REFERENCES review_ops(id),
    summary TEXT NOT NULL,
    reviewer TEXT NOT NULL,
    at TEXT NOT NULL
);
CREATE TABLE review_events (
    id INTEGER PRIMARY KEY,
    op_id INTEGER NOT NULL REFERENCES review_ops(id),
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT,
    previous TEXT
);
CREATE INDEX review_events_by_op ON review_events(op_id);
CREATE TABLE review_state (
    target_kind TEXT NOT NULL,
    target TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    event_id INTEGER NOT NULL,
    PRIMARY KEY (target_kind, target, field)
) WITHOUT ROWID;
CREATE INDEX review_state_by_field ON review_state(field, target_kind)
"""

# Full-text search over message content, for the review app's ``/``. The FTS table is
# contentless (the text stays in the corpus files); its rowids are ``search_docs.doc_id``, which
# AUTOINCREMENT never reuses, so a re-indexed call (whose ``calls.id`` may be reused) can never
# match the old text: its ``search_docs`` row went with it by cascade, and the orphaned FTS row is
# swept by a rebuild once orphans outnumber live rows.
REVIEW_SEARCH = """
CREATE VIRTUAL TABLE call_text USING fts5(
    input, output, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE TABLE search_docs (
    doc_id INTEGER PRIMARY KEY AUTOINCREMENT,
    call_id INTEGER NOT NULL UNIQUE REFERENCES calls(id) ON DELETE CASCADE
);
CREATE TABLE search_files (
    file_id INTEGER PRIMARY KEY REFERENCES files(id) ON DELETE CASCADE,
    next_line INTEGER NOT NULL,
    complete INTEGER NOT NULL
);
CREATE TABLE search_meta (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL
)
"""

MIGRATIONS: list[tuple[int, str]] = [
    (1, CORPUS_INDEX),
    (2, REVIEW),
    # 3, 4 and 5 are reserved for exports, providers and evals (other branches).
    (6, REVIEW_SEARCH),
]
