"""Task inference: declared matches first, then the contract's defaults.

A declared task's ``match`` (metadata key/values with dotted keys, a file glob on the name or,
when it holds a ``/``, on the path under the corpus root, a system-prompt regex searched in the
first system message; every condition given must hold) is tried in config order, the built-in
pack first. Without a match
the task is ``metadata.task``, else the file stem when it names a known task (built-in or
declared), else the stem's leading word before ``-``, ``_`` or ``.`` when it does, else
``unknown``. The compiled matchers are built once per config object, as the call rules'
settings are, because this runs on every line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING, Any

from core.corpus.discover import file_stem
from core.rules.messages import content_text

if TYPE_CHECKING:
    from core.check_settings import CheckSettings

STORY_TASKS = ("planning", "extraction", "enrichment")
UNKNOWN_TASK = "unknown"
_MISSING = object()


@dataclass(frozen=True, slots=True)
class _Matcher:
    task: str
    metadata: tuple[tuple[tuple[str, ...], Any], ...]
    file_glob: str | None
    system: re.Pattern[str] | None

    def matches(self, metadata: dict[str, Any], relpath: str, messages: Any) -> bool:
        for path, expected in self.metadata:
            actual = _dotted(metadata, path)
            if actual is _MISSING or not _same(actual, expected):
                return False
        if self.file_glob is not None:
            # A glob with a folder matches the path under the corpus root, else the file name.
            subject = relpath if "/" in self.file_glob else relpath.rpartition("/")[2]
            if not fnmatchcase(subject, self.file_glob):
                return False
        if self.system is not None:
            prompt = _system_prompt(messages)
            if prompt is None or self.system.search(prompt) is None:
                return False
        return True


@dataclass(frozen=True, slots=True)
class TaskMatcher:
    """The declared matches and the names a file stem may give, of one config."""

    matchers: tuple[_Matcher, ...] = ()
    names: frozenset[str] = frozenset(STORY_TASKS)

    @classmethod
    def from_config(cls, config: CheckSettings) -> TaskMatcher:
        tasks = config.tasks.all_tasks()
        matchers = tuple(
            _Matcher(
                task=name,
                metadata=tuple(
                    (tuple(key.split(".")), value) for key, value in task.match.metadata.items()
                ),
                file_glob=task.match.file,
                system=re.compile(task.match.system) if task.match.system is not None else None,
            )
            for name, task in tasks.items()
            if task.match is not None
        )
        return cls(matchers, frozenset(tasks))

    def infer(self, metadata: dict[str, Any], file_name: str, relpath: str, messages: Any) -> str:
        """The task of one line (see the module docstring for the order)."""
        for matcher in self.matchers:
            if matcher.matches(metadata, relpath or file_name, messages):
                return matcher.task
        return default_task(metadata, file_name, self.names)


DEFAULT_MATCHER = TaskMatcher()
_last: tuple[Any, TaskMatcher] | None = None


def task_matcher(config: CheckSettings | None) -> TaskMatcher:
    """The matcher of ``config`` (the defaults for None), cached for the last config seen."""
    global _last
    if config is None:
        return DEFAULT_MATCHER
    last = _last
    if last is not None and last[0] is config:
        return last[1]
    matcher = TaskMatcher.from_config(config)
    _last = (config, matcher)
    return matcher


def default_task(metadata: dict[str, Any], file_name: str, names: frozenset[str]) -> str:
    """``metadata.task``, else a known task named by the file stem or its leading word."""
    task = metadata.get("task")
    if isinstance(task, str) and task.strip():
        return task.strip()
    stem = file_stem(file_name)
    if stem in names:
        return stem
    for separator in "-_.":
        leading = stem.split(separator, 1)[0]
        if leading in names:
            return leading
    return UNKNOWN_TASK


def _dotted(metadata: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = metadata
    for key in path:
        if not isinstance(value, dict) or key not in value:
            return _MISSING
        value = value[key]
    return value


def _same(actual: Any, expected: Any) -> bool:
    if type(actual) is bool or type(expected) is bool:
        return actual is expected
    return actual == expected or (isinstance(actual, str | int) and str(actual) == str(expected))


def _system_prompt(messages: Any) -> str | None:
    if not isinstance(messages, list):
        return None
    for message in messages:
        if isinstance(message, dict) and message.get("role") == "system":
            return content_text(message.get("content"))
    return None
