"""The runs of the sample corpus: mostly clean ones, one run per run-level rule, and four host
runs that each carry several call-level defects in otherwise clean calls.

Clean runs also sit on the edges of the bands (coverage exactly 0.65, 20 queries, 3 rounds,
2 attempts, a batch of 15, two zero rounds with no third) so off-by-one checks show up.
"""

from __future__ import annotations

from .model import Mark
from .runs import CallDefect, Page, RunSpec

P = Page
ARCHIVE_FILE = "archive/enrichment-2026-10.jsonl.gz"


RUN_SPECS: tuple[RunSpec, ...] = (
    RunSpec(
        "r-0101",
        "dentist",
        "Austin",
        target=12,
        discovery=((P(5), P(4)), (P(4),)),
        enrichment=((0, 1, 2, 3),),
    ),
    RunSpec(
        "r-0102",
        "plumber",
        "Denver",
        target=10,
        discovery=((P(4), P(3)), (P(4),)),
        enrichment=((0, 2, 5),),
        enrichment_file=ARCHIVE_FILE,
    ),
    # Entity 1 is enriched twice: attempts at the band's limit.
    RunSpec(
        "r-0103",
        "veterinarian",
        "Portland",
        target=8,
        discovery=((P(5),), (P(4),)),
        enrichment=((0, 1, 3), (1,)),
        enrichment_file=ARCHIVE_FILE,
    ),
    RunSpec(
        "r-0104",
        "coffee shop",
        "Columbus",
        target=10,
        discovery=((P(6),), (P(5),)),
        enrichment=((0, 1, 2), (0, 3), (0,)),
        enrichment_file=ARCHIVE_FILE,
        run_defect=Mark("band.attempts_per_entity", "entity r-0104-e01 enriched 3 times (limit 2)"),
    ),
    RunSpec(
        "r-0105",
        "yoga studio",
        "Raleigh",
        target=10,
        discovery=((P(4), P(4)), (P(3),)),
        enrichment=((0, 1, 2, 3),),
        call_defects=(
            CallDefect("planning", "plan_without_city"),
            CallDefect("extraction", "invented_phone"),
            CallDefect("extraction", "fenced_output", start=1),
            CallDefect("enrichment", "invented_email"),
            CallDefect("enrichment", "empty_output", start=2),
        ),
    ),
    # No enrichment at all: the enrichment figures are 0, which passes.
    RunSpec("r-0106", "auto repair shop", "Boise", target=8, discovery=((P(5), P(4)),)),
    RunSpec(
        "r-0107",
        "bakery",
        "Sacramento",
        target=10,
        discovery=((P(4), P(4)), (P(3),)),
        enrichment=((0, 1),),
        status="failed",
        stop_reason="error: enrich_entities got HTTP 503 three times",
        run_defect=Mark("run.status", 'status "failed" (scrape service kept returning 503)'),
    ),
    RunSpec(
        "r-0108",
        "hair salon",
        "Tampa",
        target=12,
        discovery=((P(5, via_tool=True), P(4)), (P(4),)),
        enrichment=((1, 4, 6),),
    ),
    RunSpec(
        "r-0109",
        "physical therapist",
        "Minneapolis",
        target=8,
        discovery=((P(3),), (P(2),), (P(2),), (P(2),)),
        enrichment=((0, 1),),
        run_defect=Mark("band.discovery_rounds", "4 discovery rounds (limit 3)"),
    ),
    # The extractor re-formats phones and URLs: grounding must normalize to accept them.
    RunSpec(
        "r-0110",
        "florist",
        "Pittsburgh",
        target=10,
        discovery=((P(5, layout="chamber"),), (P(4, layout="chamber"),), (P(2, layout="chamber"),)),
        enrichment=((0, 2), (5,)),
        normalized_outputs=True,
    ),
    RunSpec(
        "r-0111",
        "dentist",
        "Denver",
        target=12,
        discovery=((P(5, late=True), P(4, late=True)), (P(4, late=True),)),
        enrichment=((0, 3),),
    ),
    RunSpec(
        "r-0112",
        "plumber",
        "Austin",
        target=20,
        discovery=((P(5),), (P(3),), (P(0, seen=2),)),
        enrichment=((0, 1, 2),),
        stop_reason="max_discovery_rounds",
        run_defect=Mark("band.coverage", "coverage 0.4: 8 of 20 businesses (threshold 0.65)"),
    ),
    # Round 1 in extraction.jsonl, round 2 in extraction-late.jsonl: one run across files.
    RunSpec(
        "r-0113",
        "veterinarian",
        "Columbus",
        target=10,
        discovery=((P(4), P(3)), (P(4, late=True),)),
        enrichment=((0, 1, 5),),
    ),
    RunSpec(
        "r-0114",
        "coffee shop",
        "Portland",
        target=12,
        discovery=((P(5), P(4), P(3)), (P(0, seen=3), P(3))),
        enrichment=((0, 1, 2, 3, 4),),
        call_defects=(
            CallDefect("planning", "plan_without_steps"),
            CallDefect("extraction", "truncated_output"),
            CallDefect("extraction", "trailing_user_turn", start=1),
            CallDefect("enrichment", "changed_phone"),
            CallDefect("enrichment", "think_block", start=3),
        ),
    ),
    RunSpec(
        "r-0115",
        "yoga studio",
        "Tampa",
        target=10,
        discovery=((P(4), P(3)), (P(4),)),
        enrichment=((0, 1, 2),),
        status="aborted",
        stop_reason="aborted by user (Ctrl-C)",
        run_defect=Mark("run.status", 'status "aborted" (stopped by the user)'),
    ),
    RunSpec(
        "r-0116",
        "auto repair shop",
        "Raleigh",
        target=12,
        discovery=((P(0),), (P(0),), (P(5), P(4))),
        enrichment=((0, 1),),
        run_defect=Mark(
            "band.circuit_breaker",
            "rounds 1 and 2 found 0 new businesses, round 3 still ran (breaker at 2)",
        ),
    ),
    # Two zero rounds at the end and no round after them: the breaker held.
    RunSpec(
        "r-0117",
        "bakery",
        "Minneapolis",
        target=8,
        discovery=((P(5), P(4)), (P(0, seen=3),), (P(0, seen=2),)),
        enrichment=((0, 1),),
        stop_reason="circuit_breaker",
    ),
    RunSpec(
        "r-0118",
        "hair salon",
        "Boise",
        target=16,
        discovery=((P(6), P(5)), (P(5),)),
        enrichment=(tuple(range(15)),),
    ),
    RunSpec(
        "r-0119",
        "physical therapist",
        "Sacramento",
        target=20,
        discovery=((P(6), P(6)), (P(6),)),
        enrichment=(tuple(range(16)),),
        run_defect=Mark("band.enrichment_batch_size", "16 enrichment calls in round 1 (limit 15)"),
    ),
    RunSpec(
        "r-0120",
        "florist",
        "Austin",
        target=10,
        discovery=((P(4), P(3, bloated=True)), (P(4), P(2))),
        enrichment=((0, 1, 2),),
        call_defects=(
            CallDefect("planning", "plan_count_in_words"),
            CallDefect("extraction", "entities_in_object"),
            CallDefect("extraction", "lead_in_prose", start=2),
            CallDefect("enrichment", "entity_in_array", start=1),
        ),
    ),
    RunSpec(
        "r-0121",
        "dentist",
        "Portland",
        target=12,
        discovery=((P(5, as_parts=True), P(4)), (P(4),)),
        enrichment=((0, 2, 4),),
    ),
    RunSpec(
        "r-0122",
        "plumber",
        "Columbus",
        target=10,
        discovery=((P(5), P(4)),),
        enrichment=((0, 1), (2, 0), (3,), (1, 4)),
        run_defect=Mark(
            "band.enrichment_iterations", "4 enrichment rounds (limit 3), no entity tried 3 times"
        ),
    ),
    # Exactly 13 of 20: coverage 0.65 sits on the threshold and passes.
    RunSpec(
        "r-0123",
        "veterinarian",
        "Raleigh",
        target=20,
        discovery=((P(5), P(4)), (P(4),)),
        enrichment=((0, 1, 2),),
    ),
    RunSpec(
        "r-0124",
        "coffee shop",
        "Sacramento",
        target=10,
        discovery=((P(4, queries=6), P(3, queries=5)), (P(4, queries=7),), (P(2, queries=7),)),
        enrichment=((0, 1),),
        run_defect=Mark("band.additional_queries", "25 search queries (limit 20)"),
    ),
    RunSpec(
        "r-0125",
        "yoga studio",
        "Pittsburgh",
        target=10,
        discovery=((P(4, retried=True), P(4)), (P(3),)),
        enrichment=((0, 1),),
        call_defects=(
            CallDefect("planning", "plan_in_array"),
            CallDefect("extraction", "bot_role", start=2),
        ),
    ),
    # Exactly 20 queries over 3 rounds.
    RunSpec(
        "r-0126",
        "auto repair shop",
        "Tampa",
        target=12,
        discovery=(
            (P(4, queries=4), P(4, queries=3)),
            (P(3, queries=4), P(2, queries=3)),
            (P(1, queries=6),),
        ),
        enrichment=((0, 1), (2,)),
    ),
    # One zero round, then a productive one: a streak of 1 never trips the breaker.
    RunSpec(
        "r-0127",
        "bakery",
        "Denver",
        target=8,
        discovery=((P(4),), (P(0, seen=2),), (P(4),)),
        enrichment=((0, 1, 5),),
    ),
    # 3 enrichment rounds, entity 1 enriched twice.
    RunSpec(
        "r-0128",
        "hair salon",
        "Columbus",
        target=10,
        discovery=((P(5), P(5)),),
        enrichment=((0, 1, 2), (3, 1), (4,)),
    ),
    RunSpec(
        "r-0129",
        "physical therapist",
        "Austin",
        target=6,
        discovery=((P(4), P(3)),),
        enrichment=((0, 1),),
    ),
    # A no-results page inside a productive round: the round still found 5.
    RunSpec(
        "r-0130",
        "florist",
        "Denver",
        target=10,
        discovery=((P(0), P(5)), (P(5),)),
        enrichment=((0, 1, 2),),
    ),
    RunSpec(
        "r-0131",
        "dentist",
        "Sacramento",
        target=10,
        discovery=((P(6),), (P(5),)),
        enrichment=((0, 1, 2, 3),),
    ),
    RunSpec(
        "r-0132",
        "plumber",
        "Minneapolis",
        target=12,
        discovery=((P(5, layout="table"), P(5)), (P(3),)),
        enrichment=((0, 1), (2,)),
    ),
    RunSpec(
        "r-0133",
        "veterinarian",
        "Tampa",
        target=10,
        discovery=((P(5), P(5)),),
        enrichment=((0, 3, 6),),
    ),
)
