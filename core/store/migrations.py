"""Schema migrations, in order. Each entry is (version, SQL script); never edit a landed one.

Versions by capability: 1 corpus index, 2 review decisions, 3 exports, 4 provider uploads and
jobs, 5 evals, 6 the review app's full-text search index, 7 the output kind of each call, 8
trajectory steps. (Version 1 changed once before the first release, for check speed:
``call_rules`` keyed by call first, ``runs.first_rule``, a covering ``calls_by_run``,
``calls_by_task``, ``calls_by_dup``.)
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
    call_verdict TEXT NOT NULL,
    call_first_rule TEXT,
    findings TEXT NOT NULL,
    verdict TEXT NOT NULL,
    first_rule TEXT,
    dup_of INTEGER
);
CREATE INDEX calls_by_file ON calls(file_id, line);
-- Covers the run bands' GROUP BY queries (evaluate), which then never read the wide rows.
CREATE INDEX calls_by_run ON calls(run_id, task, round, entity_id, bare, new_entities, queries);
CREATE INDEX calls_by_trace ON calls(trace_id);
-- The check summary's counts by task and verdict, without reading the wide rows.
CREATE INDEX calls_by_task ON calls(task, verdict);
CREATE INDEX calls_by_dup ON calls(dup_of) WHERE dup_of IS NOT NULL;
CREATE TABLE call_rules (
    call_id INTEGER NOT NULL REFERENCES calls(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    severity TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (call_id, rule)
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
    first_rule TEXT,
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

PROVIDER_RECORDS = """
CREATE TABLE provider_uploads (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    manifest_hash TEXT NOT NULL,
    export_dir TEXT NOT NULL,
    file_path TEXT NOT NULL,
    task TEXT NOT NULL,
    split TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    bytes INTEGER NOT NULL,
    examples INTEGER NOT NULL,
    dataset_id TEXT NOT NULL,
    remote_id TEXT NOT NULL DEFAULT '',
    dataset_ref TEXT NOT NULL DEFAULT '',
    phase TEXT NOT NULL,
    outcome TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (provider, manifest_hash, file_path)
);
CREATE INDEX provider_uploads_by_ref ON provider_uploads(provider, dataset_ref);
CREATE TABLE provider_jobs (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    job_id TEXT NOT NULL,
    job_name TEXT NOT NULL,
    upload_id INTEGER REFERENCES provider_uploads(id) ON DELETE SET NULL,
    dataset_ref TEXT NOT NULL,
    eval_dataset_ref TEXT,
    base_model TEXT NOT NULL,
    spec TEXT NOT NULL,
    state TEXT NOT NULL,
    raw_state TEXT NOT NULL,
    terminal INTEGER NOT NULL DEFAULT 0,
    percent REAL,
    output_model TEXT,
    error TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (provider, job_id)
);
CREATE TABLE provider_deployments (
    id INTEGER PRIMARY KEY,
    provider TEXT NOT NULL,
    deployment_id TEXT NOT NULL,
    deployment_name TEXT NOT NULL,
    model TEXT NOT NULL,
    inference_model TEXT NOT NULL,
    job_row INTEGER REFERENCES provider_jobs(id) ON DELETE SET NULL,
    min_replicas INTEGER NOT NULL,
    max_replicas INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (provider, deployment_id)
)
"""

EXPORTS = """
CREATE TABLE exports (
    id INTEGER PRIMARY KEY,
    out_dir TEXT NOT NULL,
    manifest_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    seed INTEGER NOT NULL,
    selection TEXT NOT NULL,
    provider TEXT NOT NULL,
    config_fingerprint TEXT NOT NULL,
    examples INTEGER NOT NULL,
    counts TEXT NOT NULL
);
CREATE INDEX exports_by_hash ON exports(manifest_hash);
CREATE TABLE export_files (
    export_id INTEGER NOT NULL REFERENCES exports(id) ON DELETE CASCADE,
    path TEXT NOT NULL,
    task TEXT NOT NULL,
    split TEXT NOT NULL,
    examples INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    est_tokens INTEGER NOT NULL,
    ids_file TEXT NOT NULL,
    PRIMARY KEY (export_id, path)
) WITHOUT ROWID;
CREATE INDEX export_files_by_sha ON export_files(sha256)
"""

EVALS = """
CREATE TABLE eval_responses (
    id INTEGER PRIMARY KEY,
    request_key TEXT NOT NULL,
    endpoint TEXT NOT NULL,
    model TEXT NOT NULL,
    request TEXT NOT NULL,
    status INTEGER,
    body TEXT,
    error TEXT,
    error_message TEXT,
    latency_ms REAL,
    attempts INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX eval_responses_by_key ON eval_responses(request_key, status, id);
CREATE TABLE eval_runs (
    id INTEGER PRIMARY KEY,
    plan_key TEXT NOT NULL,
    status TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    heldout_dir TEXT NOT NULL,
    export_hash TEXT,
    job_id TEXT,
    candidate_spec TEXT NOT NULL,
    baseline_spec TEXT NOT NULL,
    candidate TEXT NOT NULL,
    baseline TEXT NOT NULL,
    tasks TEXT NOT NULL,
    n INTEGER,
    settings TEXT NOT NULL,
    requests_sent INTEGER NOT NULL DEFAULT 0,
    cached INTEGER NOT NULL DEFAULT 0,
    summary TEXT
);
CREATE INDEX eval_runs_by_plan ON eval_runs(plan_key, id);
CREATE INDEX eval_runs_by_export ON eval_runs(export_hash);
CREATE TABLE eval_examples (
    eval_id INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
    task TEXT NOT NULL,
    position INTEGER NOT NULL,
    line INTEGER NOT NULL,
    record TEXT NOT NULL,
    PRIMARY KEY (eval_id, task, position)
) WITHOUT ROWID;
CREATE TABLE eval_items (
    eval_id INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
    task TEXT NOT NULL,
    position INTEGER NOT NULL,
    side TEXT NOT NULL CHECK (side IN ('candidate', 'baseline')),
    response_id INTEGER REFERENCES eval_responses(id),
    PRIMARY KEY (eval_id, task, position, side)
) WITHOUT ROWID
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

# The output kind of each call (json, tool_call, reasoning, text; core/rules/kinds.py): a column
# of the list, a facet and a field of ``check --json``. Rows of an older index are re-read
# (INDEX_FORMAT 3), so the default never survives a check.
CALL_KINDS = """
ALTER TABLE calls ADD COLUMN kind TEXT NOT NULL DEFAULT 'text'
"""

# A line's earlier steps: for each assistant message before its last, the trace id of the line
# holding the messages up to it (core.corpus.records.prefix_ids). Keyed by file and line, so a
# re-read file's rows go with it; read by the evaluation for dup.prefix and unkeyed runs.
TRAJECTORY_STEPS = """
CREATE TABLE call_prefixes (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    prefix_id TEXT NOT NULL
);
CREATE INDEX call_prefixes_by_file ON call_prefixes(file_id, line);
CREATE INDEX call_prefixes_by_prefix ON call_prefixes(prefix_id);
-- What the last evaluation made of them: the calls that are a step of a longer line (longer_id)
-- and the unkeyed calls it moved into a trajectory's run (chained_run), so the next one can undo.
CREATE TABLE trajectory_calls (
    call_id INTEGER PRIMARY KEY REFERENCES calls(id) ON DELETE CASCADE,
    longer_id INTEGER,
    chained_run TEXT
)
"""

# A line with ``weight`` keys also has a chain: its own id and its steps' ids computed without
# the weights (core.corpus.records.trace_ids). They only join trajectories (runs, split groups);
# dup.prefix stays with the exact ids of call_prefixes.
TRAJECTORY_CHAINS = """
CREATE TABLE call_chain_ids (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    chain_id TEXT NOT NULL
);
CREATE INDEX call_chain_ids_by_file ON call_chain_ids(file_id, line);
CREATE INDEX call_chain_ids_by_chain ON call_chain_ids(chain_id);
CREATE TABLE call_chain_steps (
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    line INTEGER NOT NULL,
    prefix_id TEXT NOT NULL
);
CREATE INDEX call_chain_steps_by_file ON call_chain_steps(file_id, line);
CREATE INDEX call_chain_steps_by_prefix ON call_chain_steps(prefix_id)
"""

MIGRATIONS: list[tuple[int, str]] = [
    (1, CORPUS_INDEX),
    (2, REVIEW),
    (3, EXPORTS),
    (4, PROVIDER_RECORDS),
    (5, EVALS),
    (6, REVIEW_SEARCH),
    (7, CALL_KINDS),
    (8, TRAJECTORY_STEPS),
    (9, TRAJECTORY_CHAINS),
]
