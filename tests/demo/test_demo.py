"""The demo organisation is deterministic, believable and loads once."""

from datetime import UTC, datetime

from eyelevel.commerce import services as commerce
from eyelevel.customers import services as customers
from eyelevel.demo.generator import DEMO_CUSTOMER_EMAIL, load_demo
from eyelevel.feedback import services as feedback

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def test_the_demo_loads_once_with_real_figures(db):
    summary = load_demo(customers_count=60, feedback_count=30, now=NOW)
    assert summary.created
    assert customers.customer_count(organisation_id=summary.organisation_id) == 60
    assert commerce.receipt_count(organisation_id=summary.organisation_id) == summary.receipts > 60
    assert feedback.feedback_count(organisation_id=summary.organisation_id) == 30
    lena = customers.find_customer_by_email(organisation=summary.organisation_id, email=DEMO_CUSTOMER_EMAIL)
    assert lena is not None
    assert lena.display_name == "Lena Becker"
    again = load_demo(customers_count=60, feedback_count=30, now=NOW)
    assert not again.created
    assert customers.customer_count(organisation_id=summary.organisation_id) == 60


def test_the_demo_is_deterministic():
    import random

    from eyelevel.demo.generator import _catalogue, _seeded_customers, _year_of_receipts

    def generate():  # type: ignore[no-untyped-def]
        rng = random.Random(7)
        people = _seeded_customers(rng, 30)
        receipts = _year_of_receipts(rng, list(range(1, 31)), _catalogue(), NOW)
        return [p.display_name for p in people], [(r.number, r.customer_id, r.purchased_at, len(r.lines))
                                                   for r in receipts]

    assert generate() == generate()


def test_the_demo_has_a_charter_purposes_a_stamp_card_and_articles(db):
    from eyelevel.commerce import services as commerce_services
    from eyelevel.knowledge import services as knowledge
    from eyelevel.offers import services as offers
    from eyelevel.relationships import services as relationships

    summary = load_demo(customers_count=30, feedback_count=5, now=NOW)
    organisation = summary.organisation_id
    codes = {p.code for p in customers.list_purposes(organisation=organisation)}
    assert {"personalised_offers", "newsletter", "feedback-follow-up"} <= codes
    lena = customers.find_customer_by_email(organisation=organisation, email=DEMO_CUSTOMER_EMAIL)
    assert customers.has_consent(organisation=organisation, customer_id=lena.id, purpose_code=offers.PURPOSE_CODE)
    assert len(relationships.list_touchpoints(organisation=organisation)) == 3
    assert commerce_services.list_programmes(organisation=organisation)
    found = knowledge.search_articles(organisation=organisation, query="Wann ist an Feiertagen geöffnet?",
                                      audience="portal")
    assert found
    assert "Feiertagen" in found[0].title
