"""The demo organisation's charter, purposes and consents, stamp card and knowledge articles.

Kept apart from the bulk data in generator.py; every object is made through its domain's services,
exactly as the staff console would make it.
"""

import random

from eyelevel.accounts import services as accounts
from eyelevel.commerce import services as commerce
from eyelevel.commerce.schemas import StampProgrammeIn
from eyelevel.core.models import Organisation
from eyelevel.customers import services as customers
from eyelevel.customers.schemas import PurposeIn
from eyelevel.knowledge import services as knowledge
from eyelevel.knowledge.schemas import ArticleIn
from eyelevel.offers import services as offers
from eyelevel.relationships import services as relationships
from eyelevel.relationships.schemas import (
    Author,
    ExpectationIn,
    JourneyStageIn,
    SegmentIn,
    TouchpointIn,
    ValueIn,
)

NEWSLETTER = PurposeIn(
    code="newsletter", name_en="Newsletter", name_de="Newsletter",
    description_en="A monthly letter about new bakes and opening hours, written for you from what you buy.",
    description_de="Ein monatlicher Brief über neue Backwaren und Öffnungszeiten, für Sie aus Ihren Einkäufen zusammengestellt.",
    legal_basis="consent", retention_days=730, marketing=True,
)
FEEDBACK_FOLLOW_UP = PurposeIn(
    code="feedback-follow-up", name_en="Feedback follow-up", name_de="Rückmeldung zu Ihrem Feedback",
    description_en="We tell you when we have taken up your feedback and what we did about it.",
    description_de="Wir sagen Ihnen, wann wir Ihr Feedback aufgegriffen haben und was wir daraufhin getan haben.",
    legal_basis="legitimate_interest", retention_days=365,
)
ARTICLES = [
    ("Oat milk at no extra charge", "Do you charge extra for oat milk in coffee?",
     "Since October, oat milk costs nothing extra in every coffee at every branch.", "en"),
    ("Gluten-free bread at weekends", "Is there bread without gluten on Saturdays and Sundays?",
     "Our Market Square branch bakes a gluten-free buckwheat loaf every Saturday and Sunday; reserve one in the portal.", "en"),
    ("Öffnungszeiten an Feiertagen", "Wann habt ihr an Feiertagen offen?",
     "An gesetzlichen Feiertagen öffnen alle Filialen von 8 bis 12 Uhr; am 25. Dezember und 1. Januar bleiben sie geschlossen.", "de"),
    ("Doppelt berechnet? So korrigieren wir den Bon", "Auf meinem Kassenbon steht ein Artikel zweimal.",
     "Zeigen Sie den Bon im Portal an einer Kasse vor; wir erstatten den Betrag sofort und korrigieren den digitalen Bon.", "de"),
]


def load_extras(*, organisation: Organisation, customer_ids: list[int], rng: random.Random) -> None:
    """Purposes and consents, a stamp programme, a published charter and published articles."""
    owner = accounts.resolve_acting_staff(
        user_id=next(m.user_id for m in accounts.list_members(organisation=organisation) if m.role == "owner"),
        organisation_id=organisation.pk,
    )
    _purposes_and_consents(organisation, customer_ids, rng)
    commerce.create_programme(organisation=organisation, data=StampProgrammeIn(
        name="Every 10th coffee free", category="Coffee", stamps_required=10, reward="A coffee of your choice",
        stamp_valid_days=365, reward_valid_days=90,
    ))
    _charter(organisation, owner)
    for title, issue, resolution, language in ARTICLES:
        article = knowledge.create_article(organisation=organisation, actor=owner, data=ArticleIn(
            title=title, issue=issue, resolution=resolution, language=language, visibility="customers",
        ))
        for state in ("not_validated", "validated"):
            knowledge.transition_article(organisation=organisation, actor=owner, article_id=article.id, state=state)
        knowledge.publish_article(organisation=organisation, actor=owner, article_id=article.id)


def _purposes_and_consents(organisation: Organisation, customer_ids: list[int], rng: random.Random) -> None:
    offers.ensure_purpose(organisation=organisation)
    customers.declare_purpose(organisation=organisation, data=NEWSLETTER)
    customers.declare_purpose(organisation=organisation, data=FEEDBACK_FOLLOW_UP)
    # The first customer (the demo login) has agreed to personal offers; about 40% of the others too.
    for index, customer_id in enumerate(customer_ids):
        if index == 0 or rng.random() < 0.4:
            customers.set_consent(organisation=organisation, customer_id=customer_id,
                                  purpose_code=offers.PURPOSE_CODE, granted=True, channel="portal")
        if index != 0 and rng.random() < 0.25:
            customers.set_consent(organisation=organisation, customer_id=customer_id, purpose_code="newsletter",
                                  granted=True, channel="portal")


def _charter(organisation: Organisation, owner) -> None:  # type: ignore[no-untyped-def]
    author = Author(user_id=owner.user_id, name=owner.username)
    warmth = relationships.create_value(organisation=organisation, author=author, data=ValueIn(
        name="Warmth", description="Everyone is greeted and served as a neighbour.",
        why="Our first value: we are the neighbourhood bakery."))
    honesty = relationships.create_value(organisation=organisation, author=author, data=ValueIn(
        name="Honesty", description="We say what is in it, what it costs and why.",
        why="Customers should know what they pay for."))
    regulars = relationships.create_segment(organisation=organisation, author=author, data=SegmentIn(
        name="Morning regulars", needs="Fast coffee and bread on the way to work; to be recognised.",
        relationship_type="personal_assistance", relationship_reason="They come daily; knowing them is the service.",
        why="Most of our sales are before 9 am."))
    families = relationships.create_segment(organisation=organisation, author=author, data=SegmentIn(
        name="Weekend families", needs="Cakes and bread for the family table, reservations, allergy information.",
        relationship_type="self_service", relationship_reason="They plan ahead and like to order in the portal.",
        why="Saturday orders are growing."))
    visit = relationships.create_journey_stage(organisation=organisation, author=author, data=JourneyStageIn(
        name="Visit", why="The journey starts in the shop."))
    after = relationships.create_journey_stage(organisation=organisation, author=author, data=JourneyStageIn(
        name="After the visit", why="What happens after the shop matters too."))
    counter = relationships.create_touchpoint(organisation=organisation, author=author, data=TouchpointIn(
        name="At the counter", journey_stage_id=visit.id,
        expected_behaviour="Greet within ten seconds; regulars by name.", communication="Friendly, short, honest.",
        promise="Served within three minutes in the morning rush.", channels=["in_person"],
        value_ids=[warmth.id], segment_ids=[regulars.id, families.id], why="Where most customers meet us."))
    relationships.add_expectation(organisation=organisation, touchpoint_id=counter.id, author=author,
                                  data=ExpectationIn(dimension="speed", statement="Served within three minutes, "
                                                     "even at 8 am.", why="Speed is what regulars ask for."))
    relationships.add_expectation(organisation=organisation, touchpoint_id=counter.id, author=author,
                                  data=ExpectationIn(dimension="friendliness", statement="Greeted within ten "
                                                     "seconds, by name if we know you.", why="Warmth, made visible."))
    receipt = relationships.create_touchpoint(organisation=organisation, author=author, data=TouchpointIn(
        name="Digital receipt", journey_stage_id=after.id, expected_behaviour="Every receipt in the portal at once.",
        communication="Plain numbers, VAT shown.", promise="Prices with their calculation on request.",
        channels=["portal"], value_ids=[honesty.id], segment_ids=[families.id], why="Receipts moved to the portal."))
    relationships.add_expectation(organisation=organisation, touchpoint_id=receipt.id, author=author,
                                  data=ExpectationIn(dimension="honesty", statement="The receipt shows exactly what "
                                                     "I paid and why.", why="Honesty, made checkable."))
    complaint = relationships.create_touchpoint(organisation=organisation, author=author, data=TouchpointIn(
        name="Feedback and complaints", journey_stage_id=after.id,
        expected_behaviour="A person answers within one working day.", communication="Signed by a person.",
        promise="You hear what we did about it.", channels=["portal", "email", "in_person"],
        value_ids=[warmth.id, honesty.id], segment_ids=[regulars.id, families.id], why="Every voice gets an answer."))
    relationships.add_expectation(organisation=organisation, touchpoint_id=complaint.id, author=author,
                                  data=ExpectationIn(dimension="speed", statement="A reply within one working day, "
                                                     "signed by a person.", why="Complaints must not wait."))
    relationships.publish_charter(organisation=organisation, user_id=owner.user_id, user_name=owner.username,
                                  reason="First charter of Sonnenhof")
