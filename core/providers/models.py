"""Pydantic models at the provider edge: what we ask for and what we get back.

These are provider-neutral; each client maps its own JSON onto them. None of them ever holds
an API key, so any of them can be printed, stored or exported.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.providers.states import JobState, state_label

UploadOutcome = Literal["uploaded", "reused", "resumed"]


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class DatasetUpload(_Model):
    """One JSONL file to put on a provider, already verified against its manifest."""

    path: Path
    dataset_id: str = Field(description="our id; Fireworks uses it, file APIs assign their own")
    display_name: str
    examples: int = Field(ge=0)
    bytes: int = Field(ge=0)
    sha256: str
    previous_remote_id: str | None = Field(
        None, description="a file id recorded by an earlier upload of the same file, to reuse"
    )
    previously_sent: bool = Field(
        False, description="an earlier run sent the bytes; resuming only needs polling"
    )


class UploadedDataset(_Model):
    """A dataset (Fireworks) or file (Together, OpenAI) ready to train on."""

    provider: str
    dataset_id: str
    dataset_ref: str = Field(description="what a job names: full name or file id")
    examples: int
    bytes: int
    state: str
    outcome: UploadOutcome


class JobSpec(_Model):
    """A supervised fine-tuning job request; unset fields are not sent."""

    base_model: str
    dataset: str
    eval_dataset: str | None = None
    epochs: int | None = Field(None, ge=1)
    learning_rate: float | None = Field(None, gt=0)
    lora_rank: int | None = Field(None, ge=1)
    max_context_length: int | None = Field(None, ge=1)
    batch_size: int | None = Field(None, ge=1)
    output_model: str | None = None
    display_name: str | None = None
    job_id: str | None = Field(None, description="client-chosen id where the API takes one")


class Job(_Model):
    """A fine-tuning job as the provider last reported it."""

    provider: str
    job_id: str
    name: str
    state: JobState
    raw_state: str
    terminal: bool
    known_state: bool = True
    percent: float | None = None
    epoch: int | None = None
    base_model: str = ""
    dataset: str = ""
    eval_dataset: str | None = None
    output_model: str | None = None
    error: str | None = None
    created_at: str | None = None

    @property
    def label(self) -> str:
        """``running``, ``succeeded`` ... or ``running (state X)`` for an unknown state."""
        return state_label(self.state, self.raw_state, self.known_state)


class DeployOptions(_Model):
    """How to serve a tuned model; scale-to-zero by default."""

    deployment_id: str | None = None
    min_replicas: int = Field(0, ge=0)
    max_replicas: int = Field(1, ge=1)
    accelerator_type: str | None = None
    display_name: str | None = None


class Deployment(_Model):
    """A deployment (or the statement that none is needed) for a tuned model."""

    provider: str
    deployment_id: str
    name: str
    model: str
    state: str
    ready: bool
    failed: bool = False
    min_replicas: int = 0
    max_replicas: int = 1
    inference_model: str = Field(description="the `model` value for chat completions")
    message: str = ""
