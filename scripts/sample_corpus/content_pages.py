"""Scraped pages about one business that the enrichment calls read.

A renderer states only the facts it is asked to show and returns them exactly as written, so a
clean enrichment output fills nulls with grounded values and leaves the rest null.
"""

from __future__ import annotations

from dataclasses import dataclass

from .world import Business, slug

ENRICHABLE_FIELDS = ("phone", "website", "email", "hours", "services")


@dataclass(frozen=True)
class ContentPage:
    """Scraped text about one business and the facts it states, keyed by entity field."""

    url: str
    text: str
    facts: dict[str, object]


def _facts(business: Business, shown: set[str], website: str) -> dict[str, object]:
    truth: dict[str, object | None] = {
        "phone": business.phone,
        "website": website if business.domain else None,
        "email": business.email,
        "hours": business.hours,
        "services": list(business.services) if business.services else None,
    }
    return {field: value for field, value in truth.items() if field in shown and value}


def _services_line(facts: dict[str, object], joiner: str) -> str:
    return joiner.join(facts["services"])  # type: ignore[arg-type]


def website_page(business: Business, shown: set[str]) -> ContentPage:
    """The business's own contact page."""
    facts = _facts(business, shown, f"https://www.{business.domain}/")
    lines = [
        f"{business.name} | Contact",
        "Home   About   Services   Book Online   Contact",
        f"Proudly serving {business.neighborhood} and all of {business.city.name}.",
        "",
        "Visit us",
        business.address,
    ]
    labels = {"phone": "Call us: {}", "email": "Email: {}", "hours": "Hours: {}"}
    lines += [labels[field].format(facts[field]) for field in labels if field in facts]
    if "services" in facts:
        lines.append(f"What we offer: {_services_line(facts, ' · ')}")
    if "website" in facts:
        lines.append(f"Share this page: {facts['website']}")
    lines.append(f"© 2026 {business.name}. All rights reserved.")
    url = f"https://www.{business.domain}/contact" if business.domain else _facebook_url(business)
    return ContentPage(url, "\n".join(lines), facts)


def _facebook_url(business: Business) -> str:
    return f"https://www.facebook.com/{slug(business.name)}"


def facebook_page(business: Business, shown: set[str]) -> ContentPage:
    """A social-media business page: an intro card and a recent post."""
    facts = _facts(business, shown, str(business.domain))
    lines = [
        business.name,
        f"Local business · {business.neighborhood}, {business.city.name}",
        f"{business.reviews * 7} likes · {business.reviews * 9} followers",
        "",
        "Intro",
        f"Family-owned and proud to be part of {business.neighborhood}.",
        f"Address {business.address}",
    ]
    labels = {
        "phone": "Phone {}",
        "email": "Email {}",
        "website": "Website {}",
        "hours": "Hours {}",
    }
    lines += [labels[field].format(facts[field]) for field in labels if field in facts]
    if "services" in facts:
        lines.append(f"Services: {_services_line(facts, ', ')}")
    lines += ["", "Posts", f"Thanks to everyone who stopped by this weekend, {business.city.name}!"]
    return ContentPage(_facebook_url(business), "\n".join(lines), facts)


def google_page(business: Business, shown: set[str]) -> ContentPage:
    """A maps business profile: rating, address, hours, phone, website."""
    facts = _facts(business, shown, f"https://www.{business.domain}/")
    lines = [
        business.name,
        f"{business.rating} ★ · {business.reviews} Google reviews",
        f"Address: {business.address}",
    ]
    labels = {"hours": "Hours: {}", "phone": "Phone: {}", "website": "Website: {}"}
    lines += [labels[field].format(facts[field]) for field in labels if field in facts]
    if "email" in facts:
        lines.append(f"From the owner: questions? Write to {facts['email']}")
    if "services" in facts:
        lines.append(f"Service options: {_services_line(facts, ' · ')}")
    lines += ["Questions & answers", "Suggest an edit · Own this business?"]
    url = f"https://maps.google.com/place/{slug(business.name)}-{slug(business.city.name)}"
    return ContentPage(url, "\n".join(lines), facts)


CONTENT_RENDERERS = {"website": website_page, "facebook": facebook_page, "google": google_page}
