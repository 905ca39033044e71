"""Hostile configs: each is one line naming the file and the key, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.cli import main
from core.config import ConfigError, load_config
from core.eval.settings import EvalSettings
from core.eval.specs import ModelSpecError, resolve_model

ROOT = Path(__file__).resolve().parents[2]

CASES: list[tuple[bytes, str]] = [
    ("[bands]\nmax_discovery_rounds = 5\n".encode("utf-16"), "the file is UTF-16"),
    (b"[bands]\nmax_discovery_rounds = 5 # \xff\xfe\n", ":2: not valid UTF-8"),
    (b"[eval]\nresponse_format = {x = " + b"[" * 5000 + b"]" * 5000 + b"}\n", "nested too deeply"),
    (b"[eval]\nresponse_format = {x = " + b"[" * 100 + b"]" * 100 + b"}\n", "eval.response_format"),
    (b"[bands]\nmax_discovery_rounds = 99999999999999999999\n", "bands.max_discovery_rounds"),
    (b"[eval]\nseed = 9223372036854775808\n", "eval.seed: integer out of range"),
    (b"[providers]\ndelay_scale = inf\n", "providers.delay_scale: Input should be a finite"),
    (b"[providers]\ndelay_scale = nan\n", "providers.delay_scale: Input should be a finite"),
    (b'[providers]\nopenai_base_url = "http://[::1"\n', "providers.openai_base_url: not a"),
    (b'[providers]\ntogether_base_url = "http://h:99999/v1"\n', "providers.together_base_url"),
    (b'[models.m]\nmodel = "x"\nbase_url = "http://h:99999/v1"\n', "models.m.base_url: not a"),
    (b'[bands]\nmax_discovery_rounds = "3"\n', "bands.max_discovery_rounds: Input should be"),
    (b"[bands]\nmax_discovery_rounds = true\n", "bands.max_discovery_rounds: Input should be"),
    (b"[bands]\ncoverage_threshold = true\n", "bands.coverage_threshold: Input should be"),
]


@pytest.mark.parametrize(("data", "message"), CASES)
def test_hostile_config_is_one_line_from_check(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], data: bytes, message: str
) -> None:
    config = tmp_path / "curator.toml"
    config.write_bytes(data)
    argv = ["check", str(ROOT / "sample_traces"), "--config", str(config)]
    code = main([*argv, "--workspace", str(tmp_path / "ws")])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith(f"curator: error: {config}") and message in err


def test_toml_integers_still_fill_float_settings_and_arrays_fill_tuples(tmp_path: Path) -> None:
    config = tmp_path / "curator.toml"
    config.write_text(
        "[bands]\ncoverage_threshold = 1\n[providers]\ndelay_scale = 2\n"
        '[rules]\n"output.fenced" = "warn"\n[tasks.planning]\nrequired_fields = ["city"]\n'
        '[models.m]\nprovider = "openai"\nmodel = "x"\n'
    )
    loaded, _ = load_config(config)
    assert loaded.bands.coverage_threshold == 1.0 and loaded.providers.delay_scale == 2.0
    assert loaded.tasks.planning.required_fields == ("city",)


def test_a_bad_port_in_a_model_argument_is_one_line() -> None:
    with pytest.raises(ModelSpecError, match="Port out of range"):
        resolve_model("http://host:99999/v1#m", EvalSettings(), {}, env={})
    with pytest.raises(ModelSpecError, match="Invalid IPv6"):
        resolve_model("http://[::1#m", EvalSettings(), {}, env={})


def test_config_error_has_no_newline(tmp_path: Path) -> None:
    config = tmp_path / "curator.toml"
    config.write_bytes(CASES[2][0])
    with pytest.raises(ConfigError) as error:
        load_config(config)
    assert "\n" not in str(error.value)
