"""Pure pieces of the provider layer: states, errors, retries, keys, ids, settings."""

from __future__ import annotations

import email.utils
import time
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.config import ConfigError, load_config
from core.providers.credentials import CredentialsError, redact, resolve_credentials
from core.providers.errors import ProviderError, parse_error_body, parse_fireworks_error
from core.providers.http import api_root
from core.providers.ids import derived_id, fresh_id, is_valid_id
from core.providers.retries import server_retry_after
from core.providers.settings import ProviderSettings
from core.providers.states import (
    FIREWORKS_JOB_STATES,
    OPENAI_JOB_STATES,
    TOGETHER_JOB_STATES,
    JobState,
    map_job_state,
    state_label,
)

# Every state string documented in PROVIDERS.md and the official SDKs' types, with ours.
DOCUMENTED = {
    "fireworks": {
        "JOB_STATE_UNSPECIFIED": "queued", "JOB_STATE_CREATING": "queued",
        "JOB_STATE_PENDING": "queued", "JOB_STATE_VALIDATING": "validating",
        "JOB_STATE_CREATING_INPUT_DATASET": "validating", "JOB_STATE_RUNNING": "running",
        "JOB_STATE_WRITING_RESULTS": "running", "JOB_STATE_COMPLETED": "succeeded",
        "JOB_STATE_EARLY_STOPPED": "succeeded", "JOB_STATE_FAILED": "failed",
        "JOB_STATE_EXPIRED": "failed", "JOB_STATE_CANCELLING": "cancelled",
        "JOB_STATE_CANCELLED": "cancelled", "JOB_STATE_DELETING": "cancelled",
        "JOB_STATE_DELETING_CLEANING_UP": "cancelled", "JOB_STATE_RE_QUEUEING": "queued",
        "JOB_STATE_IDLE": "queued", "JOB_STATE_PAUSED": "queued",
    },
    "together": {
        "pending": "queued", "queued": "queued", "running": "running", "compressing": "running",
        "uploading": "running", "cancel_requested": "cancelled", "cancelled": "cancelled",
        "error": "failed", "completed": "succeeded",
    },
    "openai": {
        "validating_files": "validating", "queued": "queued", "running": "running",
        "succeeded": "succeeded", "failed": "failed", "cancelled": "cancelled",
    },
}  # fmt: skip
TERMINAL = {
    "JOB_STATE_COMPLETED", "JOB_STATE_EARLY_STOPPED", "JOB_STATE_FAILED", "JOB_STATE_EXPIRED",
    "JOB_STATE_CANCELLED", "cancelled", "error", "completed", "succeeded", "failed",
}  # fmt: skip


@pytest.mark.parametrize(
    ("provider", "raw", "ours"),
    [(p, raw, ours) for p, table in DOCUMENTED.items() for raw, ours in table.items()],
)
def test_every_documented_state_maps(provider: str, raw: str, ours: str) -> None:
    state, terminal, known = map_job_state(provider, raw)
    assert state is JobState(ours)
    assert known
    assert terminal == (raw in TERMINAL)
    assert state_label(state, raw, known) == ours


def test_tables_cover_exactly_the_documented_states() -> None:
    assert {f"JOB_STATE_{k}" for k in FIREWORKS_JOB_STATES} == set(DOCUMENTED["fireworks"])
    assert set(TOGETHER_JOB_STATES) == set(DOCUMENTED["together"])
    assert set(OPENAI_JOB_STATES) == set(DOCUMENTED["openai"])


def test_sdk_literals_are_all_mapped() -> None:
    """The installed SDKs' own enums must not hold a state we do not know."""
    from typing import get_args

    fw = pytest.importorskip("fireworks.types.supervised_fine_tuning_job")
    oa = pytest.importorskip("openai.types.fine_tuning.fine_tuning_job")
    tg = pytest.importorskip("together.types.finetune_response")

    def literals(model: type, field: str) -> set[str]:
        annotation = model.model_fields[field].annotation
        found: set[str] = set()
        stack = [annotation]
        while stack:
            item = stack.pop()
            args = get_args(item)
            found.update(a for a in args if isinstance(a, str))
            stack.extend(a for a in args if not isinstance(a, str))
        return found

    for provider, model in (
        ("fireworks", fw.SupervisedFineTuningJob),
        ("openai", oa.FineTuningJob),
        ("together", tg.FinetuneResponse),
    ):
        for raw in literals(model, "state" if provider == "fireworks" else "status"):
            assert map_job_state(provider, raw)[2], f"{provider} state {raw} is not mapped"


@given(st.text(max_size=40))
def test_unknown_states_never_raise(raw: str) -> None:
    for provider in ("fireworks", "together", "openai", "nobody"):
        state, _, known = map_job_state(provider, raw)
        if not known:
            assert state is JobState.RUNNING
            assert state_label(state, raw, known).startswith("running (state ")


def test_error_shapes_parse() -> None:
    grpc = b'{"code": 5, "message": "Dataset not found", "details": []}'
    flat = b'{"message": "Model not found, inaccessible, and/or not deployed", "code": "NOT_FOUND", "type": "error"}'  # noqa: E501
    nested = b'{"error": {"type": "invalid_request_error", "message": "bad", "param": "model", "code": null}}'  # noqa: E501
    assert parse_fireworks_error(grpc) == ("NOT_FOUND", "Dataset not found")
    assert parse_fireworks_error(flat) == (
        "NOT_FOUND",
        "Model not found, inaccessible, and/or not deployed",
    )
    assert parse_error_body(nested) == ("invalid_request_error", "bad (param: model)")
    assert parse_error_body(b"<html>Bad Gateway</html>") == ("", "<html>Bad Gateway</html>")
    assert parse_error_body(b"[1, 2]") == ("", "[1, 2]")


def test_provider_error_is_one_line() -> None:
    error = ProviderError("fireworks", "a\nb", status=404, code="NOT_FOUND", hint="do x")
    assert str(error) == "fireworks: HTTP 404 NOT_FOUND: a b — do x"
    assert str(ProviderError("openai", "gone", status=410)) == "openai: HTTP 410: gone"


def test_retry_after_variants() -> None:
    assert server_retry_after({"Retry-After": "3"}) == 3
    assert server_retry_after({"retry-after-ms": "250"}) == 0.25
    assert server_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < server_retry_after({"retry-after": later}) <= 30
    assert server_retry_after({"retry-after": "soon"}) is None


def test_missing_keys_name_the_variable() -> None:
    settings = ProviderSettings()
    with pytest.raises(CredentialsError, match="^fireworks: FIREWORKS_API_KEY is not set"):
        resolve_credentials("fireworks", settings, {})
    with pytest.raises(CredentialsError, match="FIREWORKS_ACCOUNT_ID is not set"):
        resolve_credentials("fireworks", settings, {"FIREWORKS_API_KEY": "k" * 8})
    with pytest.raises(CredentialsError, match="TOGETHER_API_KEY"):
        resolve_credentials("together", settings, {"OPENAI_API_KEY": "x"})
    with pytest.raises(CredentialsError, match="OPENAI_API_KEY"):
        resolve_credentials("openai", settings, {"OPENAI_API_KEY": "  "})


def test_base_url_env_wins_over_config() -> None:
    settings = ProviderSettings(openai_base_url="https://proxy.example/v1")
    env = {"OPENAI_API_KEY": "sk-abcdefgh"}
    assert resolve_credentials("openai", settings, env).base_url == "https://proxy.example/v1"
    env["OPENAI_BASE_URL"] = "http://127.0.0.1:1/openai/v1/"
    assert resolve_credentials("openai", settings, env).base_url == "http://127.0.0.1:1/openai/v1"


def test_api_root_accepts_either_base_form() -> None:
    assert api_root("https://api.together.xyz/v1") == "https://api.together.xyz/v1"
    assert api_root("https://api.together.ai") == "https://api.together.ai/v1"
    assert api_root("http://h:1/openai/v1/") == "http://h:1/openai/v1"


def test_secrets_do_not_show() -> None:
    key = "sk-very-secret-value"
    credentials = resolve_credentials("openai", ProviderSettings(), {"OPENAI_API_KEY": key})
    for text in (repr(credentials), str(credentials), f"{credentials.api_key}"):
        assert key not in text
    assert redact(f"Bearer {key} and {key}", [credentials.api_key]) == (
        "Bearer [redacted] and [redacted]"
    )
    assert credentials.api_key.get_secret_value() == key  # one type for every key: SecretStr


@given(st.text(max_size=80), st.text(max_size=80))
def test_derived_ids_are_always_valid(readable: str, material: str) -> None:
    assert is_valid_id(derived_id("tc", readable, material))


def test_ids() -> None:
    assert derived_id("tc", "planning/train", "h", "p") == derived_id(
        "tc", "planning/train", "h", "p"
    )
    assert derived_id("tc", "planning/train", "h", "p").startswith("tc-planning-train-")
    assert fresh_id("tc", "qwen3-8b") != fresh_id("tc", "qwen3-8b")
    assert not is_valid_id("1abc") and not is_valid_id("abc-") and not is_valid_id("a" * 64)


def test_provider_settings_in_curator_toml(tmp_path: Path) -> None:
    path = tmp_path / "curator.toml"
    path.write_text("[providers]\nupload_threshold_bytes = 1000\npoll_interval_seconds = 2\n")
    config, _ = load_config(path)
    assert config.providers.upload_threshold_bytes == 1000
    assert ProviderSettings().upload_threshold_bytes == 150_000_000
    path.write_text("[providers]\napi_key = 'no'\n")
    with pytest.raises(ConfigError, match="providers.api_key: unknown key"):
        load_config(path)


@pytest.mark.parametrize("name", ["fireworks", "together", "openai"])
def test_every_client_implements_the_interface(name: str) -> None:
    from core.providers import Provider, open_provider

    env = {"FIREWORKS_API_KEY": "k" * 8, "FIREWORKS_ACCOUNT_ID": "a", "TOGETHER_API_KEY": "t" * 8}
    env["OPENAI_API_KEY"] = "o" * 8
    client = open_provider(name, ProviderSettings(), env)
    assert isinstance(client, Provider) and client.name == name
    assert "k" * 8 not in repr(client) and "k" * 8 not in repr(vars(client))
    client.close()
