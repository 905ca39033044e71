"""Text material for the benchmark corpus: businesses, places, filler and scraped pages.

Pages are assembled from a pool of pre-built paragraphs plus lines rendered from each business,
so a gigabyte is written in minutes while every page still differs (its listings are unique).
Every value an extraction or enrichment output holds is rendered somewhere in its page, in the
forms the grounding rule must normalize (phone punctuation, ``www.``/scheme on URLs).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

WORDS = (
    "service quality local family owned team years experience customers friendly staff "
    "appointment schedule today visit location parking available open weekend evening "
    "professional licensed insured trusted community neighborhood downtown best rated "
    "reviews recommend great fast price fair honest clean modern comfortable welcoming "
    "offer provide specialize emergency same day free estimate consultation guarantee "
    "satisfaction call book online walk ins accepted payment plans insurance warranty "
    "repair install maintain inspect fresh roasted organic seasonal menu classes beginners "
    "advanced private group membership discount students seniors veterans military since "
    "founded proudly serving area surrounding towns award winning certified experts new "
    "patients welcome easy access public transit wheelchair accessible pet friendly wifi "
    "outdoor seating catering events gift cards loyalty program reservations recommended"
).split()

CITIES: tuple[tuple[str, str, str, str], ...] = (
    ("Austin", "TX", "512", "787"),
    ("Denver", "CO", "303", "802"),
    ("Portland", "OR", "503", "972"),
    ("Nashville", "TN", "615", "372"),
    ("Columbus", "OH", "614", "432"),
    ("Tucson", "AZ", "520", "857"),
    ("Raleigh", "NC", "919", "276"),
    ("Madison", "WI", "608", "537"),
    ("Boise", "ID", "208", "837"),
    ("Richmond", "VA", "804", "232"),
    ("Omaha", "NE", "402", "681"),
    ("Spokane", "WA", "509", "992"),
)

ENTITY_TYPES: dict[str, tuple[str, ...]] = {
    "dentists": ("Dental", "Family Dentistry", "Smiles", "Dental Care", "Orthodontics"),
    "coffee shops": ("Coffee", "Roasters", "Espresso Bar", "Cafe", "Coffee House"),
    "plumbers": ("Plumbing", "Plumbing & Drain", "Rooter", "Pipe Works"),
    "veterinarians": ("Animal Hospital", "Veterinary Clinic", "Pet Care", "Vet Center"),
    "yoga studios": ("Yoga", "Yoga Studio", "Hot Yoga", "Wellness Studio"),
    "auto repair shops": ("Auto Repair", "Garage", "Motors", "Auto Care"),
    "bookstores": ("Books", "Bookshop", "Book Exchange", "Readers"),
    "law firms": ("Law Group", "& Associates", "Legal", "Law Office"),
}

NAME_PARTS = (
    "Blue Oak Golden Riverside Summit Maple Cedar Harbor Northside Sunrise Pioneer Evergreen "
    "Lakeview Copper Juniper Granite Willow Beacon Hillcrest Magnolia Prairie Redwood Silver "
    "Aspen Bluebird Canyon Meadow Union Liberty Highland Ironwood Foxglove Bramble Sterling"
).split()
SURNAMES = (
    "Garcia Nguyen Patel Smith Johnson Kim Lopez Miller Okafor Schmidt Rossi Cohen Tanaka "
    "Murphy Silva Haddad Novak Larsen Moreau Ibrahim"
).split()
STREETS = (
    "Main St|Oak Ave|Congress Ave|5th St|Elm St|Lamar Blvd|Burnet Rd|Pine St|Broadway|"
    "Maple Dr|Washington Ave|Lake Rd|Market St|Mill Rd|Park Blvd|Cedar Ln|River Rd"
).split("|")
DAYS = ("Mon–Fri", "Mon–Sat", "Tue–Sun", "Daily", "Mon–Thu")
SITES = ("yelp-like.example", "citylistings.example", "localguide.example", "bizfinder.example")
EXTRACTION_FIELDS = ("name", "address", "phone", "website", "rating", "category")
ENRICHMENT_FIELDS = ("email", "hours", "owner", "founded_year")


@dataclass(slots=True)
class Business:
    """One business as the world knows it; pages render it, outputs quote it."""

    name: str
    street: str
    city: str
    state: str
    zip_code: str
    phone: tuple[str, str, str]
    domain: str | None
    rating: float
    reviews: int
    category: str
    email: str
    hours: str
    owner: str
    founded_year: int

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city}, {self.state} {self.zip_code}"


def phone_text(phone: tuple[str, str, str], style: int) -> str:
    """A phone in one of the punctuations pages and outputs use (same digits, no prefix)."""
    area, exchange, line = phone
    if style == 0:
        return f"({area}) {exchange}-{line}"
    if style == 1:
        return f"{area}-{exchange}-{line}"
    return f"{area}.{exchange}.{line}"


def make_business(rng: random.Random, city: tuple[str, str, str, str], kind: str) -> Business:
    """A fresh business of ``kind`` in ``city``; most have a website, some do not."""
    name_city, state, area, zip_prefix = city
    head = rng.choice(NAME_PARTS) if rng.random() < 0.7 else rng.choice(SURNAMES)
    name = f"{head} {rng.choice(ENTITY_TYPES[kind])}"
    slug = "".join(ch for ch in name.lower() if ch.isalnum())
    domain = None if rng.random() < 0.12 else f"{slug}{rng.randrange(10, 99)}.com"
    owner = f"{rng.choice(('Dr. ', '', ''))}{rng.choice(NAME_PARTS)} {rng.choice(SURNAMES)}"
    open_hour, close_hour = rng.randrange(6, 10), rng.randrange(4, 9)
    return Business(
        name=name,
        street=f"{rng.randrange(100, 9999)} {rng.choice(STREETS)}",
        city=name_city,
        state=state,
        zip_code=f"{zip_prefix}{rng.randrange(10, 99)}",
        phone=(area, str(rng.randrange(200, 999)), f"{rng.randrange(0, 9999):04d}"),
        domain=domain,
        rating=rng.randrange(30, 51) / 10,
        reviews=rng.randrange(3, 900),
        category=kind.removesuffix("s").title(),
        email=f"{rng.choice(('info', 'hello', 'office', 'contact'))}@{domain or slug + '.net'}",
        hours=f"{rng.choice(DAYS)} {open_hour}:00 AM – {close_hour}:00 PM",
        owner=owner,
        founded_year=rng.randrange(1965, 2024),
    )


class TextPool:
    """Pre-built paragraphs and review snippets; pages pick from them instead of typing."""

    def __init__(self, rng: random.Random, paragraphs: int = 700, snippets: int = 300) -> None:
        self.paragraphs = [self._paragraph(rng, rng.randrange(2, 9)) for _ in range(paragraphs)]
        self.snippets = [f'"{self._sentence(rng)}"' for _ in range(snippets)]

    @staticmethod
    def _sentence(rng: random.Random) -> str:
        words = rng.choices(WORDS, k=rng.randrange(6, 19))
        return " ".join(words).capitalize() + "."

    def _paragraph(self, rng: random.Random, sentences: int) -> str:
        return " ".join(self._sentence(rng) for _ in range(sentences))

    def pad(self, rng: random.Random, parts: list[str], length: int, target: int) -> int:
        """Append paragraphs to ``parts`` until ``length`` reaches ``target``; return it."""
        while length < target:
            paragraph = rng.choice(self.paragraphs)
            parts.append(paragraph)
            length += len(paragraph) + 1
        return length


def listing_block(rng: random.Random, pool: TextPool, number: int, business: Business) -> str:
    """One business as a listing site shows it, in a scraped-text layout."""
    lines = [
        f"{number}. {business.name}",
        f"{business.rating} stars ({business.reviews} reviews) · {business.category}",
        business.address,
        phone_text(business.phone, rng.randrange(3)),
    ]
    if business.domain is not None:
        prefix = rng.choice(("www.", "", "https://www."))
        lines.append(f"{prefix}{business.domain}")
    lines.append(rng.choice(pool.snippets))
    return "\n".join(lines)


def listing_page(
    rng: random.Random,
    pool: TextPool,
    businesses: list[Business],
    kind: str,
    target_chars: int,
) -> str:
    """A scraped listing page: header, the listings with reviews between, filler to length."""
    city = businesses[0].city if businesses else "the area"
    site = rng.choice(SITES)
    parts = [
        f"{site} | Top {kind} in {city}",
        "Home > Directory > Local businesses | Sign in | Write a review | Cookie settings",
        f"Showing {len(businesses)} results for {kind} near {city}. Sort by: Recommended",
    ]
    length = sum(len(p) + 1 for p in parts)
    for number, business in enumerate(businesses, start=1):
        block = listing_block(rng, pool, number, business)
        parts.append(block)
        length += len(block) + 1
        if rng.random() < 0.5:
            length = pool.pad(rng, parts, length, length + 1)
    length = pool.pad(rng, parts, length, target_chars - 120)
    parts.append(f"© 2026 {site} · About · Careers · Privacy · Terms · Advertise with us")
    return "\n".join(parts)


def website_page(
    rng: random.Random, pool: TextPool, business: Business, states: set[str], target_chars: int
) -> str:
    """A business's own site as scraped text; it states the fields named in ``states``."""
    head = [
        f"{business.name} — {business.category} in {business.city}",
        "Home | About | Services | Contact | Book now",
    ]
    contact = ["Contact us", f"Call {phone_text(business.phone, rng.randrange(3))}"]
    if "email" in states:
        contact.append(f"Email: {business.email}")
    if "hours" in states:
        contact.append(f"Hours: {business.hours}")
    contact.append(business.address)
    facts = ["\n".join(contact)]
    if "owner" in states:
        facts.append(f"Meet the owner: {business.owner} leads our team.")
    if "founded_year" in states:
        facts.append(f"Proudly serving {business.city} since {business.founded_year}.")
    fixed = sum(len(p) + 1 for p in head + facts)
    body: list[str] = []
    pool.pad(rng, body, fixed, target_chars)
    middle = len(body) // 2
    return "\n".join(head + body[:middle] + facts + body[middle:])


def page_length(rng: random.Random) -> int:
    """A page length: most 3–15k chars (log-normal around 7k), a tail up to ~58k."""
    if rng.random() < 0.03:
        return rng.randrange(25_000, 58_000)
    return int(min(max(rng.lognormvariate(8.85, 0.55), 1_500), 45_000))
