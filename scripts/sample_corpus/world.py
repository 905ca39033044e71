"""The invented local-business world the sample traces talk about: cities, trades, businesses.

Every phone number uses the fictional 555-01xx exchange, every domain is made up.
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    """A city the agent searches, with what its addresses and phones look like."""

    name: str
    state: str
    area_code: str
    zips: tuple[str, ...]
    streets: tuple[str, ...]
    neighborhoods: tuple[str, ...]

    @property
    def label(self) -> str:
        return f"{self.name}, {self.state}"


@dataclass(frozen=True)
class Trade:
    """A kind of local business: how it is named, what it offers, when it opens."""

    key: str
    plural: str
    category: str
    name_patterns: tuple[str, ...]
    services: tuple[str, ...]
    hours: tuple[str, ...]


@dataclass(frozen=True)
class Business:
    """The truth about one business; pages show parts of it, the agent extracts what they show."""

    name: str
    street: str
    city: City
    zip_code: str
    neighborhood: str
    phone: str
    domain: str | None
    rating: float
    reviews: int
    email: str | None
    hours: str | None
    services: tuple[str, ...] | None
    listed_phone: bool
    listed_website: bool

    @property
    def address(self) -> str:
        return f"{self.street}, {self.city.name}, {self.city.state} {self.zip_code}"


def _split(cell: str) -> tuple[str, ...]:
    return tuple(item.strip() for item in cell.split("|"))


def _city(label: str, area_code: str, zips: str, streets: str, neighborhoods: str) -> City:
    name, state = label.split(", ")
    return City(name, state, area_code, tuple(zips.split()), _split(streets), _split(neighborhoods))


def _trade(key: str, plural: str, category: str, names: str, services: str, hours: str) -> Trade:
    return Trade(key, plural, category, _split(names), _split(services), _split(hours))


CITIES: dict[str, City] = {
    city.name: city
    for city in (
        _city(
            "Austin, TX",
            "512",
            "78701 78704 78745 78751 78757",
            "S Congress Ave | N Lamar Blvd | Burnet Rd | Guadalupe St | E Riverside Dr | "
            "W Anderson Ln | Manchaca Rd",
            "Zilker | Hyde Park | Mueller | Travis Heights | Crestview",
        ),
        _city(
            "Denver, CO",
            "303",
            "80203 80206 80211 80218 80222",
            "E Colfax Ave | S Broadway | Colorado Blvd | Tennyson St | E Evans Ave | Federal Blvd",
            "Capitol Hill | Highlands | Baker | Congress Park | Berkeley",
        ),
        _city(
            "Portland, OR",
            "503",
            "97202 97209 97211 97214 97232",
            "SE Hawthorne Blvd | SE Division St | NE Alberta St | W Burnside St | "
            "NE Sandy Blvd | SE Belmont St",
            "Sellwood | Pearl District | Alberta Arts | Laurelhurst | Hollywood",
        ),
        _city(
            "Columbus, OH",
            "614",
            "43201 43206 43214 43215 43221",
            "N High St | E Broad St | Morse Rd | Henderson Rd | Sawmill Rd",
            "Short North | German Village | Clintonville | Upper Arlington | Olde Towne",
        ),
        _city(
            "Raleigh, NC",
            "919",
            "27603 27605 27607 27609 27615",
            "Glenwood Ave | Hillsborough St | Six Forks Rd | Falls of Neuse Rd | Capital Blvd",
            "Five Points | Cameron Village | North Hills | Oakwood | Boylan Heights",
        ),
        _city(
            "Boise, ID",
            "208",
            "83702 83704 83705 83706 83709",
            "W Fairview Ave | W State St | Overland Rd | Broadway Ave | Vista Ave",
            "North End | Bench | Harris Ranch | Garden City | Southeast Boise",
        ),
        _city(
            "Sacramento, CA",
            "916",
            "95811 95814 95816 95818 95819",
            "J St | Folsom Blvd | Fair Oaks Blvd | Broadway | Freeport Blvd",
            "Midtown | East Sacramento | Land Park | Curtis Park | Oak Park",
        ),
        _city(
            "Tampa, FL",
            "813",
            "33602 33606 33609 33611 33629",
            "S Dale Mabry Hwy | W Kennedy Blvd | Bay to Bay Blvd | N Florida Ave | E Fowler Ave",
            "Hyde Park | Seminole Heights | South Tampa | Channelside | Ybor City",
        ),
        _city(
            "Minneapolis, MN",
            "612",
            "55403 55406 55408 55413 55419",
            "E Lake St | Hennepin Ave | Nicollet Ave | Lyndale Ave S | Central Ave NE",
            "Uptown | Northeast | Longfellow | Linden Hills | Whittier",
        ),
        _city(
            "Pittsburgh, PA",
            "412",
            "15201 15203 15213 15217 15232",
            "Forbes Ave | Murray Ave | Penn Ave | Butler St | E Carson St",
            "Squirrel Hill | Lawrenceville | Shadyside | South Side | Bloomfield",
        ),
    )
}


TRADES: dict[str, Trade] = {
    trade.key: trade
    for trade in (
        _trade(
            "dentist",
            "dentists",
            "General Dentistry",
            "{adj} Dental | {surname} Family Dentistry | {place} Smiles | "
            "{adj} Dental Studio | {place} Dental Care | Dr. {first} {surname}, DDS",
            "Cleanings | Fillings | Crowns | Invisalign | Teeth Whitening | Implants | "
            "Pediatric Dentistry",
            "Mon–Fri 8:00 AM – 5:00 PM | Mon–Thu 7:30 AM – 6:00 PM, Fri 7:30 AM – 2:00 PM | "
            "Mon–Sat 9 AM – 7 PM; Sun closed | Tue–Sat 10:00 AM – 6:00 PM",
        ),
        _trade(
            "plumber",
            "plumbers",
            "Plumbing",
            "{surname} Plumbing | {adj} Plumbing & Drain | {place} Rooter | "
            "{surname} & Sons Plumbing | {adj} Pipe Co.",
            "Drain Cleaning | Water Heater Repair | Leak Detection | Sewer Line Repair | "
            "Repiping | Emergency Service",
            "Open 24 hours | Mon–Fri 7:00 AM – 6:00 PM | Mon–Sat 8 AM – 8 PM",
        ),
        _trade(
            "veterinarian",
            "veterinarians",
            "Veterinarian",
            "{place} Animal Hospital | {adj} Paws Veterinary Clinic | {surname} Vet Care | "
            "{place} Pet Clinic",
            "Wellness Exams | Vaccinations | Pet Dental Care | Surgery | Boarding",
            "Open 24 hours | Mon–Fri 7:30 AM – 7:00 PM, Sat 8 AM – 2 PM | "
            "Mon–Fri 8:00 AM – 5:00 PM | Mon–Thu 7:30 AM – 6:00 PM, Fri 7:30 AM – 2:00 PM",
        ),
        _trade(
            "coffee shop",
            "coffee shops",
            "Coffee & Tea",
            "{adj} Bean Coffee | {place} Roasters | Café {surname} | {adj} Cup | "
            "{place} Coffee Co.",
            "Espresso | Pour-Over | Pastries | Free Wi-Fi | Catering | Oat Milk",
            "Daily 6:30 AM – 8:00 PM | Mon–Fri 7 AM – 4 PM, Sat–Sun 8 AM – 3 PM",
        ),
        _trade(
            "yoga studio",
            "yoga studios",
            "Yoga Studio",
            "{place} Yoga | {adj} Lotus Yoga | {surname} Yoga Collective | {adj} Flow Studio",
            "Vinyasa | Hot Yoga | Yin Yoga | Prenatal Yoga | Private Sessions",
            "Daily 6:00 AM – 9:00 PM | Mon–Sat 7 AM – 8 PM; Sun 9 AM – 1 PM",
        ),
        _trade(
            "auto repair shop",
            "auto repair shops",
            "Auto Repair",
            "{surname} Auto Repair | {place} Auto Care | {adj} Garage | "
            "{surname} Brothers Automotive",
            "Brake Repair | Oil Change | Diagnostics | Transmission Service | Alignment",
            "Mon–Fri 7:30 AM – 6:00 PM | Mon–Sat 8 AM – 5 PM",
        ),
        _trade(
            "bakery",
            "bakeries",
            "Bakery",
            "{adj} Crumb Bakery | {place} Bakehouse | {surname}'s Bakery | {adj} Oven",
            "Sourdough | Custom Cakes | Croissants | Gluten-Free Options | Wholesale",
            "Tue–Sat 7 AM – 3 PM | Daily 6:30 AM – 2:00 PM",
        ),
        _trade(
            "hair salon",
            "hair salons",
            "Hair Salon",
            "{adj} Salon | {place} Hair Studio | Studio {surname} | {adj} Shears",
            "Haircuts | Color | Balayage | Blowouts | Keratin Treatment",
            "Tue–Sat 10:00 AM – 6:00 PM | Mon–Sat 9 AM – 7 PM; Sun closed",
        ),
        _trade(
            "physical therapist",
            "physical therapists",
            "Physical Therapy",
            "{place} Physical Therapy | {adj} Motion PT | {surname} Rehab & Sports Therapy",
            "Sports Rehab | Post-Surgical Rehab | Dry Needling | Manual Therapy",
            "Mon–Fri 8:00 AM – 5:00 PM | Mon–Thu 7:30 AM – 6:00 PM, Fri 7:30 AM – 2:00 PM",
        ),
        _trade(
            "florist",
            "florists",
            "Florist",
            "{adj} Petal Florist | {place} Flowers | {surname} Floral Design",
            "Same-Day Delivery | Wedding Flowers | Sympathy Arrangements | Subscriptions",
            "Mon–Sat 9 AM – 6 PM; Sun closed | Mon–Fri 8:00 AM – 5:00 PM",
        ),
    )
}

_ADJECTIVES = (
    "Bright",
    "Gentle",
    "Evergreen",
    "Summit",
    "Golden",
    "Lakeside",
    "Cornerstone",
    "Maple",
    "Northstar",
    "Silver Oak",
    "Red Door",
    "Juniper",
    "Harbor",
    "Copper",
    "Willow",
)
_SURNAMES = (
    "Nguyen",
    "Patel",
    "Garcia",
    "Okafor",
    "Kowalski",
    "Lindqvist",
    "Peña",
    "Haddad",
    "Brennan",
    "Castillo",
    "Yamamoto",
    "Whitfield",
    "Moreau",
    "Adeyemi",
    "Schultz",
    "Romero",
    "Chen",
    "O'Brien",
    "Novak",
    "Delgado",
    "Ibarra",
    "Kim",
    "Larsen",
)
_FIRST_NAMES = ("Maria", "James", "Priya", "Daniel", "Aisha", "Tom", "Elena", "Marcus", "Grace")
_PHONE_FORMATS = ("({a}) 555-{n}", "{a}-555-{n}", "{a}.555.{n}", "+1 {a} 555 {n}")
_EMAIL_BOXES = ("hello", "info", "frontdesk", "office", "team")


def slug(text: str) -> str:
    """Lower-case ASCII letters and digits of `text`, for invented domains and mailboxes."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text.lower().replace("&", "and") if ch.isalnum())


def format_phone(area_code: str, line: int, style: int) -> str:
    """A 555-01xx number in one of the formats real listing pages use."""
    return _PHONE_FORMATS[style % len(_PHONE_FORMATS)].format(a=area_code, n=f"{line:04d}")


class BusinessFactory:
    """Invents businesses for one run: unique names and unique phone lines within the run."""

    def __init__(self, rng: random.Random, city: City, trade: Trade) -> None:
        self._rng = rng
        self._city = city
        self._trade = trade
        self._names: set[str] = set()
        self._free_lines = list(range(100, 200))
        rng.shuffle(self._free_lines)

    def unused_phone(self, style: int = 0) -> str:
        """A phone number no business of this run has: the shape of a hallucinated one."""
        return format_phone(self._city.area_code, self._free_lines.pop(), style)

    def make(self) -> Business:
        rng = self._rng
        name = self._unique_name()
        domain = slug(name.replace("Dr. ", "").replace(", DDS", "dds"))[:24] + ".com"
        has_website = rng.random() < 0.8
        services = rng.sample(self._trade.services, rng.randint(2, 4))
        return Business(
            name=name,
            street=self._street(),
            city=self._city,
            zip_code=rng.choice(self._city.zips),
            neighborhood=rng.choice(self._city.neighborhoods),
            phone=format_phone(self._city.area_code, self._free_lines.pop(), rng.randrange(4)),
            domain=domain if has_website else None,
            rating=round(rng.uniform(3.6, 5.0), 1),
            reviews=rng.randint(7, 640),
            email=self._email(domain, has_website) if rng.random() < 0.7 else None,
            hours=rng.choice(self._trade.hours) if rng.random() < 0.9 else None,
            services=tuple(services) if rng.random() < 0.6 else None,
            listed_phone=rng.random() < 0.85,
            listed_website=has_website and rng.random() < 0.6,
        )

    def _unique_name(self) -> str:
        while True:
            name = self._rng.choice(self._trade.name_patterns).format(
                adj=self._rng.choice(_ADJECTIVES),
                surname=self._rng.choice(_SURNAMES),
                first=self._rng.choice(_FIRST_NAMES),
                place=self._rng.choice(self._city.neighborhoods),
            )
            if name not in self._names:
                self._names.add(name)
                return name

    def _street(self) -> str:
        street = f"{self._rng.randint(101, 9899)} {self._rng.choice(self._city.streets)}"
        if self._rng.random() < 0.2:
            street += f", Suite {self._rng.randint(1, 4)}{self._rng.randint(0, 2)}0"
        return street

    def _email(self, domain: str, has_website: bool) -> str:
        if has_website:
            return f"{self._rng.choice(_EMAIL_BOXES)}@{domain}"
        return f"{domain.removesuffix('.com')[:16]}@gmail.com"
