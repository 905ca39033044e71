"""Messages-only planning lines, as the engineer's story first logged them: no metadata, so
each line is a run of its own whose run-level bands are unknown."""

from __future__ import annotations

from . import prompts
from .model import Call, dump_output
from .world import CITIES, TRADES

STORY_FILE = "story/planning.jsonl"

_STORY_REQUESTS = (
    ("find 20 dentists in Austin", "dentist", "Austin", 20),
    ("find 15 plumbers in Denver with phone numbers", "plumber", "Denver", 15),
    (
        "need 10 coffee shops in Portland - name, address, phone, hours",
        "coffee shop",
        "Portland",
        10,
    ),
)


def story_calls() -> list[Call]:
    """The bare planning calls of story/planning.jsonl, content-clean."""
    calls = []
    for request, trade_key, city_name, count in _STORY_REQUESTS:
        plan = prompts.make_plan(TRADES[trade_key], CITIES[city_name], count)
        messages = [
            {"role": "system", "content": prompts.PLANNING_SYSTEM},
            {"role": "user", "content": prompts.planning_user_message(request)},
            {"role": "assistant", "content": dump_output("planning", plan)},
        ]
        calls.append(Call("planning", STORY_FILE, messages, metadata=None))
    return calls
