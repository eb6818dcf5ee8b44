"""A deterministic demo organisation: a regional bakery and café chain with a year of history.

Seeded, so every run yields the same customers, receipts and feedback. Works without ../shared/data.
"""

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from eyelevel.accounts import services as accounts
from eyelevel.commerce import services as commerce
from eyelevel.commerce.schemas import ProductIn, ReceiptIn, ReceiptLineIn
from eyelevel.core import services as core
from eyelevel.core.errors import NotFound
from eyelevel.core.models import Organisation
from eyelevel.core.permissions import Role
from eyelevel.customers import services as customers
from eyelevel.customers.schemas import CustomerIn
from eyelevel.demo.extras import load_extras
from eyelevel.feedback import services as feedback
from eyelevel.feedback.schemas import FeedbackIn

DEMO_SLUG = "sonnenhof"
DEMO_NAME = "Sonnenhof Bakery & Café"
SECOND_SLUG = "nordlicht"
SECOND_NAME = "Nordlicht Books"
STAFF_PASSWORDS = {
    "olivia": ("owner", "eyelevel-demo-owner"),
    "max": ("manager", "eyelevel-demo-manager"),
    "alex": ("agent", "eyelevel-demo-agent"),
    "sam": ("agent", "eyelevel-demo-agent2"),
    "ana": ("analyst", "eyelevel-demo-analyst"),
}
DEMO_CUSTOMER_EMAIL = "lena.becker@example.com"
DEMO_CUSTOMER_PASSWORD = "eyelevel-demo-customer"

FIRST_NAMES = [
    "Lena", "Jonas", "Mia", "Leon", "Emma", "Paul", "Hannah", "Felix", "Sophie", "Lukas", "Anna", "Ben",
    "Marie", "Elias", "Lea", "Noah", "Clara", "Finn", "Laura", "Tim", "Julia", "David", "Sarah", "Jan",
    "Olivia", "James", "Amelia", "Oliver", "Isla", "George", "Ava", "Harry", "Emily", "Jack", "Grace",
    "Mehmet", "Ayse", "Luca", "Giulia", "Piotr", "Zofia", "Ahmed", "Fatima", "Yuki", "Chen",
]
LAST_NAMES = [
    "Becker", "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Hoffmann", "Schulz",
    "Koch", "Richter", "Klein", "Wolf", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger", "Hartmann",
    "Smith", "Jones", "Taylor", "Brown", "Wilson", "Evans", "Thomas", "Roberts", "Walker", "Wright",
    "Yılmaz", "Kaya", "Rossi", "Bianchi", "Nowak", "Kowalski", "Haddad", "Tanaka", "Wang", "Novak",
]
CATALOGUE = {
    ("Coffee", "Hot drinks"): [("Espresso", "2.10"), ("Cappuccino", "3.40"), ("Latte macchiato", "3.60"),
                               ("Filter coffee", "2.50"), ("Flat white", "3.50"), ("Chai latte", "3.70"),
                               ("Hot chocolate", "3.20"), ("Black tea", "2.40")],
    ("Bread", "Loaves"): [("Sourdough rye loaf", "4.80"), ("Spelt loaf", "5.20"), ("Farmhouse bread", "4.20"),
                          ("Wholegrain loaf", "4.60"), ("Baguette", "2.30"), ("Ciabatta", "2.60")],
    ("Bread", "Rolls"): [("Kaiser roll", "0.55"), ("Pretzel", "0.95"), ("Seeded roll", "0.80"),
                         ("Spelt roll", "0.85"), ("Croissant", "1.60"), ("Chocolate croissant", "1.90")],
    ("Cakes", "Slices"): [("Cheesecake slice", "3.40"), ("Apple strudel", "3.20"), ("Black Forest slice", "3.90"),
                          ("Plum cake", "2.90"), ("Carrot cake", "3.30"), ("Bee sting cake", "3.10")],
    ("Snacks", "Savoury"): [("Cheese sandwich", "3.90"), ("Vegan wrap", "4.50"), ("Quiche", "4.20"),
                            ("Soup of the day", "5.20"), ("Pizza slice", "3.50")],
    ("Grocery", "Pantry"): [("Organic honey", "6.90"), ("Strawberry jam", "4.50"), ("Coffee beans 500 g", "11.90"),
                            ("Muesli", "5.40"), ("Free-range eggs (6)", "2.90"), ("Butter", "2.60")],
}
FEEDBACK_EN = [
    "The sourdough rye is the best bread in town, thank you!",
    "I waited fifteen minutes for a cappuccino this morning, far too long.",
    "Staff at the market square branch are always friendly and remember my order.",
    "The croissants were stale on Sunday afternoon.",
    "Could you offer oat milk at no extra charge?",
    "Your app keeps logging me out, very annoying.",
    "Great vegan options, please keep the wrap on the menu.",
    "Prices went up again without any explanation.",
    "Is there a gluten-free bread on weekends?",
    "The new seating area is cosy and bright.",
    "My receipt was wrong, I was charged twice for the cake.",
    "Opening hours on holidays are not shown anywhere.",
]
FEEDBACK_DE = [
    "Das Roggenbrot ist einfach super, vielen Dank!",
    "Heute morgen zwanzig Minuten Wartezeit an der Theke, das geht gar nicht.",
    "Die Verkäuferin in der Filiale am Markt war sehr freundlich und hilfsbereit.",
    "Die Brötchen waren am Nachmittag schon hart.",
    "Könnt ihr Hafermilch ohne Aufpreis anbieten?",
    "Der Kaffee war lauwarm und bitter.",
    "Tolle Auswahl an Kuchen, der Bienenstich ist ein Traum.",
    "Die Preise sind schon wieder gestiegen, ohne Erklärung.",
    "Gibt es am Wochenende glutenfreies Brot?",
    "Schöne neue Sitzecke, sehr gemütlich.",
    "Auf meinem Kassenbon wurde der Kuchen doppelt berechnet.",
    "Die Öffnungszeiten an Feiertagen findet man nirgends.",
]
STORES = ["Market Square", "Station", "Old Town", "University"]


@dataclass
class DemoSummary:
    organisation_id: int
    customers: int
    products: int
    receipts: int
    feedback: int
    created: bool


def _seeded_customers(rng: random.Random, count: int) -> list[CustomerIn]:
    rows = [CustomerIn(display_name="Lena Becker", email=DEMO_CUSTOMER_EMAIL, external_ref="C00001", language="de")]
    for number in range(2, count + 1):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        language = "de" if rng.random() < 0.7 else "en"
        ascii_last = last.lower().replace("ü", "ue").replace("ö", "oe").replace("ä", "ae").replace("ı", "i")
        email = f"{first.lower()}.{ascii_last}.{number}@example.com" if rng.random() < 0.85 else ""
        rows.append(CustomerIn(display_name=f"{first} {last}", email=email, external_ref=f"C{number:05d}",
                               language=language))
    return rows


def _catalogue() -> list[ProductIn]:
    products = []
    for (category, subcategory), items in CATALOGUE.items():
        for index, (name, price) in enumerate(items, start=1):
            sku = f"{category[:3].upper()}-{subcategory[:3].upper()}-{index:02d}"
            vat = Decimal("19") if category == "Coffee" else Decimal("7")
            products.append(ProductIn(sku=sku, name=name, category=category, subcategory=subcategory,
                                      brand="Sonnenhof", unit_price=Decimal(price), vat_rate=vat))
    return products


def _year_of_receipts(rng: random.Random, customer_ids: list[int], products: list[ProductIn],
                      now: datetime) -> list[ReceiptIn]:
    tz = ZoneInfo("Europe/Berlin")
    start = now - timedelta(days=365)
    prices = {p.sku: p.unit_price for p in products}
    receipts = []
    number = 0
    for customer_id in [None, *customer_ids]:
        # Each customer has favourites they return to; anonymous walk-ins (None) buy at random.
        favourites = rng.sample(products, 4)
        visits = rng.randint(20, 60) if customer_id is None else int(rng.expovariate(1 / 9)) + 1
        for _visit in range(visits):
            number += 1
            moment = start + timedelta(days=rng.random() * 365, hours=rng.randint(7, 18) - 12)
            basket = {}
            for _ in range(rng.randint(1, 4)):
                product = rng.choice(favourites) if rng.random() < 0.7 else rng.choice(products)
                basket[product.sku] = basket.get(product.sku, 0) + 1
            receipts.append(ReceiptIn(
                number=f"R{number:07d}", customer_id=customer_id, purchased_at=moment.astimezone(tz),
                store=rng.choice(STORES),
                lines=[ReceiptLineIn(sku=sku, quantity=Decimal(qty), unit_price=prices[sku])
                       for sku, qty in basket.items()],
            ))
    return receipts


def _feedback(rng: random.Random, customer_ids: list[int], now: datetime, count: int) -> list[FeedbackIn]:
    items = []
    for index in range(count):
        german = rng.random() < 0.6
        text = rng.choice(FEEDBACK_DE if german else FEEDBACK_EN)
        channel = rng.choice(["portal", "portal", "email", "public_form", "api"])
        items.append(FeedbackIn(
            text=text, channel=channel,
            customer_id=None if channel == "public_form" else rng.choice(customer_ids),
            external_ref=f"demo-{index}", received_at=now - timedelta(days=rng.random() * 365),
        ))
    return items


@transaction.atomic
def load_demo(*, customers_count: int = 2400, feedback_count: int = 600, seed: int = 20261123,
              now: datetime | None = None, progress=None) -> DemoSummary:  # type: ignore[no-untyped-def]
    """Create the demo organisation (once; a second call changes nothing) and return its figures."""
    try:
        organisation = core.get_organisation_by_slug(slug=DEMO_SLUG)
        return DemoSummary(organisation.pk, customers.customer_count(organisation_id=organisation.pk), 0,
                           commerce.receipt_count(organisation_id=organisation.pk),
                           feedback.feedback_count(organisation_id=organisation.pk), created=False)
    except NotFound:
        pass
    step = progress or (lambda _label: None)
    rng = random.Random(seed)
    now = now or timezone.now()
    organisation = core.create_organisation(name=DEMO_NAME, slug=DEMO_SLUG, default_language="de")
    step("staff")
    for username, (role, password) in STAFF_PASSWORDS.items():
        accounts.add_member(organisation=organisation, actor=None, username=username,
                            email=f"{username}@sonnenhof.example", role=role, password=password,
                            team="Service" if role in (Role.AGENT, Role.MANAGER) else "")
    step("customers")
    customer_ids = customers.import_customers(organisation=organisation,
                                              rows=_seeded_customers(rng, customers_count))
    customers.set_portal_password(organisation=organisation, customer_id=customer_ids[0],
                                  password=DEMO_CUSTOMER_PASSWORD)
    step("products")
    catalogue = _catalogue()
    commerce.upsert_products(organisation=organisation, products=catalogue)
    step("receipts")
    receipts = _year_of_receipts(rng, customer_ids, catalogue, now)
    for start in range(0, len(receipts), 5000):
        commerce.record_receipts(organisation=organisation, receipts=receipts[start:start + 5000])
    step("feedback")
    items = _feedback(rng, customer_ids, now, feedback_count)
    feedback.record_feedback_batch(organisation=organisation, items=items, classify=True)
    step("charter, purposes, stamp card, articles")
    load_extras(organisation=organisation, customer_ids=customer_ids, rng=rng)
    _load_second_organisation(rng)
    return DemoSummary(organisation.pk, len(customer_ids), len(catalogue), len(receipts), len(items), created=True)


def _load_second_organisation(rng: random.Random) -> Organisation:
    # A second tenant, so that the demo shows organisations kept apart.
    organisation = core.create_organisation(name=SECOND_NAME, slug=SECOND_SLUG, default_language="en")
    accounts.add_member(organisation=organisation, actor=None, username="nora", email="nora@nordlicht.example",
                        role=Role.OWNER, password="eyelevel-demo-nordlicht")
    customers.import_customers(organisation=organisation, rows=_seeded_customers(rng, 50)[1:])
    return organisation
