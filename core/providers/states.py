"""Our own job states, and the map from every documented provider state onto them.

The providers' lists grow: a state string we do not know maps to ``running`` and is shown as
``running (state X)``, never an exception. Transitional states on the way to an end
(``JOB_STATE_CANCELLING``, ``cancel_requested``) map to where they are heading but are not
terminal, so a watcher keeps polling until the provider confirms.
"""

from __future__ import annotations

from enum import StrEnum


class JobState(StrEnum):
    """Where a fine-tuning job is, in words shared by every provider."""

    QUEUED = "queued"
    VALIDATING = "validating"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


_Q, _V, _R = JobState.QUEUED, JobState.VALIDATING, JobState.RUNNING
_S, _F, _C = JobState.SUCCEEDED, JobState.FAILED, JobState.CANCELLED

#: Fireworks ``JOB_STATE_*`` (prefix stripped) → (our state, terminal).
FIREWORKS_JOB_STATES: dict[str, tuple[JobState, bool]] = {
    "UNSPECIFIED": (_Q, False),
    "CREATING": (_Q, False),
    "PENDING": (_Q, False),
    "RE_QUEUEING": (_Q, False),
    "IDLE": (_Q, False),
    "PAUSED": (_Q, False),  # typically a suspended account: waiting, not failed
    "VALIDATING": (_V, False),
    "CREATING_INPUT_DATASET": (_V, False),
    "RUNNING": (_R, False),
    "WRITING_RESULTS": (_R, False),
    "COMPLETED": (_S, True),
    "EARLY_STOPPED": (_S, True),
    "FAILED": (_F, True),
    "EXPIRED": (_F, True),
    "CANCELLING": (_C, False),
    "CANCELLED": (_C, True),
    "DELETING": (_C, False),
    "DELETING_CLEANING_UP": (_C, False),
}

#: Together ``status`` → (our state, terminal).
TOGETHER_JOB_STATES: dict[str, tuple[JobState, bool]] = {
    "pending": (_Q, False),
    "queued": (_Q, False),
    "running": (_R, False),
    "compressing": (_R, False),
    "uploading": (_R, False),
    "cancel_requested": (_C, False),
    "cancelled": (_C, True),
    "error": (_F, True),
    "completed": (_S, True),
}

#: OpenAI ``status`` → (our state, terminal).
OPENAI_JOB_STATES: dict[str, tuple[JobState, bool]] = {
    "validating_files": (_V, False),
    "queued": (_Q, False),
    "running": (_R, False),
    "succeeded": (_S, True),
    "failed": (_F, True),
    "cancelled": (_C, True),
}


def _normalize(provider: str, raw: str) -> str:
    if provider == "fireworks":
        return raw.strip().upper().removeprefix("JOB_STATE_")
    return raw.strip().lower()


_TABLES = {
    "fireworks": FIREWORKS_JOB_STATES,
    "together": TOGETHER_JOB_STATES,
    "openai": OPENAI_JOB_STATES,
}


def map_job_state(provider: str, raw: str | None) -> tuple[JobState, bool, bool]:
    """(our state, terminal, known) for a provider's raw state string; never raises."""
    table = _TABLES.get(provider, {})
    found = table.get(_normalize(provider, raw or ""))
    if found is None:
        return JobState.RUNNING, False, False
    return found[0], found[1], True


def state_label(state: JobState, raw: str, known: bool) -> str:
    """``succeeded``, or ``running (state JOB_STATE_NEW)`` for a state we did not know."""
    return state.value if known else f"{state.value} (state {raw or 'missing'})"


#: Fireworks dataset states; only READY can be trained on.
DATASET_READY = "READY"
DATASET_STATES = ("STATE_UNSPECIFIED", "UPLOADING", "READY")

#: Fireworks deployment states; READY serves, FAILED/DELETED/DELETING never will.
DEPLOYMENT_STATES = (
    "STATE_UNSPECIFIED",
    "CREATING",
    "READY",
    "UPDATING",
    "DELETING",
    "FAILED",
    "DELETED",
)
DEPLOYMENT_DEAD = frozenset({"FAILED", "DELETED", "DELETING"})
