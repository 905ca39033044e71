"""Declared tasks in curator.toml: keys, schema files, one-line errors, the fingerprint."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, load_config
from core.rules.kinds import OutputKind

TOOL_AGENT = """
[tasks.booking]
kind = "tool_call"
match = { file = "booking-*.jsonl" }

[tasks.ticket]
kind = "json"
schema = "schemas/ticket.json"
grounded = ["/customer"]
known_fields = ["customer", "priority"]

[tasks.ticket.match]
metadata = { agent = "support", "env.name" = "prod" }
system = "(?i)support ticket"

[tasks.planning]
max_target_count = 50
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "curator.toml"
    path.write_text(text)
    return path


def test_declared_tasks_are_read_with_schema_files_relative_to_the_config(tmp_path: Path):
    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "ticket.json").write_text('{"type": "object"}')
    config, _ = load_config(write(tmp_path, TOOL_AGENT))
    tasks = config.tasks.all_tasks()
    assert list(tasks) == ["planning", "extraction", "enrichment", "booking", "ticket"]
    assert tasks["booking"].kind is OutputKind.TOOL_CALL
    assert tasks["booking"].match.file == "booking-*.jsonl"
    assert tasks["ticket"].json_schema == {"type": "object"}
    assert tasks["ticket"].match.metadata == {"agent": "support", "env.name": "prod"}
    assert config.tasks.planning.max_target_count == 50  # the story's keys keep working


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[tasks.t]\nmatch = { system = "(" }\n', "tasks.t.match.system: not a valid regex"),
        ('[tasks.t]\nkind = "prose"\n', "tasks.t.kind: Input should be 'json'"),
        ("[tasks.t]\ncolour = 1\n", "tasks.t.colour: unknown key"),
        ("[tasks.t.match]\nfolder = 'x'\n", "tasks.t.match.folder: unknown key"),
        ("[tasks.t]\nmatch = {}\n", "tasks.t.match: give at least one of"),
        ('[tasks.t]\ngrounded = ["name"]\n', "tasks.t.grounded: 'name' is not a JSON pointer"),
        ('[tasks.t]\nschema = { type = "strin" }\n', "tasks.t.schema: not a valid JSON Schema"),
        ('[tasks.t]\nschema = "nope.json"\n', "tasks.t.schema: file not found"),
        ("[tasks.planning]\nrequired = []\n", "tasks.planning.required: unknown key"),
    ],
)
def test_bad_task_config_is_one_line_naming_file_and_key(tmp_path: Path, text, message):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: {message}")
    assert "\n" not in str(error.value)


def test_schema_file_that_is_not_json_names_the_key(tmp_path: Path):
    (tmp_path / "s.json").write_text("{nope")
    path = write(tmp_path, '[tasks.t]\nschema = "s.json"\n')
    with pytest.raises(ConfigError, match=r"tasks\.t\.schema: .*s\.json is not valid JSON"):
        load_config(path)


def test_fingerprint_includes_declared_tasks_and_their_schema_files(tmp_path: Path):
    base = load_config(write(tmp_path, "[bands]\nmax_context_chars = 10\n"))[0].fingerprint()
    (tmp_path / "s.json").write_text('{"type": "object"}')
    text = '[bands]\nmax_context_chars = 10\n[tasks.t]\nkind = "json"\nschema = "s.json"\n'
    declared = load_config(write(tmp_path, text))[0].fingerprint()
    assert declared != base
    (tmp_path / "s.json").write_text('{"type": "array"}')
    assert load_config(write(tmp_path, text))[0].fingerprint() != declared


def test_check_with_a_bad_task_config_exits_2_with_one_line(tmp_path: Path, capsys):
    from core.cli import main

    (tmp_path / "a.jsonl").write_text("")
    path = write(tmp_path, '[tasks.t]\nmatch = { system = "(" }\n')
    code = main(["check", str(tmp_path / "a.jsonl"), "--config", str(path), "--workspace",
                 str(tmp_path / "ws")])  # fmt: skip
    assert code == 2
    error = capsys.readouterr().err
    assert error.count("\n") == 1 and "tasks.t.match.system: not a valid regex" in error


def test_declared_tasks_survive_the_trip_to_index_workers(tmp_path: Path):
    """Workers get the config as ``model_dump(mode="json")``: declared tasks must round-trip."""
    from core.config import CuratorConfig

    (tmp_path / "schemas").mkdir()
    (tmp_path / "schemas" / "ticket.json").write_text('{"type": "object"}')
    config, _ = load_config(write(tmp_path, TOOL_AGENT))
    again = CuratorConfig.model_validate(config.model_dump(mode="json"))
    assert again == config and again.fingerprint() == config.fingerprint()
