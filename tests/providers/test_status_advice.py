"""HTTP-status advice is written once: provider errors and eval's diagnosis say the same."""

from __future__ import annotations

import pytest

from core.eval.diagnosis import advice
from core.eval.settings import EvalSettings
from core.eval.specs import resolve_model
from core.providers.advice import STATUS_ADVICE, status_advice
from core.providers.errors import error_from_response

STATUSES = sorted({*STATUS_ADVICE, 418, 500, 503})


@pytest.mark.parametrize("status", STATUSES)
def test_provider_errors_and_eval_diagnosis_share_the_advice(status: int) -> None:
    error = error_from_response(
        "openai", status, b'{"error": {"message": "no"}}', key_var="OPENAI_API_KEY", redactor=str
    )
    assert error.hint == status_advice(status, "OPENAI_API_KEY")
    if status == 404:  # eval knows more: the endpoint and model it called
        return
    target = resolve_model("openai:gpt-4o-mini", EvalSettings(), {}, {"OPENAI_API_KEY": "k"})
    assert status_advice(status, "OPENAI_API_KEY") in advice(
        f"http_{status}", "no", target, EvalSettings()
    )
