"""``[tasks.*]`` of curator.toml: declared tasks and the story's built-in pack, validated.

A task declares how its calls are recognized (``match``: metadata key/values, a file glob, a
system-prompt regex; all given conditions must hold), its output ``kind``, a JSON ``schema``
(an inline table, or a path to a .json file relative to the config file), the ``grounded``
fields (JSON pointers into the output whose values the input must contain) and its
``known_fields``. The story's three tasks are the built-in pack: the same model with their own
extra keys (``required_fields``, ``allowed_tools``, ``max_target_count``), matched by the
contract's defaults (``metadata.task``, file stem).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from core.rules.kinds import OutputKind
from core.settings_base import StrictSettings

STORY_TASK_NAMES = ("planning", "extraction", "enrichment")


class _Strict(StrictSettings):
    """The config base (strict scalars, no extra keys); the schema key has an alias."""

    model_config = ConfigDict(populate_by_name=True)


MetadataValue = str | int | float | bool


class TaskMatch(_Strict):
    """How a line is recognized as this task; every condition given must hold."""

    metadata: dict[str, MetadataValue] = Field(default_factory=dict)
    file: str | None = None
    system: str | None = None

    @field_validator("system")
    @classmethod
    def _regex_compiles(cls, pattern: str | None) -> str | None:
        if pattern is not None:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a valid regex: {exc}") from None
        return pattern

    @field_validator("file")
    @classmethod
    def _glob_not_empty(cls, glob: str | None) -> str | None:
        if glob is not None and not glob.strip():
            raise ValueError("an empty file glob matches nothing")
        return glob

    @property
    def is_empty(self) -> bool:
        return not self.metadata and self.file is None and self.system is None


class DeclaredTask(_Strict):
    """One task's settings; every key is optional."""

    kind: OutputKind | None = None
    match: TaskMatch | None = None
    json_schema: dict[str, Any] | str | None = Field(None, alias="schema")
    grounded: tuple[str, ...] = ()
    known_fields: tuple[str, ...] = ()

    @field_validator("grounded")
    @classmethod
    def _pointers(cls, pointers: tuple[str, ...]) -> tuple[str, ...]:
        for pointer in pointers:
            if pointer and not pointer.startswith("/"):
                raise ValueError(f"{pointer!r} is not a JSON pointer (they start with '/')")
        return pointers

    @field_validator("match")
    @classmethod
    def _match_not_empty(cls, match: TaskMatch | None) -> TaskMatch | None:
        if match is not None and match.is_empty:
            raise ValueError("give at least one of metadata, file, system")
        return match


class PlanningSettings(DeclaredTask):
    """The built-in planning task: what a good plan holds."""

    required_fields: tuple[str, ...] = ("entity_type", "target_count", "city", "tool_steps")
    allowed_tools: tuple[str, ...] = ()
    max_target_count: int = Field(0, ge=0, description="0 means no maximum")


class EntitySettings(DeclaredTask):
    """The built-in extraction and enrichment tasks; empty ``known_fields`` is not checked."""


class TaskSettings(BaseModel):
    """Every task: the built-in pack as fields, declared tasks as extra tables in file order."""

    model_config = ConfigDict(extra="allow", frozen=True)
    __pydantic_extra__: dict[str, DeclaredTask] = Field(init=False)  # type: ignore[assignment]

    planning: PlanningSettings = PlanningSettings()
    extraction: EntitySettings = EntitySettings()
    enrichment: EntitySettings = EntitySettings()

    def all_tasks(self) -> dict[str, DeclaredTask]:
        """Every task by name: the built-in pack first, then the declared ones in file order."""
        tasks: dict[str, DeclaredTask] = {
            "planning": self.planning,
            "extraction": self.extraction,
            "enrichment": self.enrichment,
        }
        tasks.update(self.__pydantic_extra__ or {})
        return tasks
