"""Scraped search-result pages the extraction calls read, and what a faithful extractor returns.

Each renderer returns the page text together with the entities it states, built from the very
strings it wrote, so clean extraction outputs are grounded by construction.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .world import Business, City, Trade, slug

_REVIEW_SNIPPETS = (
    "Friendly staff and they fit me in the same week.",
    "Fair prices, explained everything before starting.",
    "Parking is tight but the service is worth it.",
    "Been coming here for years, never disappointed.",
    "Booked online in two minutes, super easy.",
    "They remembered my name on the second visit!",
    "A bit of a wait, but very thorough work.",
    "Clean, calm and on time. Highly recommend.",
)
_REVIEWERS = ("Jordan P.", "Alex M.", "Sam R.", "Taylor K.", "Chris D.", "Morgan L.", "Riley B.")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep")


@dataclass(frozen=True)
class ListingPage:
    """A scraped page and the entities a faithful extraction of it returns, in page order."""

    url: str
    text: str
    entities: list[dict[str, object]]


def _entity(
    business: Business, phone: str | None, website: str | None, rating: float | None
) -> dict[str, object]:
    return {
        "name": business.name,
        "address": business.address,
        "phone": phone,
        "website": website,
        "rating": rating,
    }


def _listed_phone(business: Business) -> str | None:
    return business.phone if business.listed_phone else None


def _listed_domain(business: Business) -> str | None:
    return business.domain if business.listed_website else None


def directory_page(
    city: City, trade: Trade, businesses: list[Business], page_no: int, reviews_per_listing: int = 0
) -> ListingPage:
    """A CityGuide-style result list: ratings, one field per line, a review snippet each."""
    rng = random.Random(f"directory:{city.name}:{trade.key}:{page_no}:{businesses[0].name}")
    first = (page_no - 1) * 10 + 1
    lines = [
        f"CityGuide › {city.label} › {trade.plural.title()}",
        "Sign in · Write a review · For businesses",
        f"Best {trade.plural.title()} in {city.label} — updated November 2026",
        f"Showing {first}–{first + len(businesses) - 1} of {first + 30} results",
        "Sort: Recommended ▾   Distance ▾   Open now",
        "",
    ]
    entities = []
    for offset, business in enumerate(businesses):
        phone, domain = _listed_phone(business), _listed_domain(business)
        website = f"https://www.{domain}/" if domain else None
        lines += [
            f"{first + offset}. {business.name}",
            f"   ★ {business.rating} ({business.reviews} reviews) · {trade.category}"
            f" · {business.neighborhood}",
            f"   {business.address}",
        ]
        lines += [f"   {value}" for value in (phone, website) if value]
        lines.append(f"   “{rng.choice(_REVIEW_SNIPPETS)}”")
        lines += _reviews(rng, reviews_per_listing)
        lines.append("")
        entities.append(_entity(business, phone, website, business.rating))
    lines += [
        f"Related searches: emergency {trade.key} · {trade.key} open now · cheap {trade.key}",
        "Page 1 2 3 4 Next ›",
        "© 2026 CityGuide Inc. · Terms · Privacy · Cookie settings",
    ]
    url = f"https://www.cityguide.com/{slug(city.name)}/{slug(trade.plural)}?page={page_no}"
    return ListingPage(url, "\n".join(lines), entities)


def _reviews(rng: random.Random, count: int) -> list[str]:
    """Long review threads: what makes a scraped page blow past the context budget."""
    lines = []
    for _ in range(count):
        words = " ".join(rng.choice(_REVIEW_SNIPPETS) for _ in range(rng.randint(2, 4)))
        lines += [
            f"   {rng.choice(_REVIEWERS)} · {rng.choice(_MONTHS)} {rng.randint(1, 28)}, 2026"
            f" · {rng.randint(1, 5)} stars",
            f"   {words}",
            "   Helpful · Share · Report",
        ]
    return lines


def table_page(city: City, trade: Trade, businesses: list[Business], page_no: int) -> ListingPage:
    """A LocalPages-style directory table with padded columns and dashes for missing cells."""
    lines = [
        f"LocalPages.com — {trade.plural.title()} near {city.label} (page {page_no})",
        "",
        f"{'Business':<34}| {'Address':<50}| {'Phone':<17}| Website",
        f"{'-' * 34}|{'-' * 51}|{'-' * 18}|{'-' * 24}",
    ]
    entities = []
    for business in businesses:
        phone, domain = _listed_phone(business), _listed_domain(business)
        website = (f"www.{domain}" if len(business.name) % 2 else domain) if domain else None
        lines.append(
            f"{business.name:<34}| {business.address:<50}| {phone or '—':<17}| {website or '—'}"
        )
        entities.append(_entity(business, phone, website, None))
    lines += ["", "Is your business missing? Add it for free at localpages.com/add"]
    url = f"https://localpages.com/{slug(city.name)}-{city.state.lower()}/{slug(trade.plural)}"
    return ListingPage(f"{url}/{page_no}", "\n".join(lines), entities)


def chamber_page(city: City, trade: Trade, businesses: list[Business], page_no: int) -> ListingPage:
    """A chamber-of-commerce member list: upper-case names, addresses wrapped over two lines."""
    lines = [
        f"{city.name.upper()} AREA CHAMBER OF COMMERCE",
        f"Member Directory › {trade.category}",
        "",
    ]
    entities = []
    for business in businesses:
        phone, domain = _listed_phone(business), _listed_domain(business)
        website = f"www.{domain}" if domain else None
        lines += [
            business.name.upper(),
            f"Address: {business.street},",
            f"         {city.name}, {city.state} {business.zip_code}",
        ]
        if phone:
            lines.append(f"Phone: {phone}")
        if website:
            lines.append(f"Web: {website}")
        lines += [f"Member since {2004 + len(business.name) % 19}", ""]
        entities.append(_entity(business, phone, website, None))
    lines.append("Join the Chamber · Events · Contact us")
    url = f"https://www.{slug(city.name)}chamber.org/directory/{slug(trade.category)}"
    return ListingPage(f"{url}?p={page_no}", "\n".join(lines), entities)


def no_results_page(city: City, trade: Trade, query: str) -> ListingPage:
    """A search that found nothing: the extraction returns an empty array."""
    text = "\n".join(
        [
            f"CityGuide › {city.label} › {trade.plural.title()}",
            f"No results for “{query}” near {city.label}.",
            "Suggestions: check the spelling, try a broader term, or widen the search area.",
            "Popular categories: Restaurants · Home Services · Health · Auto",
            "© 2026 CityGuide Inc. · Terms · Privacy",
        ]
    )
    url = f"https://www.cityguide.com/search?q={slug(query)}&loc={slug(city.name)}"
    return ListingPage(url, text, [])


PAGE_RENDERERS = {"directory": directory_page, "table": table_page, "chamber": chamber_page}
