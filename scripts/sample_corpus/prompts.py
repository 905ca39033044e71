"""System prompts, user-message shapes and the planner's schema, as the agent sends them."""

from __future__ import annotations

import json
from typing import Any

from .world import City, Trade, slug

PLANNING_SYSTEM = (
    "You are the planner of a local-business research agent.\n"
    "Given the user's request and the entity schema, return ONLY a JSON object with:\n"
    "- entity_type: the singular kind of business to collect\n"
    "- target_count: how many distinct businesses to collect (a positive integer)\n"
    '- city: "City, ST"\n'
    "- tool_steps: the ordered steps, each an object with a tool (web_search, scrape_page, "
    "extract_entities or enrich_entities) and its query, url or fields\n"
    "No prose and no markdown."
)

EXTRACTION_SYSTEM = (
    "You extract local-business listings from a scraped web page.\n"
    "Return ONLY a JSON array with one object per business listed on the page, each with the "
    "keys name, address, phone, website and rating.\n"
    "Copy values exactly as the page states them and use null for anything the page does not "
    "state. Never invent values. Return [] when the page lists no businesses."
)

ENRICHMENT_SYSTEM = (
    "You enrich one business record from scraped content.\n"
    "Return ONLY the entity as a JSON object with the same keys.\n"
    "Fill a null field only when the scraped content states its value and leave it null "
    "otherwise. Never change a field that already has a value."
)

ENTITY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "address": {"type": "string"},
        "phone": {"type": ["string", "null"]},
        "website": {"type": ["string", "null"]},
        "rating": {"type": ["number", "null"]},
        "email": {"type": ["string", "null"]},
        "hours": {"type": ["string", "null"]},
        "services": {"type": ["array", "null"], "items": {"type": "string"}},
    },
    "required": ["name", "address"],
}

SCRAPE_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "scrape_page",
        "description": "Fetch a web page and return its visible text.",
        "parameters": {
            "type": "object",
            "properties": {"url": {"type": "string"}},
            "required": ["url"],
        },
    },
}

_REQUEST_TEMPLATES = (
    "Find {count} {plural} in {city}.",
    "find {count} {plural} in {city_name} with phone numbers and websites",
    "I need a list of {count} {plural} in {city}: name, address, phone, email and opening hours.",
    "Build me a lead list of {count} {plural} around {city_name}.",
)


def user_request(template_index: int, count: int, trade: Trade, city: City) -> str:
    """The engineer's prompt to the agent, in one of a few phrasings."""
    template = _REQUEST_TEMPLATES[template_index % len(_REQUEST_TEMPLATES)]
    return template.format(count=count, plural=trade.plural, city=city.label, city_name=city.name)


def planning_user_message(request: str) -> str:
    return f"{request}\n\nSchema:\n{json.dumps(ENTITY_SCHEMA)}"


def make_plan(trade: Trade, city: City, target_count: int) -> dict[str, Any]:
    """The plan a good planner returns for this request."""
    return {
        "entity_type": trade.key,
        "target_count": target_count,
        "city": city.label,
        "tool_steps": [
            {"tool": "web_search", "query": f"{trade.plural} in {city.label}"},
            {"tool": "web_search", "query": f"best {trade.plural} {city.name} reviews"},
            {
                "tool": "scrape_page",
                "url": f"https://www.cityguide.com/{slug(city.name)}/{slug(trade.plural)}",
            },
            {"tool": "extract_entities", "fields": ["name", "address", "phone", "website"]},
            {"tool": "enrich_entities", "fields": ["email", "hours", "services"]},
        ],
    }


def extraction_instruction(trade: Trade, url: str) -> str:
    return f"Extract every {trade.key} listed on this page.\nSource: {url}"


def enrichment_user_message(entity: dict[str, Any], source_url: str, content_text: str) -> str:
    entity_json = json.dumps(entity, ensure_ascii=False, indent=2)
    return f"Entity:\n{entity_json}\n\nScraped content:\nSource: {source_url}\n{content_text}"
