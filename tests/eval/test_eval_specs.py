"""MODEL arguments, keys from the environment, profiles and settings from config."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.config import ConfigError, load_config
from core.eval.settings import EvalSettings, ModelProfile
from core.eval.specs import ModelSpecError, resolve_model
from core.providers.settings import ProviderSettings

SETTINGS = EvalSettings()


def test_provider_specs_take_key_and_base_url_from_the_environment() -> None:
    env = {"FIREWORKS_API_KEY": "fw-secret", "FIREWORKS_BASE_URL": "http://127.0.0.1:9/v1/"}
    target = resolve_model("fireworks:accounts/me/models/tuned", SETTINGS, {}, env)
    assert (target.endpoint, target.model) == ("http://127.0.0.1:9/v1", "accounts/me/models/tuned")
    assert target.api_key is not None and target.api_key.get_secret_value() == "fw-secret"
    assert "fw-secret" not in repr(target) and "fw-secret" not in str(target.public())
    openai = resolve_model("openai:gpt-4o-mini", SETTINGS, {}, {"OPENAI_API_KEY": "k"})
    assert openai.endpoint == "https://api.openai.com/v1"
    together = resolve_model("together:meta/llama", SETTINGS, {}, {"TOGETHER_API_KEY": "k"})
    assert together.endpoint == "https://api.together.xyz/v1"
    default = resolve_model("fireworks:m", SETTINGS, {}, {"FIREWORKS_API_KEY": "k"})
    assert default.endpoint == "https://api.fireworks.ai/inference/v1"


@pytest.mark.parametrize(
    ("spec", "variable"),
    [("openai:gpt-4o-mini", "OPENAI_API_KEY"), ("fireworks:m", "FIREWORKS_API_KEY")],
)
def test_missing_key_names_the_variable(spec: str, variable: str) -> None:
    with pytest.raises(ModelSpecError, match=f"{variable} is not set"):
        resolve_model(spec, SETTINGS, {}, {})


def test_local_server_gold_and_bad_specs() -> None:
    local = resolve_model("http://127.0.0.1:8080/v1#smollm", SETTINGS, {}, {})
    assert (local.endpoint, local.model, local.api_key) == (
        "http://127.0.0.1:8080/v1",
        "smollm",
        None,
    )
    assert resolve_model("gold", SETTINGS, {}, {}).is_gold
    with pytest.raises(ModelSpecError, match="after '#'"):
        resolve_model("http://127.0.0.1:8080/v1", SETTINGS, {}, {})
    with pytest.raises(ModelSpecError, match="unknown model"):
        resolve_model("anthropic:claude", SETTINGS, {}, {})
    with pytest.raises(ModelSpecError, match="no model id"):
        resolve_model("openai:", SETTINGS, {}, {"OPENAI_API_KEY": "k"})


def test_profiles_override_settings_and_carry_prices() -> None:
    profiles = {
        "tuned": ModelProfile(
            provider="fireworks",
            model="accounts/me/models/tuned",
            price_input_per_1m=0.2,
            price_output_per_1m=0.8,
            max_tokens=256,
            response_format={"type": "json_object"},
        ),
        "local": ModelProfile(base_url="http://127.0.0.1:1/v1", model="m", api_key_env="LOCAL_KEY"),
    }
    tuned = resolve_model("tuned", SETTINGS, profiles, {"FIREWORKS_API_KEY": "k"})
    assert tuned.priced and tuned.max_tokens == 256
    assert tuned.response_format == {"type": "json_object"}
    with pytest.raises(ModelSpecError, match="LOCAL_KEY is not set"):
        resolve_model("local", SETTINGS, profiles, {})


def test_config_file_reads_eval_and_models_and_rejects_unknown_keys(tmp_path: Path) -> None:
    path = tmp_path / "curator.toml"
    path.write_text(
        "[eval]\nmax_tokens = 300\nconcurrency = 4\n\n"
        '[models.local]\nbase_url = "http://127.0.0.1:8080/v1"\nmodel = "smollm"\n'
        "price_input_per_1m = 0.1\nprice_output_per_1m = 0.2\n"
    )
    config, _ = load_config(path)
    assert config.eval.max_tokens == 300 and config.models["local"].model == "smollm"
    path.write_text("[eval]\nmax_token = 300\n")
    with pytest.raises(ConfigError, match=r"eval\.max_token: unknown key"):
        load_config(path)
    path.write_text('[models.x]\nmodel = "m"\n')
    with pytest.raises(ConfigError, match="base_url or provider"):
        load_config(path)


def test_fireworks_base_url_may_be_the_api_root_or_the_inference_base() -> None:
    key = {"FIREWORKS_API_KEY": "k"}
    root = {**key, "FIREWORKS_BASE_URL": "http://127.0.0.1:9"}  # as the provider layer reads it
    assert resolve_model("fireworks:m", SETTINGS, {}, root).endpoint == (
        "http://127.0.0.1:9/inference/v1"
    )
    inference = {**key, "FIREWORKS_BASE_URL": "http://127.0.0.1:9/inference/v1"}
    assert resolve_model("fireworks:m", SETTINGS, {}, inference).endpoint == (
        "http://127.0.0.1:9/inference/v1"
    )
    configured = ProviderSettings(fireworks_base_url="http://127.0.0.1:7/")
    assert resolve_model("fireworks:m", SETTINGS, {}, key, configured).endpoint == (
        "http://127.0.0.1:7/inference/v1"
    )
    together = ProviderSettings(together_base_url="http://127.0.0.1:8/v1")
    target = resolve_model("together:m", SETTINGS, {}, {"TOGETHER_API_KEY": "k"}, together)
    assert target.endpoint == "http://127.0.0.1:8/v1"
