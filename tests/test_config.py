"""Config: defaults for every key, one-line errors naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, CuratorConfig, load_config
from core.models import Severity


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "curator.toml"
    path.write_text(text)
    return path


def test_defaults_are_the_agents_constants() -> None:
    bands = CuratorConfig().bands
    assert (bands.max_enrichment_iterations, bands.max_discovery_rounds) == (3, 3)
    assert (bands.circuit_breaker_rounds, bands.max_enrichment_batch_size) == (2, 15)
    assert (bands.coverage_threshold, bands.max_enrichment_attempts_per_entity) == (0.65, 2)
    assert (bands.max_additional_queries, bands.max_context_chars) == (20, 60_000)


def test_values_and_severities_are_read(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[bands]\nmax_discovery_rounds = 5\n[rules]\n"output.fenced" = "warn"\n'
        "[tasks.planning]\nmax_target_count = 100\n",
    )
    config, source = load_config(path)
    assert source == path
    assert config.bands.max_discovery_rounds == 5
    assert config.severity("output.fenced") is Severity.WARN
    assert config.severity("output.empty") is Severity.ERROR
    assert config.tasks.planning.max_target_count == 100


def test_curator_toml_in_cwd_is_used_when_no_path_given(tmp_path: Path) -> None:
    write(tmp_path, "[bands]\nmax_additional_queries = 7\n")
    config, source = load_config(None, cwd=tmp_path)
    assert config.bands.max_additional_queries == 7 and source is not None
    assert load_config(None, cwd=tmp_path / "elsewhere")[1] is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[bandz]\nx = 1\n", "bandz: unknown key"),
        ("[bands]\nmax_rounds = 1\n", "bands.max_rounds: unknown key"),
        ('[bands]\nmax_discovery_rounds = "three"\n', "bands.max_discovery_rounds: Input should"),
        ("[bands]\ncoverage_threshold = 1.5\n", "bands.coverage_threshold: Input should be less"),
        ('[rules]\n"output.nope" = "warn"\n', "rules.output.nope: unknown rule id"),
        ('[rules]\n"output.fenced" = "loud"\n', "rules.output.fenced: Input should be 'error'"),
        ("[bands\n", "not valid TOML"),
        ('[runs]\nkey = "metadata..thread"\n', "runs.key: a dotted path of keys"),
        ('[runs]\nkeys = "x"\n', "runs.keys: unknown key"),
    ],
)
def test_bad_config_is_one_line_naming_file_and_key(
    tmp_path: Path, text: str, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as error:
        load_config(path)
    assert str(error.value).startswith(f"{path}: {message}")
    assert "\n" not in str(error.value)


def test_missing_config_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path / "nope.toml")


def test_fingerprint_changes_with_settings() -> None:
    other = CuratorConfig.model_validate({"bands": {"max_context_chars": 10}})
    assert CuratorConfig().fingerprint() == CuratorConfig().fingerprint()
    assert CuratorConfig().fingerprint() != other.fingerprint()


def test_run_key_is_read_and_part_of_the_fingerprint(tmp_path: Path) -> None:
    config, _ = load_config(write(tmp_path, '[runs]\nkey = "metadata.thread"\n'))
    assert config.runs.key_path == ("metadata", "thread")
    assert config.fingerprint() != CuratorConfig().fingerprint()
