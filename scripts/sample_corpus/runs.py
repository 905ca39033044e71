"""Simulates one agent run (plan, discovery rounds, enrichment rounds) into logged calls.

A RunSpec says what the run did; RunBuilder turns it into realistic calls, a runs.jsonl
summary, and the marks of whatever defects the spec plants.
"""

from __future__ import annotations

import copy
import json
import math
import random
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from . import prompts
from .content_pages import CONTENT_RENDERERS, ENRICHABLE_FIELDS
from .defects import DEFECTS
from .listing_pages import PAGE_RENDERERS, ListingPage, directory_page, no_results_page
from .model import BuiltRun, Call, Mark, dump_output, message_chars
from .world import CITIES, TRADES, Business, BusinessFactory

SEED = "trace-curator-sample-traces-v1"
MODEL = "minimax-m2.5"
MAX_CONTEXT_CHARS = 60_000
EXTRACTION_FILE = "extraction.jsonl"
LATE_EXTRACTION_FILE = "extraction-late.jsonl"


@dataclass(frozen=True)
class Page:
    """One extraction call of a discovery round.

    Attributes:
        new: businesses this page adds to the run; 0 with `seen` 0 is a no-results page.
        seen: businesses found earlier that the page lists again (they count as 0 new).
        queries: web searches spent to reach the page.
        layout: listing renderer (directory, table, chamber); None lets the run's RNG pick.
        via_tool: the page arrives as a scrape_page tool result instead of in the user turn.
        as_parts: the user content is a list of text parts.
        bloated: the page carries long review threads, past the context budget.
        retried: the call is logged twice with identical messages.
        late: written to extraction-late.jsonl, whose lines carry no metadata.task.
    """

    new: int
    seen: int = 0
    queries: int = 1
    layout: str | None = None
    via_tool: bool = False
    as_parts: bool = False
    bloated: bool = False
    retried: bool = False
    late: bool = False


@dataclass(frozen=True)
class CallDefect:
    """Plant DEFECTS[name] in the first fitting call of `task`, trying from index `start`."""

    task: str
    name: str
    start: int = 0


@dataclass(frozen=True)
class RunSpec:
    """What one run did: its request, its rounds, its outcome, its planted defects.

    Attributes:
        discovery: per extraction round, the pages it read.
        enrichment: per enrichment round, the indices (in the order found) of the businesses
            it enriched; an index listed in several rounds is a retry of that entity.
        run_defect: the run-level rule the figures above were chosen to break, if any.
    """

    run_id: str
    trade: str
    city: str
    target: int
    discovery: tuple[tuple[Page, ...], ...]
    enrichment: tuple[tuple[int, ...], ...] = ()
    status: str = "completed"
    stop_reason: str | None = None
    enrichment_file: str = "enrichment.jsonl"
    normalized_outputs: bool = False
    call_defects: tuple[CallDefect, ...] = ()
    run_defect: Mark | None = None


def canonical_phone(text: str) -> str:
    """Re-format a phone as (AAA) BBB-CCCC, keeping every digit (a +1 prefix stays)."""
    digits = "".join(ch for ch in text if ch.isdigit())
    prefix = "+1 " if len(digits) == 11 else ""
    local = digits[-10:]
    return f"{prefix}({local[:3]}) {local[3:6]}-{local[6:]}"


class RunBuilder:
    """Builds the calls of one run in the order the agent made them."""

    def __init__(self, spec: RunSpec, started_at: datetime) -> None:
        self.spec = spec
        self.rng = random.Random(f"{SEED}:{spec.run_id}")
        self.city = CITIES[spec.city]
        self.trade = TRADES[spec.trade]
        self.factory = BusinessFactory(self.rng, self.city, self.trade)
        self.found: list[Business] = []
        self.entities: list[dict[str, Any]] = []
        self.attempts: Counter[int] = Counter()
        self.calls: list[Call] = []
        self.retried_originals: list[Call] = []
        self.clock = started_at
        self.pages_rendered = 0
        self.request = prompts.user_request(
            self.rng.randrange(4), spec.target, self.trade, self.city
        )

    def build(self) -> BuiltRun:
        self._plan()
        for round_no, pages in enumerate(self.spec.discovery, start=1):
            for page in pages:
                self._extract(round_no, page)
        for round_no, entity_indices in enumerate(self.spec.enrichment, start=1):
            for index in entity_indices:
                self._enrich(round_no, index)
        for defect in self.spec.call_defects:
            self._plant(defect)
        for call in self.calls:
            _fill_usage(call)
        run_marks = [self.spec.run_defect] if self.spec.run_defect else []
        return BuiltRun(self.spec.run_id, self.calls, self._summary(), run_marks)

    def _plan(self) -> None:
        plan = prompts.make_plan(self.trade, self.city, self.spec.target)
        messages = [
            {"role": "system", "content": prompts.PLANNING_SYSTEM},
            {"role": "user", "content": prompts.planning_user_message(self.request)},
            {"role": "assistant", "content": dump_output("planning", plan)},
        ]
        self._log("planning", "planning.jsonl", messages, round_no=0)

    def _extract(self, round_no: int, page: Page) -> None:
        new_businesses = [self.factory.make() for _ in range(page.new)]
        listed = self.found[: page.seen] + new_businesses
        listing = self._render_listing(listed, page)
        entities = [self._as_extracted(entity) for entity in listing.entities]
        for business, entity in zip(listed[page.seen :], entities[page.seen :], strict=True):
            self.found.append(business)
            self.entities.append({**entity, "email": None, "hours": None, "services": None})
        messages, tools = self._extraction_messages(
            listing, page, dump_output("extraction", entities)
        )
        file = LATE_EXTRACTION_FILE if page.late else EXTRACTION_FILE
        call = self._log(
            "extraction",
            file,
            messages,
            round_no,
            tools,
            new_entities=page.new,
            queries=page.queries,
        )
        if page.bloated:
            call.marks.append(
                Mark(
                    "band.context_chars",
                    f"{call.content_chars()} content chars: a result page with long review threads",
                )
            )
        if page.retried:
            self._log_retry(call)

    def _render_listing(self, listed: list[Business], page: Page) -> ListingPage:
        self.pages_rendered += 1
        if not listed:
            query = _NO_RESULT_QUERIES[self.pages_rendered % len(_NO_RESULT_QUERIES)]
            return no_results_page(self.city, self.trade, query.format(trade=self.trade.key))
        if page.bloated:
            return self._bloated_listing(listed)
        layout = page.layout or self.rng.choice(sorted(PAGE_RENDERERS))
        return PAGE_RENDERERS[layout](self.city, self.trade, listed, self.pages_rendered)

    def _bloated_listing(self, listed: list[Business]) -> ListingPage:
        reviews = 10
        while True:
            listing = directory_page(self.city, self.trade, listed, self.pages_rendered, reviews)
            if len(listing.text) > MAX_CONTEXT_CHARS + 1_500:
                return listing
            reviews += 5

    def _as_extracted(self, entity: dict[str, object]) -> dict[str, object]:
        """The run's extractor re-formats phones and URLs when the spec says it normalizes."""
        if not self.spec.normalized_outputs:
            return entity
        phone, website = entity["phone"], entity["website"]
        return {
            **entity,
            "phone": canonical_phone(str(phone)) if phone else None,
            "website": "https://" + str(website).removeprefix("www.") if website else None,
        }

    def _extraction_messages(
        self, listing: ListingPage, page: Page, output: str
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]] | None]:
        system = {"role": "system", "content": prompts.EXTRACTION_SYSTEM}
        instruction = prompts.extraction_instruction(self.trade, listing.url)
        answer = {"role": "assistant", "content": output}
        if page.via_tool:
            arguments = json.dumps({"url": listing.url})
            tool_call = {
                "id": "call_scrape_1",
                "type": "function",
                "function": {"name": "scrape_page", "arguments": arguments},
            }
            messages = [
                system,
                {
                    "role": "user",
                    "content": f"Scrape the page, then {instruction[0].lower()}{instruction[1:]}",
                },
                {"role": "assistant", "content": None, "tool_calls": [tool_call]},
                {"role": "tool", "tool_call_id": "call_scrape_1", "content": listing.text},
                answer,
            ]
            return messages, [prompts.SCRAPE_TOOL]
        if page.as_parts:
            parts = [{"type": "text", "text": instruction}, {"type": "text", "text": listing.text}]
            return [system, {"role": "user", "content": parts}, answer], None
        user = {"role": "user", "content": f"{instruction}\n\n{listing.text}"}
        return [system, user, answer], None

    def _enrich(self, round_no: int, index: int) -> None:
        business, entity = self.found[index], self.entities[index]
        sources = ("website", "facebook", "google") if business.domain else ("facebook", "google")
        source = sources[self.attempts[index] % len(sources)]
        missing = [field for field in ENRICHABLE_FIELDS if entity.get(field) is None]
        shown = {field for field in missing if self.rng.random() < 0.7}
        content = CONTENT_RENDERERS[source](business, shown)
        enriched = {**entity, **content.facts}
        user_text = prompts.enrichment_user_message(entity, content.url, content.text)
        messages = [
            {"role": "system", "content": prompts.ENRICHMENT_SYSTEM},
            {"role": "user", "content": user_text},
            {"role": "assistant", "content": dump_output("enrichment", enriched)},
        ]
        entity_id = f"{self.spec.run_id}-e{index + 1:02d}"
        self._log("enrichment", self.spec.enrichment_file, messages, round_no, entity_id=entity_id)
        self.entities[index] = enriched
        self.attempts[index] += 1

    def _log(
        self,
        task: str,
        file: str,
        messages: list[dict[str, Any]],
        round_no: int,
        tools: list[dict[str, Any]] | None = None,
        **extra: Any,
    ) -> Call:
        latency_ms = 600 + 4 * len(messages[-1]["content"]) + self.rng.randint(0, 1500)
        metadata: dict[str, Any] = {
            "run_id": self.spec.run_id,
            "task": task,
            "seq": len(self.calls) + 1,
            "round": round_no,
            "model": MODEL,
            "timestamp": self.clock.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "usage": {},
            "latency_ms": latency_ms,
            **extra,
        }
        if file == LATE_EXTRACTION_FILE:
            del metadata["task"]  # the late agent build stopped logging it
        self.clock += timedelta(milliseconds=latency_ms + self.rng.randint(200, 4000))
        call = Call(task, file, messages, metadata, tools)
        self.calls.append(call)
        return call

    def _log_retry(self, original: Call) -> None:
        """The agent timed out waiting, retried, and logged the identical exchange again."""
        assert original.metadata is not None
        meta = original.metadata
        retry = self._log(
            original.task,
            original.file,
            copy.deepcopy(original.messages),
            meta["round"],
            copy.deepcopy(original.tools),
            new_entities=0,
            queries=0,
        )
        retry.marks.append(
            Mark("dup.exact", f"retry of seq {meta['seq']} logged with identical messages")
        )
        self.retried_originals.append(original)

    def _plant(self, defect: CallDefect) -> None:
        candidates = [call for call in self.calls if call.task == defect.task]
        for call in candidates[defect.start :] + candidates[: defect.start]:
            if call.marks or call in self.retried_originals or self._is_retried_entity(call):
                continue
            mark = DEFECTS[defect.name](call, self.factory)
            if mark is not None:
                call.marks.append(mark)
                return
        raise ValueError(f"{self.spec.run_id}: no call fits defect {defect.name}")

    def _is_retried_entity(self, call: Call) -> bool:
        """Enrichment defects go to entities enriched once, so later attempts stay consistent."""
        entity_id = (call.metadata or {}).get("entity_id")
        if entity_id is None:
            return False
        return self.attempts[int(entity_id.rsplit("-e", 1)[1]) - 1] > 1

    def _summary(self) -> dict[str, Any]:
        entity_count = len(self.found)
        coverage = round(min(entity_count / self.spec.target, 1.0), 2)
        default_stop = (
            "target_reached" if entity_count >= self.spec.target else "discovery_exhausted"
        )
        return {
            "run_id": self.spec.run_id,
            "prompt": self.request,
            "status": self.spec.status,
            "target_count": self.spec.target,
            "entity_count": entity_count,
            "coverage": coverage,
            "discovery_rounds": len(self.spec.discovery),
            "enrichment_iterations": len(self.spec.enrichment),
            "additional_queries": sum(
                page.queries for pages in self.spec.discovery for page in pages
            ),
            "stop_reason": self.spec.stop_reason or default_stop,
        }


_NO_RESULT_QUERIES = (
    "24 hour {trade} open now",
    "{trade} open sunday",
    "cheap {trade} near me",
    "{trade} walk in today",
)


def _fill_usage(call: Call) -> None:
    """Token counts approximated at 4 characters a token, like the agent's own estimate."""
    assert call.metadata is not None
    prompt_chars = sum(message_chars(message) for message in call.messages[:-1])
    call.metadata["usage"] = {
        "prompt_tokens": math.ceil(prompt_chars / 4) + 4 * len(call.messages),
        "completion_tokens": math.ceil(len(call.output) / 4),
    }
