"""One agent run of the benchmark corpus: planning, extraction rounds, enrichment rounds.

A run is built as plain dicts (the JSONL records and its ``runs.jsonl`` summary). A small,
seeded share of runs and calls carries a defect, so the checker's rules and bands do real work:
fences, think blocks, prose, ungrounded values, overwrites, over-band runs and long contexts.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import orjson
from corpus_text import (
    CITIES,
    ENRICHMENT_FIELDS,
    ENTITY_TYPES,
    Business,
    TextPool,
    listing_page,
    make_business,
    page_length,
    phone_text,
    website_page,
)

MODELS = ("minimax-m2.5", "gpt-4o-mini", "qwen3-32b", "llama-3.3-70b")
BASE_TIME = datetime(2026, 10, 1, tzinfo=UTC)
MAX_BATCH = 15
LATE_EVERY = 12  # every 12th run logs its extraction calls to the gzipped "late" file

SYSTEM = {
    "planning": (
        "You are the planning step of a lead-generation agent. Read the user's request and "
        "answer with one JSON object: entity_type, target_count, city, tool_steps (an array "
        "of {tool, query?} objects using only web_search, scrape_page, extract_entities, "
        "enrich_entity). Output JSON only, no prose, no code fences."
    ),
    "extraction": (
        "You are the extraction step of a lead-generation agent. From the scraped page, list "
        "every business as a JSON array of objects with the fields name, address, phone, "
        "website, rating and category. Copy values exactly as the page shows them; use null "
        "when the page does not show a field. Never invent a value. Output JSON only."
    ),
    "enrichment": (
        "You are the enrichment step of a lead-generation agent. You get one business as a "
        "JSON object with missing fields and the scraped content of its website. Return the "
        "same object with every missing field the content states filled in. Leave null what "
        "the content does not state and never change a field that is already filled. "
        "Output JSON only."
    ),
}

RUN_DEFECTS = (
    ("status", 0.03),
    ("discovery_rounds", 0.02),
    ("circuit_breaker", 0.01),
    ("enrichment_iterations", 0.02),
    ("batch_size", 0.01),
    ("attempts", 0.01),
    ("queries", 0.01),
    ("coverage", 0.02),
    ("no_summary", 0.04),
)
EXTRACTION_DEFECTS = (
    ("fenced", 0.012),
    ("think", 0.008),
    ("prose", 0.004),
    ("ungrounded", 0.015),
    ("invalid_json", 0.003),
    ("empty", 0.002),
    ("shape", 0.003),
    ("context", 0.004),
)
ENRICHMENT_DEFECTS = (
    ("fenced", 0.01),
    ("think", 0.01),
    ("prose", 0.005),
    ("ungrounded", 0.015),
    ("overwrite", 0.01),
    ("invalid_json", 0.002),
)
PLANNING_DEFECTS = (
    ("missing_field", 0.02),
    ("tool_steps", 0.01),
    ("target_count", 0.01),
    ("fenced", 0.01),
)


@dataclass(slots=True)
class Call:
    """One JSONL record and the file stream it goes to; ``repeat`` writes it twice."""

    stream: str
    record: dict[str, Any]
    repeat: bool = False


@dataclass(slots=True)
class RunTrace:
    """Every call of one run, in order, and its summary (None when the agent wrote none)."""

    calls: list[Call] = field(default_factory=list)
    summary: dict[str, Any] | None = None


def pick(rng: random.Random, table: tuple[tuple[str, float], ...]) -> str | None:
    """One name from a table of (name, share), or None for the remaining share."""
    roll = rng.random()
    for name, share in table:
        if roll < share:
            return name
        roll -= share
    return None


def dump_output(rng: random.Random, value: Any) -> str:
    """An assistant output as models write it: compact or indented JSON."""
    option = orjson.OPT_INDENT_2 if rng.random() < 0.3 else 0
    return orjson.dumps(value, option=option).decode()


def wrap_output(rng: random.Random, text: str, defect: str | None) -> str:
    """Apply a formatting defect (fence, think block, prose, truncation) to an output."""
    if defect == "fenced":
        return f"```json\n{text}\n```"
    if defect == "think":
        return f"<think>\nThe content lists the fields; I will copy them as JSON.\n</think>\n{text}"
    if defect == "prose":
        return f"Here is the JSON you asked for:\n{text}"
    if defect == "invalid_json":
        return text[: max(1, len(text) // 2)]
    if defect == "empty":
        return rng.choice(("", "  \n"))
    return text


class RunBuilder:
    """Builds run number ``index``; all randomness comes from the shared seeded ``rng``."""

    def __init__(self, rng: random.Random, pool: TextPool, index: int) -> None:
        self.rng, self.pool, self.index = rng, pool, index
        self.run_id = f"r-{index:06d}"
        self.city = rng.choice(CITIES)
        self.kind = rng.choice(list(ENTITY_TYPES))
        self.target = rng.randrange(10, 41, 5)
        self.model = rng.choice(MODELS)
        self.defect = pick(rng, RUN_DEFECTS)
        self.clock = BASE_TIME + timedelta(seconds=index * 900)
        self.trace = RunTrace()
        self.seq = 0
        self.queries = 0

    def build(self) -> RunTrace:
        """Every call of the run and its summary."""
        self._planning()
        found, discovery_rounds = self._extraction_rounds()
        enrichment_rounds = self._enrichment_rounds(found)
        self.trace.summary = (
            None
            if self.defect == "no_summary"
            else self._summary(len(found), discovery_rounds, enrichment_rounds)
        )
        return self.trace

    # planning ---------------------------------------------------------------------------

    def _planning(self) -> None:
        city = f"{self.city[0]}, {self.city[1]}"
        plan: dict[str, Any] = {
            "entity_type": self.kind,
            "target_count": self.target,
            "city": city,
            "tool_steps": [
                {"tool": "web_search", "query": f"best {self.kind} in {city}"},
                {"tool": "scrape_page"},
                {"tool": "extract_entities"},
                {"tool": "enrich_entity"},
            ],
        }
        defect = pick(self.rng, PLANNING_DEFECTS)
        if defect == "missing_field":
            plan.pop(self.rng.choice(("city", "entity_type", "tool_steps")))
        elif defect == "tool_steps":
            plan["tool_steps"] = []
        elif defect == "target_count":
            plan["target_count"] = self.rng.choice((0, -5, "forty"))
        prompt = (
            f"Find {self.target} {self.kind} in {city} with name, address, phone, website, "
            "email, opening hours, owner and founding year."
        )
        output = wrap_output(self.rng, dump_output(self.rng, plan), defect)
        self._emit("planning", "planning", prompt, None, output, {})

    # extraction -------------------------------------------------------------------------

    def _extraction_rounds(self) -> tuple[list[Business], int]:
        rounds = self.rng.choices((1, 2, 3), weights=(30, 45, 25))[0]
        if self.defect == "discovery_rounds":
            rounds = self.rng.randrange(4, 6)
        elif self.defect == "circuit_breaker":
            rounds = 3
        found: list[Business] = []
        for round_number in range(1, rounds + 1):
            empty = self.defect == "circuit_breaker" and round_number < 3
            for _ in range(1 if empty else self.rng.randrange(1, 4)):
                found.extend(self._extraction_call(round_number, empty))
        return found, rounds

    def _extraction_call(self, round_number: int, empty: bool) -> list[Business]:
        rng = self.rng
        defect = pick(rng, EXTRACTION_DEFECTS)
        chars = rng.randrange(61_000, 72_000) if defect == "context" else page_length(rng)
        count = 0 if empty else min(max(chars // 700, 2), 25)
        businesses = [make_business(rng, self.city, self.kind) for _ in range(count)]
        page = listing_page(rng, self.pool, businesses, self.kind, chars)
        entities = [self._extracted(b) for b in businesses]
        if defect == "ungrounded" and entities:
            entities[-1]["phone"] = f"({rng.randrange(200, 999)}) 555-{rng.randrange(10000):04d}"
        value: Any = {"entities": entities} if defect == "shape" else entities
        output = wrap_output(rng, dump_output(rng, value), defect)
        queries = rng.randrange(21, 30) if self.defect == "queries" else rng.randrange(1, 3)
        self.queries += queries
        meta = {"round": round_number, "new_entities": len(businesses), "queries": queries}
        url = f"https://{rng.choice(('www.', ''))}listings.example/{self.kind.replace(' ', '-')}"
        instruction = f"Extract every business on this page as a JSON array.\nURL: {url}"
        stream = "extraction-late" if self.index % LATE_EVERY == 5 else "extraction"
        self._emit(stream, "extraction", instruction, page, output, meta)
        return businesses

    def _extracted(self, business: Business) -> dict[str, Any]:
        website = None
        if business.domain is not None:
            website = self.rng.choice(("https://www.", "www.", "http://")) + business.domain
        return {
            "name": business.name,
            "address": business.address,
            "phone": phone_text(business.phone, self.rng.randrange(3)),
            "website": website,
            "rating": business.rating,
            "category": business.category,
        }

    # enrichment -------------------------------------------------------------------------

    def _enrichment_rounds(self, found: list[Business]) -> int:
        numbers = {id(business): n for n, business in enumerate(found, start=1)}
        # At most 36 entities, so 3 rounds of 12 leave room for a retry or a repeated log line.
        candidates = [b for b in found if b.domain is not None][: min(self.target, 36)]
        if not candidates:
            return 0
        plan = self._enrichment_plan(candidates)
        for round_number, group in enumerate(plan, start=1):
            for business in group:
                self._enrichment_call(round_number, business, numbers[id(business)])
        return len(plan)

    def _enrichment_plan(self, candidates: list[Business]) -> list[list[Business]]:
        """Batches per round: at most 3 rounds of at most 15, unless the run is defective."""
        rounds = min(3, math.ceil(len(candidates) / MAX_BATCH))
        if self.defect == "enrichment_iterations":
            rounds = min(4, len(candidates))
        batch = math.ceil(len(candidates) / rounds)
        if self.defect == "batch_size":
            batch = MAX_BATCH + 3
        plan = [candidates[i : i + batch] for i in range(0, len(candidates), batch)]
        if self.defect == "attempts":
            plan[-1] = plan[-1] + [plan[0][0], plan[0][0]]
        elif len(plan) > 1 and len(plan[1]) < MAX_BATCH and self.rng.random() < 0.3:
            # a retried entity: two attempts are within the band
            plan[1] = plan[1] + [plan[0][0]]
        return plan

    def _enrichment_call(self, round_number: int, business: Business, number: int) -> None:
        rng = self.rng
        entity = self._extracted(business)
        entity.update(dict.fromkeys(ENRICHMENT_FIELDS))
        states = {name for name in ENRICHMENT_FIELDS if rng.random() < 0.75}
        content = website_page(rng, self.pool, business, states, int(page_length(rng) * 0.8))
        filled = dict(entity)
        for name in ENRICHMENT_FIELDS:
            if name in states:
                filled[name] = getattr(business, name)
        defect = pick(rng, ENRICHMENT_DEFECTS)
        if defect == "ungrounded":
            filled["email"] = f"sales@{business.name.split()[0].lower()}-group.org"
        elif defect == "overwrite":
            filled["name"] = f"{business.name} LLC"
        output = wrap_output(rng, dump_output(rng, filled), defect)
        entity_json = orjson.dumps(entity).decode()
        instruction = f"Fill in the missing fields of this business.\n\nEntity:\n{entity_json}"
        meta = {"round": round_number, "entity_id": f"{self.run_id}-e{number:03d}"}
        self._emit("enrichment", "enrichment", instruction, content, output, meta)

    # records ----------------------------------------------------------------------------

    def _emit(
        self,
        stream: str,
        task: str,
        instruction: str,
        content: str | None,
        output: str,
        extra: dict[str, Any],
    ) -> None:
        rng = self.rng
        messages = [{"role": "system", "content": SYSTEM[task]}]
        if content is not None and rng.random() < 0.3:
            messages += self._tool_turn(instruction, content)
        elif content is not None:
            messages.append({"role": "user", "content": f"{instruction}\n\n{content}"})
        else:
            messages.append({"role": "user", "content": instruction})
        messages.append({"role": "assistant", "content": output})
        self.seq += 1
        latency = rng.randrange(600, 9000)
        self.clock += timedelta(milliseconds=latency)
        chars_in = sum(len(m["content"] or "") for m in messages[:-1])
        metadata = {
            "run_id": self.run_id,
            "task": task,
            "seq": self.seq,
            **extra,
            "model": self.model,
            "timestamp": self.clock.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "usage": {"prompt_tokens": chars_in // 4, "completion_tokens": len(output) // 4},
            "latency_ms": latency,
        }
        record: dict[str, Any] = {"messages": messages, "metadata": metadata}
        if stream.startswith("extraction") and rng.random() < 0.001:
            record = {"messages": messages}  # a bare line, as the agent's early logs had
        self.trace.calls.append(Call(stream, record, repeat=rng.random() < 0.003))

    def _tool_turn(self, instruction: str, content: str) -> list[dict[str, Any]]:
        """The scrape as a tool call and its result, as agents with tools log it."""
        call_id = f"call_{self.seq:03d}"
        return [
            {"role": "user", "content": instruction},
            {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": call_id,
                        "type": "function",
                        "function": {"name": "scrape_page", "arguments": "{}"},
                    }
                ],
            },
            {"role": "tool", "tool_call_id": call_id, "content": content},
        ]

    def _summary(self, entities: int, discovery: int, enrichment: int) -> dict[str, Any]:
        rng = self.rng
        status, stop = "completed", rng.choice(("target_reached", "coverage_threshold_met"))
        if self.defect == "status":
            status = rng.choice(("failed", "aborted"))
            stop = rng.choice(("context_overflow", "rate_limited", "user_cancelled"))
        low = self.defect == "coverage"
        coverage = rng.uniform(0.3, 0.6) if low else rng.uniform(0.68, 0.97)
        return {
            "run_id": self.run_id,
            "prompt": f"Find {self.target} {self.kind} in {self.city[0]}",
            "status": status,
            "target_count": self.target,
            "entity_count": entities,
            "coverage": round(coverage, 3),
            "discovery_rounds": discovery,
            "enrichment_iterations": enrichment,
            "additional_queries": self.queries,
            "stop_reason": stop,
        }


def build_run(rng: random.Random, pool: TextPool, index: int) -> RunTrace:
    """Run number ``index`` of the corpus."""
    return RunBuilder(rng, pool, index).build()
