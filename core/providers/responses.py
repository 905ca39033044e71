"""The shapes of provider answers we read, validated at the edge with pydantic.

A provider (or a proxy, or a stand-in) that answers with an unexpected shape (``status`` a
string where an object belongs, a job without its name) gets one :class:`ProviderError` naming
the provider and the field, instead of an ``AttributeError`` deep in our code. The models list
only the fields we read; other fields are allowed, since the APIs grow. Numbers may come as
strings (Fireworks sends int64 as text) and are read leniently by ``core.providers.values``.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.providers.errors import ProviderError

Number = int | float | str | None
Text = str | None


class _Body(BaseModel):
    model_config = ConfigDict(extra="allow", frozen=True)


class FireworksStatus(_Body):
    code: int | str | None = None
    message: Text = None


class FireworksProgress(_Body):
    percent: Number = None
    epoch: Number = None


class FireworksJobBody(_Body):
    name: str = Field(min_length=1)
    state: Text = None
    status: FireworksStatus | None = None
    jobProgress: FireworksProgress | None = None
    outputModel: Text = None
    baseModel: Text = None
    warmStartFrom: Text = None
    dataset: Text = None
    evaluationDataset: Text = None
    createTime: Text = None


class FireworksJobPage(_Body):
    supervisedFineTuningJobs: list[dict[str, Any]] | None = None
    nextPageToken: Text = None


class FireworksDeploymentBody(_Body):
    name: str = Field(min_length=1)
    state: Text = None
    baseModel: Text = None
    minReplicaCount: Number = None
    maxReplicaCount: Number = None
    status: FireworksStatus | None = None


class FireworksDatasetBody(_Body):
    state: Text = None
    exampleCount: Number = None


class FireworksUploadEndpoint(_Body):
    filenameToSignedUrls: dict[str, str] | None = None


class TogetherFileBody(_Body):
    id: Text = None
    bytes: Number = None
    processing_status: Text = None
    status: Text = None
    validation_report: dict[str, Any] | None = None


class OpenAIFileBody(_Body):
    id: Text = None
    bytes: Number = None
    status: Text = None


class TogetherJobBody(_Body):
    id: str = Field(min_length=1)
    status: Text = None
    n_epochs: Number = None
    epochs_completed: Number = None
    output_name: Text = None
    model_output_name: Text = None
    created_at: Number = None
    model: Text = None
    training_file: Text = None
    validation_file: Text = None
    error: Any = None
    events: list[Any] | None = None


class JobList(_Body):
    """Together's and OpenAI's lists: ``{"data": [...], "has_more": ...}``."""

    data: list[dict[str, Any]] | None = None
    has_more: bool | None = None


class OpenAIJobBody(_Body):
    id: str = Field(min_length=1)
    status: Text = None
    error: dict[str, Any] | None = None
    created_at: int | float | None = None
    model: Text = None
    training_file: Text = None
    validation_file: Text = None
    fine_tuned_model: Text = None


Body = TypeVar("Body", bound=_Body)

_EXPECTED = {
    "model_type": "an object",
    "dict_type": "an object",
    "model_attributes_type": "an object",
    "string_type": "a string",
    "list_type": "an array",
    "int_type": "a number",
    "float_type": "a number",
    "bool_type": "true or false",
    "string_too_short": "a non-empty string",
}


def _json_kind(value: Any) -> str:
    if isinstance(value, str):
        return "a string" if value else "an empty string"
    for kind, name in ((bool, "a boolean"), (int | float, "a number"), (list, "an array")):
        if isinstance(value, kind):
            return name
    return "an object" if isinstance(value, dict) else "null"


def checked(shape: type[Body], data: Any, provider: str, what: str) -> Body:
    """``data`` validated as ``shape``, else a one-line :class:`ProviderError`.

    Raises:
        ProviderError: names the provider, what was asked for and the first odd field.
    """
    try:
        return shape.model_validate(data)
    except ValidationError as exc:
        error = exc.errors()[0]
        field = ".".join(str(part) for part in error["loc"]) or "the body"
        if error["type"] == "missing":
            problem = f"field {field!r} is missing"
        else:
            expected = _EXPECTED.get(error["type"], error["msg"].lower().removeprefix("input "))
            problem = f"field {field!r} should be {expected} (got {_json_kind(error['input'])})"
        raise ProviderError(
            provider,
            f"unexpected answer for a {what}: {problem}",
            hint="the API may have changed, or the base URL points at something else",
        ) from None
